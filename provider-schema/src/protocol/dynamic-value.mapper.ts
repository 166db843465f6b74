import type { CtyType } from '../codec/cty-type.model.ts';
import { fromJson } from '../codec/json-state.codec.ts';
import { decodeMsgpack, encodeMsgpack } from '../codec/msgpack.codec.ts';
import { isObjectValue, type ObjectValue, type Value } from '../codec/value.model.ts';

/** tfplugin6.DynamicValue as grpc-js hands it over. */
export interface ProtoDynamicValue {
  msgpack?: Buffer;
  json?: Buffer;
}

/** Decodes a DynamicValue; an absent message or empty payload is null (e.g. prior state on create). */
export function fromProtoDynamic(dv: ProtoDynamicValue | null | undefined, type: CtyType): Value {
  if (dv?.msgpack && dv.msgpack.length > 0) return decodeMsgpack(dv.msgpack, type);
  if (dv?.json && dv.json.length > 0) return fromJson(JSON.parse(dv.json.toString('utf8')), type, []);
  return null;
}

/** Decodes a DynamicValue that must be an object (or null). */
export function fromProtoObject(dv: ProtoDynamicValue | null | undefined, type: CtyType): ObjectValue | null {
  const v = fromProtoDynamic(dv, type);
  if (v === null || isObjectValue(v)) return v;
  throw new TypeError('expected an object value');
}

/** Encodes a value as msgpack (the only encoding that carries unknowns). */
export function toProtoDynamic(value: Value, type: CtyType): ProtoDynamicValue {
  return { msgpack: Buffer.from(encodeMsgpack(value, type)) };
}
