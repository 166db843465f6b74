import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decode, encode, ExtData } from '@msgpack/msgpack';
import type { CtyType } from '../src/codec/cty-type.model.ts';
import { parseCtyType } from '../src/codec/cty-type.model.ts';
import { decodeJsonState } from '../src/codec/json-state.codec.ts';
import { CodecError, decodeMsgpack, encodeMsgpack } from '../src/codec/msgpack.codec.ts';
import { equalAsType } from '../src/codec/value-equality.rules.ts';
import { BigDecimal, DynamicValue, isUnknown, isWhollyKnown, Unknown, unknownValue, type Value } from '../src/codec/value.model.ts';
import { blockType } from '../src/schema/block-type.mapper.ts';
import type { BlockJson } from '../src/schema/schema-document.model.ts';

const roundTrip = (value: Value, type: CtyType) => decodeMsgpack(encodeMsgpack(value, type), type);

test('primitives, null and collections round-trip', () => {
  const cases: [Value, CtyType][] = [
    ['hello', 'string'],
    [true, 'bool'],
    [42, 'number'],
    [-1.5, 'number'],
    [null, 'string'],
    [['a', 'b'], ['list', 'string']],
    [[1, 2], ['set', 'number']],
    [{ a: 'x', b: 'y' }, ['map', 'string']],
    [{ n: 1, s: null }, ['object', { n: 'number', s: 'string' }]],
    [['a', 1], ['tuple', ['string', 'number']]],
  ];
  for (const [value, type] of cases) assert.deepEqual(roundTrip(value, type), value, JSON.stringify(type));
});

test('unknown encodes as fixext1 type 0 payload 0', () => {
  assert.deepEqual([...encodeMsgpack(unknownValue, 'string')], [0xd4, 0x00, 0x00]);
});

test('any extension type decodes as unknown, including refined unknowns (ext 12)', () => {
  // Terraform 1.11 refinement: map {1: true} = "definitely not null".
  const refined = encode(new ExtData(12, encode(new Map([[1, true]]))));
  const v = decodeMsgpack(refined, 'string');
  assert.ok(isUnknown(v));
  assert.equal((v as Unknown).ext?.type, 12);
  // Passed through planning unchanged: the refinement survives re-encoding.
  assert.deepEqual([...encodeMsgpack(v, 'string')], [...refined]);
  // Nested unknown inside an object and a list.
  const nested = encode({ a: new ExtData(0, new Uint8Array([0])), b: [1, new ExtData(5, new Uint8Array())] });
  const obj = decodeMsgpack(nested, ['object', { a: 'string', b: ['list', 'number'] }]) as Record<string, Value>;
  assert.ok(isUnknown(obj['a']));
  assert.ok(isUnknown((obj['b'] as Value[])[1]));
  assert.equal(isWhollyKnown(obj as Value), false);
});

test('numbers: int64, big integers and big decimals keep their digits', () => {
  assert.equal(decodeMsgpack(encode(2n ** 40n, { useBigInt64: true }), 'number'), 2 ** 40);
  const big = decodeMsgpack(encode(2n ** 62n + 1n, { useBigInt64: true }), 'number');
  assert.ok(big instanceof BigDecimal);
  assert.equal(big.text, (2n ** 62n + 1n).toString());
  const dec = decodeMsgpack(encode('3.14159265358979323846264338327950288'), 'number');
  assert.ok(dec instanceof BigDecimal);
  assert.deepEqual(decode(encodeMsgpack(dec, 'number')), '3.14159265358979323846264338327950288');
  assert.equal(decodeMsgpack(encode('12'), 'number'), 12);
  assert.throws(() => encodeMsgpack(Number.NaN, 'number'), CodecError);
});

test('dynamic values travel as [type JSON, value]', () => {
  const v = new DynamicValue(['list', 'string'], ['a']);
  const bytes = encodeMsgpack(v, 'dynamic');
  const raw = decode(bytes) as [Uint8Array, unknown];
  assert.equal(new TextDecoder().decode(raw[0]), '["list","string"]');
  assert.deepEqual(roundTrip(v, 'dynamic'), v);
});

test('objects are encoded with exactly the attributes of their type', () => {
  const type: CtyType = ['object', { a: 'string', b: 'number' }];
  const raw = decode(encodeMsgpack({ a: 'x', extra: 'dropped' } as never, type));
  assert.deepEqual(raw, { a: 'x', b: null });
});

test('nested blocks: single, list, set and map nesting map to object, list, set and map', () => {
  const block: BlockJson = {
    attributes: { id: { type: 'string', computed: true } },
    block_types: {
      one: { nesting_mode: 'single', block: { attributes: { x: { type: 'string', optional: true } } } },
      many: { nesting_mode: 'list', block: { attributes: { y: { type: 'number', optional: true } } } },
      bag: { nesting_mode: 'set', block: { attributes: { z: { type: 'bool', optional: true } } } },
      named: { nesting_mode: 'map', block: { attributes: { w: { type: 'string', optional: true } } } },
    },
  };
  const type = blockType(block);
  assert.deepEqual(type, [
    'object',
    {
      id: 'string',
      one: ['object', { x: 'string' }],
      many: ['list', ['object', { y: 'number' }]],
      bag: ['set', ['object', { z: 'bool' }]],
      named: ['map', ['object', { w: 'string' }]],
    },
  ]);
  const value = { id: unknownValue, one: null, many: [{ y: 1 }, { y: unknownValue }], bag: [{ z: true }], named: { k: { w: 'v' } } };
  const back = roundTrip(value, type) as Record<string, Value>;
  assert.ok(isUnknown(back['id']));
  assert.equal(back['one'], null);
  assert.ok(isUnknown(((back['many'] as Value[])[1] as Record<string, Value>)['y']));
  assert.deepEqual(back['named'], { k: { w: 'v' } });
});

test('JSON state decoding fills new attributes with null and drops removed ones', () => {
  const type: CtyType = ['object', { id: 'string', added: 'string', dyn: 'dynamic', tags: ['map', 'string'] }];
  const v = decodeJsonState('{"id":"w-1","removed":"x","dyn":{"value":["a"],"type":["list","string"]},"tags":{"a":"b"}}', type);
  assert.deepEqual(v, { id: 'w-1', added: null, dyn: new DynamicValue(['list', 'string'], ['a']), tags: { a: 'b' } });
});

test('type parsing rejects garbage and keeps optional-attribute lists', () => {
  assert.deepEqual(parseCtyType(['object', { a: 'string' }, ['a']]), ['object', { a: 'string' }, ['a']]);
  assert.throws(() => parseCtyType(['lisst', 'string']), /not a Terraform type/);
});

test('type-aware equality: sets ignore order, lists do not, unknown equals nothing', () => {
  assert.ok(equalAsType(['set', 'string'], ['a', 'b'], ['b', 'a']));
  assert.ok(!equalAsType(['list', 'string'], ['a', 'b'], ['b', 'a']));
  assert.ok(!equalAsType('string', unknownValue, unknownValue));
  assert.ok(equalAsType(['map', 'number'], { a: 1 }, { a: 1 }));
});
