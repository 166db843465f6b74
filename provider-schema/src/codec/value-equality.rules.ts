import type { CtyType } from './cty-type.model.ts';
import { isObjectValue, isUnknown, valuesEqual, type Value } from './value.model.ts';

/**
 * Type-aware equality: sets compare without order, lists and tuples in order.
 * An unknown equals nothing, because it may still resolve to anything.
 */
export function equalAsType(type: CtyType, a: Value, b: Value): boolean {
  if (isUnknown(a) || isUnknown(b)) return false;
  if (a === null || b === null) return a === b;
  if (typeof type === 'string') return valuesEqual(a, b);
  switch (type[0]) {
    case 'set':
      return valuesEqual(a, b, true);
    case 'list':
      return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => equalAsType(type[1], x, b[i] ?? null));
    case 'tuple':
      return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => equalAsType(type[1][i] ?? 'dynamic', x, b[i] ?? null));
    case 'map': {
      if (!isObjectValue(a) || !isObjectValue(b)) return false;
      const keys = Object.keys(a);
      return keys.length === Object.keys(b).length && keys.every((k) => k in b && equalAsType(type[1], a[k] ?? null, b[k] ?? null));
    }
    case 'object': {
      if (!isObjectValue(a) || !isObjectValue(b)) return false;
      return Object.entries(type[1]).every(([k, t]) => equalAsType(t, a[k] ?? null, b[k] ?? null));
    }
  }
}
