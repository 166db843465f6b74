import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coalesce, sseMessage, toLiveItem, type LiveItem, type LiveSubject } from '../src/modules/live/live-event.rules.ts';
import { maySee, type LiveScope } from '../src/modules/live/live-scope.rules.ts';
import { LiveConnection } from '../src/modules/live/live.connection.ts';
import { LiveOwnersCache } from '../src/modules/live/live-owners.cache.ts';
import type { LiveRepository, OwnedKind } from '../src/modules/live/live.repository.ts';
import type { StoredEvent } from '../src/modules/events/event.types.ts';
import { SseParser } from '../src/web/console/sse.parser.ts';
import { loadApiConfig } from '../src/config.ts';

const at = new Date('2026-12-01T18:00:00.000Z');
const state = (seq: number, subject_type: 'slot' | 'monitor' | 'service' | 'edge', subject_id: string, from: 'up' | 'down', to: 'up' | 'down', region: string | null = null): StoredEvent =>
  ({ seq, orgId: 'org_1', kind: 'state.transition', at, payload: { subject_type, subject_id, region, from, to, cause: {} } });
const item = (e: StoredEvent) => toLiveItem(e)!;

test('toLiveItem: what the stream sends of each kind, and what it leaves out', () => {
  const cases: Array<[string, StoredEvent, unknown]> = [
    ['a monitor transition', state(1, 'monitor', 'mon_1', 'up', 'down'), { type: 'state', subject_type: 'monitor', subject_id: 'mon_1', region: null, from: 'up', to: 'down', at: at.toISOString() }],
    ['an edge transition', state(2, 'edge', 'dep_1', 'down', 'up'), { type: 'state', subject_type: 'edge', subject_id: 'dep_1', region: null, from: 'down', to: 'up', at: at.toISOString() }],
    ['a slot transition is not sent', state(3, 'slot', 'mon_1', 'up', 'down', 'us-east-1'), undefined],
    ['an alert change', { seq: 4, orgId: 'org_1', kind: 'alert.state_changed', at, payload: { rule_id: 'arl_1', alert_id: 'alr_1', team_id: 'tea_1', severity: 'critical', labels: {}, from: 'pending', to: 'firing', reason: 'x', value: 1 } },
      { type: 'alert', alert_id: 'alr_1', rule_id: 'arl_1', team_id: 'tea_1', from: 'pending', to: 'firing', at: at.toISOString() }],
    ['an incident change', { seq: 5, orgId: 'org_1', kind: 'incident.changed', at, payload: { incident_id: 'inc_1', number: 7, state: 'identified', change: 'root_cause' } },
      { type: 'incident', incident_id: 'inc_1', number: 7, state: 'identified', change: 'root_cause', at: at.toISOString() }],
    ['the sweep\'s wake-up of an incident is not a change', { seq: 8, orgId: 'org_1', kind: 'incident.changed', at, payload: { incident_id: 'inc_1', number: 7, state: 'identified', change: 'due' } }, undefined],
    ['metrics are not sent', { seq: 6, orgId: 'org_1', kind: 'metrics.recorded', at, payload: { monitor_ids: ['mon_1'] } }, undefined],
    ['rule changes are not sent', { seq: 7, orgId: 'org_1', kind: 'alert_rule.changed', at, payload: { rule_id: 'arl_1' } }, undefined],
  ];
  for (const [name, event, expected] of cases) assert.deepEqual(toLiveItem(event)?.event, expected, name);
  assert.deepEqual(item(state(1, 'monitor', 'mon_1', 'up', 'down')).subject, { kind: 'monitor', id: 'mon_1' });
});

test('coalesce: the latest change per subject, in the order of those latest changes', () => {
  const cases: Array<[string, StoredEvent[], Array<[number, string]>]> = [
    ['nothing', [], []],
    ['one subject many times: its latest', [state(1, 'monitor', 'm', 'up', 'down'), state(2, 'monitor', 'm', 'down', 'up'), state(3, 'monitor', 'm', 'up', 'down')], [[3, 'down']]],
    ['two subjects interleaved', [state(1, 'monitor', 'a', 'up', 'down'), state(2, 'service', 'a', 'up', 'down'), state(3, 'monitor', 'a', 'down', 'up')], [[2, 'down'], [3, 'up']]],
    ['regions of one monitor are separate subjects', [state(1, 'monitor', 'm', 'up', 'down', 'r1'), state(2, 'monitor', 'm', 'up', 'down', 'r2')], [[1, 'down'], [2, 'down']]],
    ['out of order input keeps the highest seq', [state(5, 'edge', 'e', 'down', 'up'), state(4, 'edge', 'e', 'up', 'down')], [[5, 'up']]],
  ];
  for (const [name, events, expected] of cases) {
    assert.deepEqual(coalesce(events.map(item)).map((i) => [i.seq, (i.event as { to: string }).to]), expected, name);
  }
});

test('maySee: org admins everything; others what their teams own; unknown owners only admins', () => {
  const owners = (s: LiveSubject) => ({ 'monitor:mon_a': ['tea_a'], 'service:svc_b': ['tea_b'], 'incident:inc_ab': ['tea_a', 'tea_b'], 'edge:dep_b': ['tea_b'] } as Record<string, string[]>)[`${s.kind}:${s.id}`];
  const admin: LiveScope = { orgAdmin: true, teams: new Set() };
  const a: LiveScope = { orgAdmin: false, teams: new Set(['tea_a']) };
  const none: LiveScope = { orgAdmin: false, teams: new Set() };
  const cases: Array<[LiveScope, LiveSubject, boolean]> = [
    [admin, { kind: 'service', id: 'svc_b' }, true],
    [admin, { kind: 'monitor', id: 'mon_deleted' }, true],
    [a, { kind: 'monitor', id: 'mon_a' }, true],
    [a, { kind: 'service', id: 'svc_b' }, false],
    [a, { kind: 'edge', id: 'dep_b' }, false],
    [a, { kind: 'incident', id: 'inc_ab' }, true],
    [a, { kind: 'team', id: 'tea_a' }, true],
    [a, { kind: 'team', id: 'tea_b' }, false],
    [a, { kind: 'monitor', id: 'mon_deleted' }, false],
    [none, { kind: 'monitor', id: 'mon_a' }, false],
  ];
  for (const [scope, subject, expected] of cases) assert.equal(maySee(scope, subject, owners), expected, `${JSON.stringify([...scope.teams])} ${scope.orgAdmin} ${subject.kind}:${subject.id}`);
});

test('sseMessage frames an event, and SseParser reads it back however the bytes are split', () => {
  const framed = sseMessage({ event: 'batch', id: 42, data: 'line one\nline two' });
  assert.equal(framed, 'event: batch\nid: 42\ndata: line one\ndata: line two\n\n');
  const stream = `retry: 3000\n\n: connected\n\n${framed}: keepalive\r\n\r\nevent: batch\r\nid: 43\r\ndata: {"events":[]}\r\n\r\ndata:no space\n\nid: 44\n\n`;
  for (const size of [1, 2, 3, 7, stream.length]) {
    const parser = new SseParser();
    const messages = [];
    for (let i = 0; i < stream.length; i += size) messages.push(...parser.feed(stream.slice(i, i + size)));
    assert.deepEqual(messages, [
      { event: 'batch', id: '42', data: 'line one\nline two' },
      { event: 'batch', id: '43', data: '{"events":[]}' },
      { event: 'message', id: '43', data: 'no space' },
    ], `chunks of ${size}`);
    assert.equal(parser.retryMs, 3000);
    assert.equal(parser.lastEventId, '44', 'an id without data still moves the last event id');
  }
});

test('a connection coalesces what arrives within its window into one batch whose id is where it got to; a reader that stops taking is cut off', async () => {
  const written: string[] = [];
  let ended = 0;
  const conn = new LiveConnection('org_1', { orgAdmin: true, teams: new Set() }, 10, (c) => (written.push(c), true), 30, () => ended++);
  conn.deliver([item(state(11, 'monitor', 'm', 'up', 'down'))], 11);
  conn.deliver([item(state(12, 'monitor', 'm', 'down', 'up')), item(state(13, 'service', 's', 'up', 'down'))], 15);
  conn.deliver([item(state(9, 'monitor', 'm', 'up', 'down'))], 9);
  assert.equal(written.length, 0, 'nothing before the window closes');
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(written.length, 1);
  const [head, id, data] = written[0]!.split('\n');
  assert.equal(head, 'event: batch');
  assert.equal(id, 'id: 15');
  assert.deepEqual(JSON.parse(data!.slice('data: '.length)).events.map((e: { subject_id: string; to: string }) => [e.subject_id, e.to]), [['m', 'up'], ['s', 'down']]);
  assert.equal(conn.after, 15);

  const slow = new LiveConnection('org_1', { orgAdmin: true, teams: new Set() }, 0, () => false, 30, () => ended++);
  slow.keepalive();
  assert.ok(slow.closed);
  assert.equal(ended, 1);
  slow.deliver([item(state(1, 'monitor', 'm', 'up', 'down'))], 1);
  await new Promise((r) => setTimeout(r, 60));
  conn.close();
  assert.equal(ended, 2);
});

test('the owners cache reads each kind once per batch, again when stale, and incidents whenever they change', async () => {
  const queries: Array<[OwnedKind, string[]]> = [];
  const repo = { owners: async (_db: unknown, _org: string, kind: OwnedKind, ids: readonly string[]) => (queries.push([kind, [...ids]]), new Map(ids.map((id) => [id, [`tea_${id}`]]))) } as unknown as LiveRepository;
  let now = 0;
  const cache = new LiveOwnersCache(undefined as never, repo, 1_000, 100, () => now);
  await cache.load('org_1', [{ kind: 'monitor', id: 'm1' }, { kind: 'monitor', id: 'm2' }, { kind: 'service', id: 's1' }, { kind: 'team', id: 't' }, { kind: 'monitor', id: 'm1' }]);
  assert.deepEqual(queries, [['monitor', ['m1', 'm2']], ['service', ['s1']]]);
  assert.deepEqual(cache.ownersIn('org_1')({ kind: 'monitor', id: 'm2' }), ['tea_m2']);
  assert.equal(cache.ownersIn('org_2')({ kind: 'monitor', id: 'm2' }), undefined, 'per organization');
  queries.length = 0;
  await cache.load('org_1', [{ kind: 'monitor', id: 'm1' }, { kind: 'incident', id: 'i1' }]);
  await cache.load('org_1', [{ kind: 'incident', id: 'i1' }]);
  assert.deepEqual(queries, [['incident', ['i1']], ['incident', ['i1']]]);
  queries.length = 0;
  now = 2_000;
  await cache.load('org_1', [{ kind: 'monitor', id: 'm1' }]);
  assert.deepEqual(queries, [['monitor', ['m1']]], 'stale entries are read again');
});

test('PHAROS_LIVE_MAX_STREAMS sets the global cap of open streams (default 1,000); a bad value names the variable', () => {
  assert.equal(loadApiConfig({}).liveMaxStreams, 1_000);
  assert.equal(loadApiConfig({ PHAROS_LIVE_MAX_STREAMS: '50' }).liveMaxStreams, 50);
  assert.throws(() => loadApiConfig({ PHAROS_LIVE_MAX_STREAMS: 'many' }), /PHAROS_LIVE_MAX_STREAMS/);
});
