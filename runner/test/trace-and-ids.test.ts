import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newTraceContext } from '../src/http/traceparent.factory.ts';
import { createResultIdFactory } from '../src/results/result-id.factory.ts';

describe('traceparent', () => {
  it('starts a new trace with version 00 and the sampled flag', () => {
    const t = newTraceContext();
    assert.match(t.header, /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    assert.equal(t.header, `00-${t.traceId}-${t.spanId}-01`);
    assert.notEqual(newTraceContext().traceId, t.traceId);
  });

  it('opens a new span inside a given trace, and never reuses an all-zero trace id', () => {
    const parent = newTraceContext();
    const child = newTraceContext(parent.traceId);
    assert.equal(child.traceId, parent.traceId);
    assert.notEqual(child.spanId, parent.spanId);
    assert.notEqual(newTraceContext('0'.repeat(32)).traceId, '0'.repeat(32));
  });
});

describe('result ids', () => {
  it('match the contract pattern, are unique, and sort by creation time', async () => {
    const next = createResultIdFactory(64); // tiny pool: exercises refills
    const ids = Array.from({ length: 1000 }, () => next());
    assert.ok(ids.every((id) => /^res_[0-9A-HJKMNP-TV-Z]{26}$/.test(id)));
    assert.equal(new Set(ids).size, ids.length);
    await new Promise((r) => setTimeout(r, 3));
    const later = next();
    assert.ok(ids.every((id) => id < later), 'the time prefix orders ids');
  });
});
