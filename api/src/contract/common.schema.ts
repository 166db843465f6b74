import { Type, type TSchema, type Static } from '@sinclair/typebox';

/** Opaque identifier: a type prefix and a time-sortable ULID, e.g. `svc_01JD…`. */
export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z]+_[0-9A-HJKMNP-TV-Z]{26}$', description: 'Opaque identifier.', errorMessage: 'Must be a Pharos id as returned when the object was created, e.g. "svc_01JD8Z3Q4M5N6P7R8S9T0VWXYZ".' });

/** A human-chosen name: letters, digits, dot, dash and underscore, starting with a letter or digit. */
export const Name = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
  description: 'Name: letters, digits, ".", "-" and "_", starting with a letter or digit, at most 100 characters.',
  errorMessage: 'Must be letters, digits, ".", "-" and "_", starting with a letter or digit (no spaces), e.g. "fulfillment-health".',
});

export const Description = Type.String({ maxLength: 1000, description: 'Free text, at most 1000 characters.' });

/**
 * A map whose keys must match `keyPattern`; any other key is refused (additionalProperties: false).
 * Every map of the contract is built with it: an open map would accept keys with CR/LF, empty or
 * 1,000-character keys (api/test/contract-schemas.test.ts fails on one). The description states the
 * key rule: the validator quotes it when a key is refused.
 */
export const ClosedMap = <V extends TSchema>(key: { pattern: string; rule: string }, value: V, options: { description: string; maxProperties: number; [k: string]: unknown }) =>
  Type.Record(Type.String({ pattern: key.pattern }), value, { ...options, additionalProperties: false, errorMessage: key.rule });

/** Keys of tags and labels: letters, digits and "_ . : / -", 1 to 63 characters. */
export const labelKey = { pattern: '^[A-Za-z0-9_.:/-]{1,63}$', rule: 'Keys are 1 to 63 letters, digits and "_ . : / -" (no spaces or line breaks).' };

/** HTTP header names: an RFC 7230 token of 1 to 128 characters. */
export const headerName = {
  pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$",
  rule: "Header names are RFC 7230 tokens of 1 to 128 characters: letters, digits and !#$%&'*+.^_`|~- (no spaces, colons or line breaks).",
};

/** An HTTP header value: no CR, LF or NUL (they would end or split the header), bounded. */
export const HeaderValue = (maxLength: number) =>
  Type.String({ maxLength, pattern: '^[^\\r\\n\\u0000]*$', errorMessage: 'Must not contain CR, LF or NUL characters (a header value is one line).' });

export const Tags = ClosedMap(labelKey, Type.String({ maxLength: 255 }), {
  description: 'Key/value labels. Keys: letters, digits and "_ . : / -", 1 to 63 characters; values at most 255.',
  maxProperties: 50,
});

export const Timestamp = Type.String({ format: 'date-time', description: 'RFC 3339 time in UTC.' });

export const Region = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9-]*$', description: 'Region name, e.g. "us-east-1".', errorMessage: 'Must be lower-case letters, digits and "-", starting with a letter or digit, e.g. "us-east-1".' });

/** Fields every stored resource carries in responses. */
export const Meta = {
  id: Id,
  created_at: Timestamp,
  updated_at: Timestamp,
  version: Type.Integer({ minimum: 1, description: 'Incremented on every change; the ETag is derived from it.' }),
};

/** A page of items with the cursor of the next page (absent on the last page). */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    next_cursor: Type.Optional(Type.String({ description: 'Pass as `cursor` to fetch the next page.' })),
  });

export const ListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: true },
);

export type Tags = Static<typeof Tags>;

/** A string limited to a fixed set of values (a plain JSON Schema enum, which reads better in errors and docs). */
export const StringEnum = <const T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
