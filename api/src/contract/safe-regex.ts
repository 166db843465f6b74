import { RE2JS } from 're2js';

/** A compiled user-supplied pattern with linear-time matching. */
export interface SafeRegex {
  /** True when the pattern matches anywhere in the input. */
  test(input: string): boolean;
  /** The first match's group 1, or the whole match when the pattern has no groups. */
  firstMatch(input: string): string | undefined;
}

export type CompiledRegex = { ok: true; regex: SafeRegex } | { ok: false; error: string };

/**
 * Compiles a monitor's regular expression with RE2 semantics (as Prometheus and Go use):
 * matching time is linear in the body, so a pattern like (a+)+$ cannot freeze the runner's
 * event loop — and with it every other check. Lookaround and backreferences are not supported.
 */
export function compileSafeRegex(pattern: string): CompiledRegex {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  return {
    ok: true,
    regex: {
      test: (input) => compiled.test(input),
      firstMatch(input) {
        const matcher = compiled.matcher(input);
        if (!matcher.find()) return undefined;
        return (compiled.groupCount() >= 1 ? matcher.group(1) : matcher.group(0)) ?? undefined;
      },
    },
  };
}
