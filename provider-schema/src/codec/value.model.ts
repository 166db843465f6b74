import type { CtyType } from './cty-type.model.ts';

/**
 * A value not known until apply. Refined unknowns (msgpack extension 12) keep their raw
 * extension bytes so that a value passed through planning reaches Terraform unchanged.
 */
export class Unknown {
  constructor(readonly ext?: { readonly type: number; readonly data: Uint8Array }) {}
}

/** The plain unknown value (msgpack fixext1 type 0 payload 0). Immutable, so sharing it is safe. */
export const unknownValue: Unknown = Object.freeze(new Unknown());

/** A number that does not fit a float64 without losing digits; kept as its decimal text. */
export class BigDecimal {
  constructor(readonly text: string) {}
}

/** A known value of an attribute typed "dynamic": the concrete type travels with the value. */
export class DynamicValue {
  constructor(
    readonly type: CtyType,
    readonly value: Value,
  ) {}
}

/** An object (block, object type) or a map value. */
export interface ObjectValue {
  [key: string]: Value;
}

/**
 * A Terraform value as the engine sees it: null, unknown, primitives, arrays for
 * list/set/tuple and plain objects for object/map.
 */
export type Value = null | Unknown | string | number | boolean | BigDecimal | DynamicValue | Value[] | ObjectValue;

/** True for an unknown value (of any refinement). */
export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

/** True for a plain object value (object or map), as opposed to arrays and wrapper classes. */
export function isObjectValue(value: unknown): value is ObjectValue {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
}

/** True when the value contains no unknown anywhere. */
export function isWhollyKnown(value: Value): boolean {
  if (isUnknown(value)) return false;
  if (Array.isArray(value)) return value.every(isWhollyKnown);
  if (value instanceof DynamicValue) return isWhollyKnown(value.value);
  if (isObjectValue(value)) return Object.values(value).every(isWhollyKnown);
  return true;
}

/**
 * Structural equality. An unknown equals nothing, not even another unknown, because two
 * unknowns may resolve differently. `unordered` compares arrays as sets.
 */
export function valuesEqual(a: Value, b: Value, unordered = false): boolean {
  if (isUnknown(a) || isUnknown(b)) return false;
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (a instanceof BigDecimal || b instanceof BigDecimal) return numberText(a) === numberText(b);
  if (a instanceof DynamicValue && b instanceof DynamicValue) {
    return JSON.stringify(a.type) === JSON.stringify(b.type) && valuesEqual(a.value, b.value, unordered);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    if (!unordered) return a.every((x, i) => valuesEqual(x, b[i] ?? null, unordered));
    // Set elements are unordered: each element must find a distinct partner.
    const used = new Set<number>();
    return a.every((x) => {
      const j = b.findIndex((y, k) => !used.has(k) && valuesEqual(x, y, unordered));
      if (j < 0) return false;
      used.add(j);
      return true;
    });
  }
  if (isObjectValue(a) && isObjectValue(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!valuesEqual(a[key] ?? null, b[key] ?? null, unordered)) return false;
    return true;
  }
  return false;
}

function numberText(v: Value): string | undefined {
  if (v instanceof BigDecimal) return v.text;
  if (typeof v === 'number') return String(v);
  return undefined;
}
