import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { expectOk, unique } from './support/world.ts';
import { alertEvaluatorConsumer } from '../src/modules/alerts/alert-evaluator.consumer.ts';
import { AlertInstanceRepository } from '../src/modules/alerts/alert-instance.repository.ts';
import type { StoredEvent } from '../src/modules/events/event.types.ts';

// slot.cause_changed events (a slot that stays unknown, now for no runner or no data) reach only
// the rules that read the cause, no_data(…): placing a fleet writes one per slot, and re-evaluating
// every rule over those monitors for each kept the evaluator behind the state changes pages wait for.
// The consumer runs against the real database (rules, references, traits) with an evaluation that
// records what it is asked to evaluate.

describe('alert evaluator: slot cause events reach only the rules that read the cause', { skip: postgresSkip() }, () => {
  let api: TestApi;
  const monitors: Array<{ id: string; name: string }> = [];
  const rules: Record<string, string> = {};

  before(async () => {
    api = await startTestApi({ backend: 'postgres', app: { alertTickMs: 600_000 } });
    const team = await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') });
    const service = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('orders'), team_id: team.id });
    for (let i = 0; i < 3; i++) {
      monitors.push(await expectOk(api, 'POST', '/v1/monitors', api.adminToken, {
        name: unique(`m${i}`), service_id: service.id, type: 'http', interval_seconds: 30, regions: ['eu', 'us'], tags: { tier: '1' }, http: { url: 'http://127.0.0.1:9/' },
      }));
    }
    const rule = async (key: string, expression: string) => (rules[key] = (await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, { name: unique(key), team_id: team.id, expression })).id);
    await rule('down', `down(monitor("${monitors[0]!.name}"))`);
    await rule('unknown', `unknown(monitor("${monitors[1]!.name}"))`);
    await rule('noData', `no_data(monitor("${monitors[1]!.name}")) or down(monitor("${monitors[1]!.name}"))`);
    await rule('latency', `p95(monitor("${monitors[2]!.name}"), "5m") > 500`);
    await rule('downSelector', 'down(monitors(tag="tier:1"))');
    await rule('noDataSelector', 'not no_data(monitors(tag="tier:1"))');
  });

  after(async () => {
    await api?.close();
  });

  /** Runs one batch through the consumer; returns what it evaluated: rule key → scope (sorted subjects) or 'whole'. */
  async function evaluated(events: StoredEvent[]): Promise<Record<string, string[] | 'whole'>> {
    const calls: Record<string, string[] | 'whole'> = {};
    const keyOf = new Map(Object.entries(rules).map(([k, id]) => [id, k]));
    const consumer = alertEvaluatorConsumer({
      evaluateIn: async (_trx, _org, ruleId, _now, scope) => {
        calls[keyOf.get(ruleId) ?? ruleId] = scope ? [...scope.subjects].sort() : 'whole';
        return undefined;
      },
      flushChanges: async () => undefined,
    }, new AlertInstanceRepository());
    await api.database.db.transaction().execute((trx) => consumer.handle(trx, api.orgId, events));
    return calls;
  }

  let seq = 0;
  const cause = (monitor: { id: string }, region: string, value: 'no_data' | 'no_runner' | null): StoredEvent => ({ orgId: api.orgId, kind: 'slot.cause_changed', at: new Date(), seq: ++seq, payload: { monitor_id: monitor.id, region, cause: value } });

  test('a placement-sized burst of cause events (1,000, over three monitors) evaluates only the no_data rules, once each', async () => {
    const burst = Array.from({ length: 1_000 }, (_, i) => cause(monitors[i % 3]!, i % 2 ? 'eu' : 'us', i % 3 === 0 ? 'no_runner' : 'no_data'));
    const calls = await evaluated(burst);
    const all = monitors.map((m) => `monitor:${m.id}`).sort();
    assert.deepEqual(calls, { noData: 'whole', noDataSelector: all });
  });

  test('cause events of a monitor no no_data rule names evaluate the no_data selectors for it alone', async () => {
    assert.deepEqual(await evaluated([cause(monitors[0]!, 'eu', 'no_runner'), cause(monitors[0]!, 'us', null)]), { noDataSelector: [`monitor:${monitors[0]!.id}`] });
  });

  test('a state transition in the same batch still evaluates every rule over the monitor', async () => {
    const transition: StoredEvent = { orgId: api.orgId, kind: 'state.transition', at: new Date(), seq: ++seq, payload: { subject_type: 'slot', subject_id: monitors[0]!.id, region: 'eu', from: 'unknown', to: 'down', cause: {} } };
    const calls = await evaluated([cause(monitors[0]!, 'eu', 'no_runner'), transition, cause(monitors[2]!, 'eu', 'no_data')]);
    assert.deepEqual(calls, { down: 'whole', downSelector: [`monitor:${monitors[0]!.id}`], noDataSelector: [`monitor:${monitors[0]!.id}`, `monitor:${monitors[2]!.id}`].sort() });
  });
});
