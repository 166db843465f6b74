import type { FieldError } from '../contract/errors.ts';

/** Deepest nesting of objects and arrays a request body may have (documented in docs/api.md). */
export const MAX_JSON_DEPTH = 64;

/** What the guard found wrong with a parsed JSON value. */
export type JsonGuardResult = { ok: true } | { ok: false; tooDeep: true; depth: number } | { ok: false; tooDeep: false; errors: FieldError[] };

// NUL cannot be stored in PostgreSQL text or jsonb, and a lone UTF-16 surrogate is not a Unicode
// character (jsonb refuses it, and it cannot be encoded as UTF-8 in a response).
const forbidden = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string may not be stored, or undefined when it may. */
export function stringProblem(value: string): string | undefined {
  const match = forbidden.exec(value);
  if (!match) return undefined;
  return match[0] === '\u0000'
    ? 'Contains a NUL character (\\u0000); remove it.'
    : `Contains a lone UTF-16 surrogate (\\u${match[0].charCodeAt(0).toString(16)}), which is not a Unicode character; send valid UTF-8 text.`;
}

/** RFC 6901 escaping of one reference token. */
export const pointerToken = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * One iterative walk (no recursion, so no stack overflow at any depth) over a parsed body: the
 * nesting depth against `maxDepth`, then every key and string value for NUL and lone surrogates.
 */
export function guardJson(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonGuardResult {
  const errors: FieldError[] = [];
  const stack: Array<{ value: unknown; pointer: string; depth: number }> = [{ value, pointer: '', depth: 0 }];
  while (stack.length > 0) {
    const { value: node, pointer, depth } = stack.pop()!;
    if (typeof node === 'string') {
      const problem = stringProblem(node);
      if (problem && errors.length < 20) errors.push({ pointer, message: problem });
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > maxDepth) return { ok: false, tooDeep: true, depth: depth + 1 };
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ value: node[i], pointer: `${pointer}/${i}`, depth: depth + 1 });
      continue;
    }
    const entries = Object.entries(node);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      const at = `${pointer}/${pointerToken(key)}`;
      const problem = stringProblem(key);
      if (problem && errors.length < 20) errors.push({ pointer: at, message: `The key ${problem.charAt(0).toLowerCase()}${problem.slice(1)}` });
      stack.push({ value: child, pointer: at, depth: depth + 1 });
    }
  }
  return errors.length > 0 ? { ok: false, tooDeep: false, errors } : { ok: true };
}
