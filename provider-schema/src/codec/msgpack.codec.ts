import { decode, encode, ExtData } from '@msgpack/msgpack';
import { parseCtyType, type CtyType } from './cty-type.model.ts';
import { BigDecimal, DynamicValue, isObjectValue, isUnknown, Unknown, type ObjectValue, type Value } from './value.model.ts';

/** Raised when a value does not fit its schema type; the path says where. */
export class CodecError extends Error {
  readonly code = 'codec_mismatch';
  constructor(
    message: string,
    readonly path: readonly (string | number)[],
  ) {
    super(path.length > 0 ? `${message} at ${path.join('.')}` : message);
    this.name = 'CodecError';
  }
}

const textDecoder = new TextDecoder();
const textEncoder = new TextEncoder();

/** Decodes a msgpack DynamicValue against its schema type; any extension value decodes as unknown. */
export function decodeMsgpack(bytes: Uint8Array, type: CtyType): Value {
  // useBigInt64 keeps 64-bit integers exact; they are narrowed back to number when safe.
  return fromWire(decode(bytes, { useBigInt64: true }), type, []);
}

/** Encodes a value against its schema type; unknowns become fixext1 type 0 unless they carry a refinement. */
export function encodeMsgpack(value: Value, type: CtyType): Uint8Array {
  return encode(toWire(value, type, []), { useBigInt64: true, ignoreUndefined: false });
}

function fromWire(raw: unknown, type: CtyType, path: (string | number)[]): Value {
  if (raw instanceof ExtData) return new Unknown({ type: raw.type, data: raw.data instanceof Uint8Array ? raw.data : new Uint8Array() });
  if (raw === null || raw === undefined) return null;
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        if (typeof raw === 'string') return raw;
        break;
      case 'bool':
        if (typeof raw === 'boolean') return raw;
        break;
      case 'number':
        return decodeNumber(raw, path);
      case 'dynamic': {
        // Known dynamic values are a pair: the JSON type as binary, then the value.
        if (Array.isArray(raw) && raw.length === 2 && raw[0] instanceof Uint8Array) {
          const inner = parseCtyType(JSON.parse(textDecoder.decode(raw[0])));
          return new DynamicValue(inner, fromWire(raw[1], inner, path));
        }
        break;
      }
    }
    throw new CodecError(`expected ${type}, got ${describe(raw)}`, path);
  }
  const [kind] = type;
  switch (kind) {
    case 'list':
    case 'set':
      if (Array.isArray(raw)) return raw.map((el, i) => fromWire(el, type[1], [...path, i]));
      break;
    case 'tuple':
      if (Array.isArray(raw)) return type[1].map((t, i) => fromWire(raw[i], t, [...path, i]));
      break;
    case 'map':
      if (isPlainRecord(raw)) {
        const out: ObjectValue = {};
        for (const [key, el] of Object.entries(raw)) out[key] = fromWire(el, type[1], [...path, key]);
        return out;
      }
      break;
    case 'object':
      if (isPlainRecord(raw)) {
        const out: ObjectValue = {};
        for (const [name, t] of Object.entries(type[1])) out[name] = fromWire(raw[name], t, [...path, name]);
        return out;
      }
      break;
  }
  throw new CodecError(`expected ${kind}, got ${describe(raw)}`, path);
}

function decodeNumber(raw: unknown, path: (string | number)[]): Value {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'bigint') return Number.isSafeInteger(Number(raw)) ? Number(raw) : new BigDecimal(raw.toString());
  // cty sends numbers that fit neither int64 nor float64 as decimal strings.
  if (typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw))) {
    const n = Number(raw);
    return Number.isFinite(n) && String(n) === raw ? n : new BigDecimal(raw);
  }
  throw new CodecError(`expected number, got ${describe(raw)}`, path);
}

function toWire(value: Value | undefined, type: CtyType, path: (string | number)[]): unknown {
  if (value === null || value === undefined) return null;
  if (isUnknown(value)) {
    return value.ext ? new ExtData(value.ext.type, value.ext.data) : new ExtData(0, new Uint8Array([0]));
  }
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        if (typeof value === 'string') return value;
        break;
      case 'bool':
        if (typeof value === 'boolean') return value;
        break;
      case 'number':
        if (typeof value === 'number') {
          if (!Number.isFinite(value)) throw new CodecError(`number ${value} cannot be sent to Terraform`, path);
          return value;
        }
        if (value instanceof BigDecimal) return value.text;
        break;
      case 'dynamic':
        if (value instanceof DynamicValue) {
          return [textEncoder.encode(JSON.stringify(value.type)), toWire(value.value, value.type, path)];
        }
        break;
    }
    throw new CodecError(`expected ${type}, got ${describe(value)}`, path);
  }
  const [kind] = type;
  switch (kind) {
    case 'list':
    case 'set':
      if (Array.isArray(value)) return value.map((el, i) => toWire(el, type[1], [...path, i]));
      break;
    case 'tuple':
      if (Array.isArray(value)) {
        if (value.length !== type[1].length) throw new CodecError(`tuple needs ${type[1].length} elements`, path);
        return type[1].map((t, i) => toWire(value[i], t, [...path, i]));
      }
      break;
    case 'map':
      if (isObjectValue(value)) {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value).sort()) out[key] = toWire(value[key], type[1], [...path, key]);
        return out;
      }
      break;
    case 'object':
      if (isObjectValue(value)) {
        // Terraform rejects objects with missing or extra attributes, so the type drives the keys.
        const out: Record<string, unknown> = {};
        for (const name of Object.keys(type[1]).sort()) out[name] = toWire(value[name], type[1][name]!, [...path, name]);
        return out;
      }
      break;
  }
  throw new CodecError(`expected ${kind}, got ${describe(value)}`, path);
}

function isPlainRecord(raw: unknown): raw is Record<string, unknown> {
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw) && !(raw instanceof Uint8Array) && !(raw instanceof ExtData);
}

function describe(raw: unknown): string {
  if (Array.isArray(raw)) return 'array';
  if (raw instanceof Uint8Array) return 'binary';
  return raw === null ? 'null' : typeof raw;
}

