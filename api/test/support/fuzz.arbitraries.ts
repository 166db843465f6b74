import fc from 'fast-check';

// Generators of hostile request input for the property-based tier (api/test/fuzz.property.test.ts).
// A body is built as a JS value and serialized with `serialize`; values that JSON.stringify cannot
// produce (integers beyond 2^53 as written, nesting deeper than a recursive stringify allows) are
// placeholders replaced in the text.

const DEEP = '\u0001deep:';
const BIG = '\u0001bigint:';

/** Placeholder for `depth` nested arrays, written into the JSON text by serialize. */
export const deep = (depth: number) => `${DEEP}${depth}`;
/** Placeholder for an integer literal (written unquoted by serialize). */
export const bigInteger = (digits: string) => `${BIG}${digits}`;

/** JSON text of a value, with the placeholders above expanded. */
export function serialize(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0001(deep|bigint):([0-9-]+)"/g, (_m, kind: string, arg: string) =>
    kind === 'deep' ? '['.repeat(Number(arg)) + ']'.repeat(Number(arg)) : arg,
  );
}

/** Strings that broke storage or protocols before: NUL, lone surrogates, CR/LF, separators, huge text. */
export const nastyString = fc.constantFrom(
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ud83d',
  '\r\n',
  'a\r\nX-Injected: 1',
  ' ',
  ':',
  '',
  'é💡漢字',
  '$',
  '$.',
  '$[?(@.a==)]',
  'status',
  '\\',
  '"',
  '{{x}}',
  '%00',
  'x'.repeat(1000),
  'y'.repeat(70_000),
  'localhost:9000/health',
  'javascript:alert(1)',
);

/** Numbers at and beyond the edges of JSON, JavaScript and PostgreSQL integers. */
export const nastyNumber = fc.constantFrom(0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, 5e-324, bigInteger('99999999999999999999'), bigInteger('-99999999999999999999'));

/** Values of the wrong type or shape, including deep nesting. */
export const nastyShape = fc.constantFrom<unknown>(null, true, [], {}, [null], { '': '' }, deep(64), deep(3000), deep(20_000));

/** Keys for maps (tags, labels, headers) and objects. */
export const nastyKey = fc.constantFrom('', '\u0000', 'a\u0000', '\ud800', 'a\r\nb', 'with space', 'a:b', 'k'.repeat(1000), '__proto__', 'constructor', 'ok_key');

export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(nastyString, nastyNumber, nastyShape);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every location in a value: [path, isObject]. The root is []. */
function locations(value: unknown, path: (string | number)[] = [], out: { path: (string | number)[]; object: boolean }[] = []) {
  out.push({ path, object: typeof value === 'object' && value !== null && !Array.isArray(value) });
  if (Array.isArray(value)) value.forEach((v, i) => locations(v, [...path, i], out));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) locations(v, [...path, k], out);
  return out;
}

function setAt(root: Json, path: (string | number)[], value: unknown): Json {
  if (path.length === 0) return value as Json;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  // defineProperty: a key such as "__proto__" must become an own property, not a prototype.
  Object.defineProperty(node, path.at(-1)!, { value, enumerable: true, writable: true, configurable: true });
  return copy as Json;
}

/** A mutation of a valid body: replace one value, or add one key to one object. */
export type Mutation = { kind: 'replace'; at: number; value: unknown } | { kind: 'add'; at: number; key: string; value: unknown };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: nastyValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('add' as const), at: fc.nat(), key: nastyKey, value: fc.oneof(nastyString, fc.constant('v')) }) },
);

/** Applies mutations in order; `at` picks a location modulo the number available. */
export function mutate(body: unknown, mutations: readonly Mutation[]): unknown {
  let current = body as Json;
  for (const m of mutations) {
    const all = locations(current);
    if (m.kind === 'replace') {
      current = setAt(current, all[m.at % all.length]!.path, m.value);
    } else {
      const objects = all.filter((l) => l.object);
      if (objects.length === 0) continue;
      current = setAt(current, [...objects[m.at % objects.length]!.path, m.key], m.value);
    }
  }
  return current;
}
