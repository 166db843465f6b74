import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoundedBuffer, createResultBuffer } from '../src/results/result.buffer.ts';

const buffer = (capacity: number, dropped: string[] = []) =>
  new BoundedBuffer<string>({ capacity, keyOf: (s) => s, onDrop: (s) => dropped.push(s) });

describe('bounded result buffer', () => {
  it('keeps items in order until acknowledged', () => {
    const b = buffer(5);
    ['a', 'b', 'c'].forEach((x) => b.push(x));
    assert.deepEqual(b.peek(2), ['a', 'b']);
    assert.deepEqual(b.peek(10), ['a', 'b', 'c']);
    assert.equal(b.depth, 3, 'peek does not remove');
    assert.equal(b.acknowledge(['a', 'b']), 2);
    assert.deepEqual(b.peek(10), ['c']);
  });

  it('drops the oldest when full, and counts and reports every drop', () => {
    const dropped: string[] = [];
    const b = buffer(3, dropped);
    for (const x of ['1', '2', '3', '4', '5']) b.push(x);
    assert.deepEqual(b.peek(10), ['3', '4', '5']);
    assert.deepEqual(dropped, ['1', '2']);
    assert.deepEqual(b.stats(), { depth: 3, capacity: 3, dropped: 2 });
  });

  it('acknowledges by id, so evictions between peek and ack remove nothing else', () => {
    const b = buffer(3);
    ['a', 'b', 'c'].forEach((x) => b.push(x));
    const batch = b.peek(3);
    b.push('d'); // evicts a while the batch is in flight
    assert.equal(b.acknowledge(batch), 2, 'b and c removed; a was already gone');
    assert.deepEqual(b.peek(10), ['d']);
  });

  it('removes acknowledged items from the middle and keeps order across wrap-around', () => {
    const b = buffer(4);
    ['a', 'b', 'c', 'd', 'e', 'f'].forEach((x) => b.push(x)); // ring wrapped: c d e f
    assert.equal(b.acknowledge(['d', 'f', 'zzz']), 2);
    assert.deepEqual(b.peek(10), ['c', 'e']);
    b.push('g');
    b.push('h');
    b.push('i');
    assert.deepEqual(b.peek(10), ['e', 'g', 'h', 'i']);
    assert.equal(b.dropped, 3);
  });

  it('keys CheckResults by result id', () => {
    const b = createResultBuffer(2);
    const result = (id: string) => ({ id, monitor_id: 'mon_x', region: 'r', started_at: '2026-01-01T00:00:00Z', status: 'up' as const, duration_ms: 1 });
    b.push(result('res_1'));
    b.push(result('res_2'));
    b.acknowledge(['res_1']);
    assert.deepEqual(b.peek(5).map((r) => r.id), ['res_2']);
  });

  it('rejects a capacity below one', () => {
    assert.throws(() => buffer(0), RangeError);
  });
});
