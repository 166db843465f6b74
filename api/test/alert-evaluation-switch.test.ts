import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadApiConfig } from '../src/config.ts';
import { startTestApi } from './support/harness.ts';
import { expectOk, unique } from './support/world.ts';

// PHAROS_ALERT_EVALUATION=off (benchmark baselines) stops a process from evaluating alert rules:
// no consumer, no tick; PHAROS_ALERT_TICK_MS sets the tick. Bad values name the variable.

describe('alert evaluation settings', () => {
  test('evaluation is on with a 5 s tick unless the environment says otherwise; bad values say what to write', () => {
    assert.deepEqual([loadApiConfig({}).alertEvaluation, loadApiConfig({}).alertTickMs], [true, 5_000]);
    assert.equal(loadApiConfig({ PHAROS_ALERT_EVALUATION: 'off' }).alertEvaluation, false);
    assert.equal(loadApiConfig({ PHAROS_ALERT_EVALUATION: 'on' }).alertEvaluation, true);
    assert.equal(loadApiConfig({ PHAROS_ALERT_TICK_MS: '1000' }).alertTickMs, 1_000);
    assert.throws(() => loadApiConfig({ PHAROS_ALERT_EVALUATION: 'false' }), /PHAROS_ALERT_EVALUATION="false" must be "on" or "off"/);
    assert.throws(() => loadApiConfig({ PHAROS_ALERT_TICK_MS: '50' }), /PHAROS_ALERT_TICK_MS="50" is not an integer between 200 and 600000/);
  });

  for (const evaluating of [true, false]) {
    test(`with evaluation ${evaluating ? 'on' : 'off'} a rule ${evaluating ? 'is' : 'is never'} evaluated by the tick`, async () => {
      const api = await startTestApi({ backend: 'pglite', app: { alertEvaluation: evaluating, alertTickMs: 200 } });
      try {
        const team = await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('team') });
        const service = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('svc'), team_id: team.id });
        const monitor = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { name: unique('mon'), service_id: service.id, type: 'http', regions: ['r'], http: { url: 'http://127.0.0.1:9/' } });
        const rule = await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, { name: unique('rule'), team_id: team.id, expression: `down(monitor("${monitor.name}"))` });
        const deadline = Date.now() + 3_000;
        let evaluatedAt: string | null = null;
        while (Date.now() < deadline && !evaluatedAt) {
          evaluatedAt = (await api.call('GET', `/v1/alert-rules/${rule.id}/status`)).body.last_evaluated_at ?? null;
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.equal(Boolean(evaluatedAt), evaluating);
        const evaluators = api.app.consumers.map((c) => c.name).filter((n) => n.startsWith('alert-'));
        assert.deepEqual(evaluators, evaluating ? ['alert-evaluator', 'alert-metric-evaluator'] : [], 'the evaluator consumers run only when evaluating');
        assert.ok(api.app.consumers.some((c) => c.name === 'notification-router'), 'the router runs either way (another replica may evaluate)');
      } finally {
        await api.close();
      }
    });
  }
});
