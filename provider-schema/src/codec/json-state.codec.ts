import { parseCtyType, type CtyType } from './cty-type.model.ts';
import { CodecError } from './msgpack.codec.ts';
import { BigDecimal, DynamicValue, type ObjectValue, type Value } from './value.model.ts';

/**
 * Decodes stored JSON state (UpgradeResourceState's raw_state.json) against a type.
 * Attributes missing from the JSON (added to the schema since the state was written) become
 * null and attributes no longer in the type are dropped, so the result always fits the type.
 * Known limit: JSON.parse reads numbers as float64, so integers beyond 2^53 lose digits.
 */
export function decodeJsonState(json: Uint8Array | string, type: CtyType): Value {
  const text = typeof json === 'string' ? json : new TextDecoder().decode(json);
  return fromJson(JSON.parse(text) as unknown, type, []);
}

/** Converts an already parsed JSON value (e.g. an API response) to a typed value; shapes that do not fit throw CodecError. */
export function fromJson(raw: unknown, type: CtyType, path: (string | number)[]): Value {
  if (raw === null || raw === undefined) return null;
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        // The API and older states may hold numbers or booleans where a string is now expected.
        if (typeof raw === 'string') return raw;
        if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
        break;
      case 'bool':
        if (typeof raw === 'boolean') return raw;
        if (raw === 'true' || raw === 'false') return raw === 'true';
        break;
      case 'number':
        if (typeof raw === 'number') return raw;
        if (typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw))) {
          return String(Number(raw)) === raw ? Number(raw) : new BigDecimal(raw);
        }
        break;
      case 'dynamic':
        // ctyjson stores dynamic values as {"value": …, "type": …}.
        if (raw && typeof raw === 'object' && 'type' in raw && 'value' in raw) {
          const inner = parseCtyType((raw as { type: unknown }).type);
          return new DynamicValue(inner, fromJson((raw as { value: unknown }).value, inner, path));
        }
        break;
    }
    throw new CodecError(`expected ${type}`, path);
  }
  const [kind] = type;
  switch (kind) {
    case 'list':
    case 'set':
      if (Array.isArray(raw)) return raw.map((el, i) => fromJson(el, type[1], [...path, i]));
      break;
    case 'tuple':
      if (Array.isArray(raw)) return type[1].map((t, i) => fromJson(raw[i], t, [...path, i]));
      break;
    case 'map':
      if (typeof raw === 'object' && !Array.isArray(raw)) {
        const out: ObjectValue = {};
        for (const [key, el] of Object.entries(raw)) out[key] = fromJson(el, type[1], [...path, key]);
        return out;
      }
      break;
    case 'object':
      if (typeof raw === 'object' && !Array.isArray(raw)) {
        const record = raw as Record<string, unknown>;
        const out: ObjectValue = {};
        for (const [name, t] of Object.entries(type[1])) out[name] = fromJson(record[name], t, [...path, name]);
        return out;
      }
      break;
  }
  throw new CodecError(`expected ${kind}`, path);
}
