import { BigDecimal, DynamicValue, isObjectValue, isUnknown, type ObjectValue, type Value } from '../codec/value.model.ts';

/** A plain JSON object as handlers and the REST API see resource data. */
export type JsonObject = { [key: string]: unknown };

/**
 * The JSON view of a value for handlers: unknown attributes are left out (they are computed
 * values the API will choose), nulls stay, big decimals become decimal strings, dynamic
 * values lose their type wrapper.
 */
export function toJsonView(value: ObjectValue): JsonObject {
  return toJson(value) as JsonObject;
}

function toJson(value: Value): unknown {
  if (isUnknown(value)) return undefined;
  if (value instanceof BigDecimal) return value.text;
  if (value instanceof DynamicValue) return toJson(value.value);
  if (Array.isArray(value)) return value.map(toJson).filter((v) => v !== undefined);
  if (isObjectValue(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      const json = toJson(v);
      if (json !== undefined) out[k] = json;
    }
    return out;
  }
  return value;
}
