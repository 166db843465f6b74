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

// The common case (a clean body) in one pass without building pointers: parallel stacks of
// values and depths, no recursion, so no stack overflow at any depth.
function scan(value: unknown, maxDepth: number): 'ok' | 'too_deep' | 'bad_string' {
  const values: unknown[] = [value];
  const depths: number[] = [0];
  let bad = false;
  while (values.length > 0) {
    const node = values.pop();
    const depth = depths.pop()!;
    if (typeof node === 'string') {
      if (!bad && forbidden.test(node)) bad = true;
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > maxDepth) return 'too_deep';
    if (Array.isArray(node)) {
      for (const child of node) {
        values.push(child);
        depths.push(depth + 1);
      }
      continue;
    }
    for (const key in node) {
      if (!Object.hasOwn(node, key)) continue;
      if (!bad && forbidden.test(key)) bad = true;
      values.push((node as Record<string, unknown>)[key]);
      depths.push(depth + 1);
    }
  }
  return bad ? 'bad_string' : 'ok';
}

/**
 * Iterative checks of a parsed body (no recursion, so no stack overflow at any depth): the nesting
 * depth against `maxDepth`, then every key and string value for NUL and lone surrogates.
 */
export function guardJson(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonGuardResult {
  const scanned = scan(value, maxDepth);
  if (scanned === 'ok') return { ok: true };
  if (scanned === 'too_deep') return { ok: false, tooDeep: true, depth: maxDepth + 1 };
  const errors: FieldError[] = [];
  // Only for a body with a bad string: walk again, this time with pointers.
  const stack: Array<{ value: unknown; pointer: string }> = [{ value, pointer: '' }];
  while (stack.length > 0) {
    const { value: node, pointer } = stack.pop()!;
    if (typeof node === 'string') {
      const problem = stringProblem(node);
      if (problem && errors.length < 20) errors.push({ pointer, message: problem });
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ value: node[i], pointer: `${pointer}/${i}` });
      continue;
    }
    const entries = Object.entries(node);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      const at = `${pointer}/${pointerToken(key)}`;
      const problem = stringProblem(key);
      if (problem && errors.length < 20) errors.push({ pointer: at, message: `The key ${problem.charAt(0).toLowerCase()}${problem.slice(1)}` });
      stack.push({ value: child, pointer: at });
    }
  }
  return { ok: false, tooDeep: false, errors };
}
