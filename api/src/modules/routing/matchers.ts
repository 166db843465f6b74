import { compileSafeRegex } from '../../contract/safe-regex.ts';

/** A label matcher as stored in routing policies and silences. */
export interface Matcher {
  label: string;
  operator: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** A matcher compiled once: regular expressions are anchored and use RE2 (linear time). */
export type CompiledMatcher = (labels: Readonly<Record<string, string>>) => boolean;

/**
 * Compiles one matcher with Alertmanager's semantics: a missing label reads as the empty string
 * (so `team != "a"` matches an alert without a team, and `team = ""` matches only one without);
 * `=~` and `!~` match the whole value. A pattern that does not compile (patterns are validated on
 * write, so only one stored by an older release) makes the matcher false under either operator: a
 * broken policy or silence takes no alert rather than every alert.
 */
export function compileMatcher(m: Matcher): CompiledMatcher {
  const read = (labels: Readonly<Record<string, string>>) => (Object.hasOwn(labels, m.label) ? labels[m.label]! : '');
  switch (m.operator) {
    case '=':
      return (labels) => read(labels) === m.value;
    case '!=':
      return (labels) => read(labels) !== m.value;
    case '=~':
    case '!~': {
      const compiled = compileSafeRegex(`^(?:${m.value})$`);
      if (!compiled.ok) return () => false;
      const regex = compiled.regex;
      return m.operator === '=~' ? (labels) => regex.test(read(labels)) : (labels) => !regex.test(read(labels));
    }
  }
}

/** All matchers must match; an empty list matches every alert. */
export function compileMatchers(matchers: readonly Matcher[]): CompiledMatcher {
  const compiled = matchers.map(compileMatcher);
  return (labels) => compiled.every((matches) => matches(labels));
}
