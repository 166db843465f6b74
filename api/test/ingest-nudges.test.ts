import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { monotonicFactory } from 'ulid';
import type { EventConsumer } from '../src/modules/events/event.consumer.ts';
import type { StoredEvent } from '../src/modules/events/event.types.ts';
import { startTestApi, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';
import { pollRunner, registerRunner, type SimulatedRunner } from './support/simulated-runner.ts';

// The event log's consumers are nudged after a result batch that appended to the log (a state
// transition, health metrics recorded), so the alert engine and the router see it at once, not at
// their next poll; a batch that changed no state appends nothing and nudges no one. Here the
// consumers poll once a minute: whatever they see within seconds, a nudge brought.

const ulid = monotonicFactory();
const seen: StoredEvent[] = [];
const recorder: EventConsumer = {
  name: 'nudge-recorder',
  start: 'latest',
  async handle(_trx, _orgId, events) {
    seen.push(...events);
  },
};

let api: TestApi;
let runner: SimulatedRunner;
let monitor: string;
let region: string;

before(async () => {
  api = await startTestApi({ app: { consumers: [recorder], consumerSettings: { pollMs: 60_000 } } });
  const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
  const service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team))).id;
  region = unique('r');
  monitor = (await expectOk(api, 'POST', '/v1/monitors', api.adminToken, {
    ...bodies.monitor(service), regions: [region], failure_threshold: 1, recovery_threshold: 1,
    http: { url: 'http://127.0.0.1:9/health', metrics: [{ name: 'queue_depth', path: '$.queue.depth' }] },
  })).id as string;
  runner = await registerRunner(api, (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string);
  await pollRunner(api, runner, 0);
});
after(async () => api?.close());

const push = async (status: 'up' | 'down', metrics?: Record<string, number>) => {
  const result = { id: `res_${ulid()}`, monitor_id: monitor, region, started_at: new Date().toISOString(), status, duration_ms: 3, ...(metrics ? { metrics } : {}) };
  const res = await api.call('POST', '/v1/runner/results', { token: runner.token, body: { runner_id: runner.id, results: [result] } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.accepted, [result.id]);
};
const waitFor = async (what: string, found: (e: StoredEvent) => boolean) => {
  const deadline = Date.now() + 5_000;
  while (!seen.some(found)) {
    assert.ok(Date.now() < deadline, `${what} did not reach the consumer within 5 s (its poll is a minute away): ingest did not nudge it`);
    await new Promise((r) => setTimeout(r, 25));
  }
};
const slotTo = (to: string) => (e: StoredEvent) => e.kind === 'state.transition' && e.payload.subject_type === 'slot' && e.payload.subject_id === monitor && e.payload.to === to;

test('a batch with a state transition nudges the consumers: they see it within seconds', async () => {
  await push('up');
  await waitFor('the transition to up', slotTo('up'));
  await push('down');
  await waitFor('the transition to down', slotTo('down'));
});

test('a batch with health metrics and no transition nudges them too (metric rules read it)', async () => {
  await push('up');
  await waitFor('the recovery', slotTo('up'));
  await push('up', { queue_depth: 7 });
  await waitFor('metrics.recorded', (e) => e.kind === 'metrics.recorded' && (e.payload.monitor_ids as string[]).includes(monitor));
});
