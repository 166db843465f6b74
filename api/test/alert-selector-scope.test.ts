import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { listenLoopback, startRunnerProcess, waitFor, type Proc } from '../../scripts/test/support/processes.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { expectOk, unique } from './support/world.ts';

// A selector rule is evaluated by the event consumer for the subjects whose state changed, not for
// every subject it selects: with the periodic tick out of the way (10 min), a rule over five
// monitors fires for the one that fails within a second of its result, leaves the others' instances
// alone, and keeps the rule's instance count as a whole evaluation last set it.

describe('selector rules: the consumer evaluates the changed subjects', { skip: postgresSkip() }, () => {
  let api: TestApi;
  let target: Server;
  let runner: Proc | undefined;
  const failing = new Set<string>();
  const region = unique('r');
  const monitors: Array<{ id: string; name: string }> = [];
  let ruleId = '';
  const twins: string[] = [];

  const alerts = async () => (await api.call('GET', `/v1/alerts?rule_id=${ruleId}`)).body.items as Array<Record<string, any>>;
  const stateOf = async (id: string) => (await api.call('GET', `/v1/monitors/${id}/state`)).body.state as string;

  before(async () => {
    target = createServer((req, res) => res.writeHead(failing.has(req.url!.slice(1)) ? 500 : 200).end());
    const url = await listenLoopback(target);
    api = await startTestApi({ backend: 'postgres', app: { alertTickMs: 600_000, consumerSettings: { pollMs: 200 } } });
    const team = await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') });
    const service = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('orders'), team_id: team.id });
    for (let i = 0; i < 5; i++) {
      monitors.push(await expectOk(api, 'POST', '/v1/monitors', api.adminToken, {
        name: unique(`m${i}`), service_id: service.id, type: 'http', interval_seconds: 5, timeout_seconds: 2, failure_threshold: 1, recovery_threshold: 1,
        regions: [region], tags: { tier: '1' }, http: { url: `${url}/${i}` }, assertions: [{ source: 'status_code', operator: 'equals', target: '200' }],
      }));
    }
    ruleId = (await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, { name: unique('tier1'), team_id: team.id, expression: 'down(monitors(tag="tier:1"))', for_duration: '0s' })).id;
    // Several selector rules over the same monitors: each is evaluated from the event, not only the first.
    for (let i = 0; i < 3; i++) twins.push((await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, { name: unique(`tier1-twin${i}`), team_id: team.id, expression: 'down(monitors(tag="tier:1"))', for_duration: '0s' })).id);
    const token = (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string;
    runner = startRunnerProcess(api.url, token, { PHAROS_REGION: region });
    await waitFor('every monitor up', 60_000, async () => (await Promise.all(monitors.map((m) => stateOf(m.id)))).every((s) => s === 'up'));
  });

  after(async () => {
    await runner?.stop();
    await api?.close();
    await new Promise((r) => target?.close(r));
  });

  test('the rule\'s traits say it fans out over monitors and changes only with states', async () => {
    const row = await api.database.db.selectFrom('alert_rule_traits').selectAll().where('rule_id', '=', ruleId).executeTakeFirst();
    assert.equal(row?.selector_kind, 'monitor');
    assert.equal(row?.time_based, false);
  });

  test('one monitor fails: its alert fires from the event alone, and no other monitor gets an instance', async () => {
    failing.add('2');
    const firing = await waitFor('the failing monitor\'s alert', 20_000, async () => (await alerts()).find((a) => a.state === 'firing'));
    assert.equal(firing.labels.monitor, monitors[2]!.name);
    assert.equal(firing.labels.tier, '1', 'the monitor\'s tags are labels too (routing can match them)');
    const first = await api.database.db.selectFrom('check_results').select('received_at').where('monitor_id', '=', monitors[2]!.id).where('status', '=', 'down').orderBy('received_at').executeTakeFirstOrThrow();
    const lagMs = Date.parse(firing.firing_since) - new Date(first.received_at).getTime();
    assert.ok(lagMs >= 0 && lagMs < 1_000, `fired ${lagMs} ms after the failing result was stored`);
    assert.equal((await alerts()).length, 1);
    for (const twin of twins) {
      const list = await waitFor('the twin rule\'s alert', 5_000, async () => {
        const items = (await api.call('GET', `/v1/alerts?rule_id=${twin}&state=firing`)).body.items as Array<Record<string, any>>;
        return items.length ? items : undefined;
      }, 50);
      assert.ok(Date.parse(list[0]!.firing_since) - new Date(first.received_at).getTime() < 1_000, 'every selector rule over the monitor fires from the event');
    }
  });

  test('a second monitor fails: the first alert stays firing untouched, the second joins it; recovery resolves only its own', async () => {
    const before = (await alerts())[0]!;
    failing.add('4');
    const both = await waitFor('two firing alerts', 20_000, async () => {
      const list = (await alerts()).filter((a) => a.state === 'firing');
      return list.length === 2 && list;
    });
    const again = both.find((a) => a.id === before.id)!;
    assert.equal(again.firing_since, before.firing_since, 'the first alert keeps its firing time');
    failing.delete('2');
    await waitFor('the recovered monitor\'s alert to resolve', 20_000, async () => (await alerts()).find((a) => a.id === before.id)?.state === 'resolved');
    assert.equal((await alerts()).find((a) => a.labels.monitor === monitors[4]!.name)?.state, 'firing');
  });
});
