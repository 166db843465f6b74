import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresSkip, startTestApi, type TestApi } from '../../api/test/support/harness.ts';
import { startRunnerProcess, waitFor, type Proc } from './support/processes.ts';
import { runReadmeTour, type TourRun } from './support/readme-tour.ts';

// The README's five-minute tour, run with bash and curl against a started control plane with a
// runner in region "local" (as `npm start` runs them): every request succeeds, and the tour's monitor
// goes up and reads as up in its SLA. Run with: npm test -- scripts/test/readme-tour.test.ts

const skip = postgresSkip();
let api: TestApi;
let runner: Proc | undefined;
let tour: TourRun;

before(async () => {
  if (skip) return;
  api = await startTestApi();
  const token = (await api.call('POST', '/v1/runner-tokens', { body: { name: 'local', region: 'local' } })).body.token as string;
  runner = startRunnerProcess(api.url, token);
  tour = await runReadmeTour(api.url, api.adminToken);
});
after(async () => {
  await runner?.stop();
  await api?.close();
});

test('every request of the tour succeeds and the ids it keeps are real', { skip }, () => {
  const problems = tour.documents.filter((d) => typeof (d as { code?: unknown }).code === 'string' && typeof (d as { status?: unknown }).status === 'number');
  assert.deepEqual(problems, [], tour.output);
  for (const [name, value] of Object.entries(tour.vars)) assert.match(value, /^[a-z]+_[0-9A-Za-z]+$/, `${name} holds an id: ${tour.output}`);
  assert.ok(tour.vars.MON, 'the tour keeps its monitor id in MON');
});

test('the tour\'s routing test names its policy and channel as the ones that would page', { skip }, () => {
  const answer = tour.documents.find((d) => Array.isArray((d as { routes?: unknown }).routes)) as { routes: Array<{ policies: Array<{ id: string }>; channels: Array<{ id: string }> }> } | undefined;
  assert.ok(answer, tour.output);
  assert.deepEqual(answer.routes.map((r) => [r.policies.map((p) => p.id), r.channels.map((c) => c.id)]), [[[tour.vars.POLICY], [tour.vars.HOOK]]]);
  assert.ok(tour.vars.RULE, 'the tour keeps its rule id in RULE');
});

test('the tour\'s monitor goes up, and its SLA reads 100 % of the observed time', { skip, timeout: 90_000 }, async () => {
  const state = await waitFor('the tour monitor to be up', 75_000, async () => {
    const res = await api.call('GET', `/v1/monitors/${tour.vars.MON}/state`);
    return res.status === 200 && res.body.state === 'up' ? res.body : undefined;
  }, 500).catch((error: Error) => assert.fail(`${error.message}\nrunner output:\n${runner?.output()}`));
  assert.equal(state.state, 'up');
  const sla = await api.call('GET', `/v1/sla/monitors/${tour.vars.MON}?window=24h`);
  assert.equal(sla.status, 200);
  assert.equal(sla.body.uptime_percent, 100);
  assert.ok(sla.body.observed_seconds >= 0 && sla.body.downtime_seconds === 0, JSON.stringify(sla.body));
  // The service of the monitor is up too: the tour's /v1/status shows it.
  const status = await api.call('GET', '/v1/status');
  const service = status.body.services.find((s: { monitors: Array<{ id: string }> }) => s.monitors.some((m) => m.id === tour.vars.MON));
  assert.equal(service.state, 'up');
});
