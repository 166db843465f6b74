import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { postgresSkip, startTestApi, type TestApi } from '../../api/test/support/harness.ts';
import type { Page } from '../demo/pager.inbox.ts';
import { freePort, isAlive, startRunnerProcess, waitFor, type Proc } from './support/processes.ts';

// The reference outage and its relatives, end to end on the demo fleet: `npm run demo` (31
// services, the teams' pagers and rules, its zone runners) against a control plane on
// PostgreSQL, with a runner in region "local" (as `npm start` starts) and one in "remote", checks
// every 5 s. Each case injects a fault through the demo's control server and asserts what a user
// sees: how many incidents, which root cause, who was paged, what was held; then heals and waits
// for the incident to resolve (the demo sets resolve_after_seconds 20) before the next case.
// Run with: npm test -- scripts/test/reference-outage.test.ts

const root = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);
const skip = postgresSkip();

type Incident = Record<string, any> & { id: string; number: number; state: string; root_cause: { kind: string; id: string; name: string; reason: string } | null };

describe('the reference outage on the demo fleet', { skip }, () => {
  let api: TestApi;
  const runners: Proc[] = [];
  let demo: ChildProcess | undefined;
  let controlPort = 0;
  let out = '';
  const ids = { services: new Map<string, string>(), teams: new Map<string, string>(), edges: new Map<string, string>() };

  before(async () => {
    api = await startTestApi();
    for (const region of ['local', 'remote']) {
      const token = (await api.call('POST', '/v1/runner-tokens', { body: { name: region, region } })).body.token as string;
      runners.push(startRunnerProcess(api.url, token));
    }
    controlPort = await freePort();
  });
  after(async () => {
    if (demo?.pid && isAlive(demo.pid) && demo.exitCode === null) {
      const exited = new Promise((resolve) => demo!.once('exit', resolve));
      demo.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (demo.exitCode === null && demo.signalCode === null) demo.kill('SIGKILL');
    }
    await Promise.all(runners.map((r) => r.stop()));
    await api?.close();
  });

  const env = () => ({ ...process.env, PHAROS_API_URL: api.url, PHAROS_TOKEN: api.adminToken, PHAROS_DEMO_CONTROL_PORT: String(controlPort), PHAROS_DEMO_INTERVAL: '5' });
  const cli = async (...args: string[]) => (await run(process.execPath, ['--import', 'tsx', join(root, 'scripts/demo.ts'), ...args], { cwd: root, env: env() })).stdout;
  const control = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${controlPort}${path}`, { method: 'POST' });
    assert.equal(res.status, 200, `${path}: ${await res.text()}`);
  };
  const pages = async () => ((await (await fetch(`http://127.0.0.1:${controlPort}/pages`)).json()) as { pages: Page[] }).pages;
  const open = async () => (await api.call('GET', '/v1/incidents?state=open')).body.items as Incident[];
  const detail = async (id: string) => (await api.call('GET', `/v1/incidents/${id}`)).body as Incident;
  const edgeId = (from: string, to: string) => ids.edges.get(`${ids.services.get(from)} ${ids.services.get(to)}`)!;
  const firing = (list: Page[]) => list.filter((p) => p.status === 'firing');

  /** Everything a failure message needs: the open incidents in full (alerts, timeline) and the pages since the case began. */
  const diagnosis = async (since: number) => {
    const incidents = await Promise.all((await open()).map((i) => detail(i.id)));
    const brief = incidents.map((i) => ({
      number: i.number, state: i.state, title: i.title, root_cause: i.root_cause, candidates: i.candidates?.map((c: any) => [c.name, c.reason, c.score]),
      impacted: i.impacted?.map((n: any) => n.name), alerts: i.alerts?.map((a: any) => [a.rule_name, a.labels.service, a.labels.depends_on ?? '', a.state, a.notification, a.hold_reason]),
      timeline: i.timeline?.map((t: any) => [t.at.slice(11, 23), t.kind, JSON.stringify(t.payload).slice(0, 160)]),
    }));
    return `open incidents: ${JSON.stringify(brief, null, 1)}\npages: ${JSON.stringify((await pages()).slice(since).map((p) => [p.received_at.slice(11, 19), p.team, p.status, p.rule, p.service, p.depends_on]))}`;
  };

  /** Waits until `count` incidents are open, each with a root cause, and the state holds for one more check. */
  const incidentsNamed = async (what: string, count: number, since: number, ms = 60_000) => {
    let last: Incident[] = [];
    await waitFor(what, ms, async () => {
      last = await open();
      return last.length === count && last.every((i) => i.root_cause) ? last : undefined;
    }, 500).catch(async () => assert.fail(`${what}: not within ${ms / 1000} s\n${await diagnosis(since)}`));
    return last;
  };

  /** Heals everything and waits until no incident is open (resolve_after_seconds 20 after the last alert resolved). */
  const healAndResolve = async (since: number) => {
    await control('/heal');
    await waitFor('every incident resolved', 90_000, async () => (await open()).length === 0, 1000).catch(async () => assert.fail(`not resolved after heal\n${await diagnosis(since)}`));
  };

  test('the demo declares its fleet and every monitor goes up', { timeout: 150_000 }, async () => {
    demo = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/demo.ts')], { cwd: root, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    demo.stdout!.on('data', (d) => (out += d));
    demo.stderr!.on('data', (d) => (out += d));
    await waitFor('the demo to declare its fleet', 60_000, async () => out.includes('Ctrl-C stops the fleet') || (demo!.exitCode !== null && assert.fail(out)), 250);
    assert.match(out, /The incident: npm run demo -- incidents/, 'the summary points at the incidents command');
    assert.match(out, /Watch it in the console: http:\/\/127\.0\.0\.1:\d+\/map/, 'the summary points at the console\'s map');
    let last: Array<{ name: string; state: string }> = [];
    await waitFor('every monitor up', 90_000, async () => {
      const status = (await api.call('GET', '/v1/status')).body;
      last = (status.services as Array<{ monitors: Array<{ name: string; state: string }> }>).flatMap((s) => s.monitors);
      return last.length > 100 && last.every((m) => m.state === 'up');
    }, 1000).catch(() => assert.fail(`not up: ${JSON.stringify(last.filter((m) => m.state !== 'up'))}\n${out}`));
    const graph = (await api.call('GET', '/v1/dependency-graph')).body as { nodes: Array<{ id: string; name: string }>; edges: Array<{ id: string; service_id: string; depends_on_service_id: string; monitored: boolean; state: string }> };
    for (const n of graph.nodes) ids.services.set(n.name, n.id);
    for (const e of graph.edges) ids.edges.set(`${e.service_id} ${e.depends_on_service_id}`, e.id);
    for (const t of (await api.call('GET', '/v1/teams')).body.items as Array<{ id: string; name: string }>) ids.teams.set(t.name, t.id);
    assert.equal(graph.nodes.length, 31);
    assert.ok(graph.edges.filter((e) => e.monitored).every((e) => e.state === 'up'), 'every monitored edge is up');
    assert.equal((await open()).length, 0, 'nothing open before the first fault');
    assert.match(await cli('incidents'), /No incidents yet/);
  });

  test('(a) cut fulfillment-api → shipping-integration: one incident naming the edge, fulfillment paged once, the service alert held; heal resolves it', { timeout: 180_000 }, async () => {
    const since = (await pages()).length;
    let passed = false;
    try {
      const started = Date.now();
      await control('/cut/fulfillment-api/shipping-integration');
      const [incident] = await incidentsNamed('one open incident with a root cause', 1, since);
      const named = Date.now();
      // Let the alerts that fire a check later join, and the pages of the policy's group_wait (5 s) go out.
      await waitFor('the edge page', 30_000, async () => firing((await pages()).slice(since)).some((p) => p.rule === 'fulfillment-path-blocked'), 500).catch(async () => assert.fail(`no edge page\n${await diagnosis(since)}`));
      await new Promise((r) => setTimeout(r, 8_000));
      const list = await open();
      assert.equal(list.length, 1, `exactly one open incident\n${await diagnosis(since)}`);
      const d = await detail(incident!.id);
      const failure = await diagnosis(since);
      assert.equal(d.root_cause?.kind, 'edge', `the root cause is the edge\n${failure}`);
      assert.equal(d.root_cause?.id, edgeId('fulfillment-api', 'shipping-integration'), `the cut edge's dependency id\n${failure}`);
      assert.equal(d.root_cause?.reason, 'edge_target_healthy', failure);
      assert.equal(d.team_id, ids.teams.get('fulfillment'), `owned by fulfillment\n${failure}`);
      assert.equal(d.state, 'identified', failure);

      const sent = firing((await pages()).slice(since));
      assert.deepEqual(sent.map((p) => [p.team, p.rule, p.service, p.depends_on]), [['fulfillment', 'fulfillment-path-blocked', 'fulfillment-api', 'shipping-integration']], `fulfillment paged once, for the edge; nobody else\n${failure}`);
      const alerts = d.alerts as Array<{ rule_name: string; labels: Record<string, string>; notification: string; state: string }>;
      const service = alerts.find((a) => a.rule_name === 'fulfillment-service-unhealthy' && a.labels.service === 'fulfillment-api');
      assert.equal(service?.notification, 'held', `fulfillment-api's service alert is held\n${failure}`);
      // Only the root cause's own page may have waited (the settle time of a young root cause) and gone out; no dependent's was released.
      assert.ok(alerts.filter((a) => a.notification === 'held').length >= 1 && alerts.every((a) => a.notification !== 'released' || a.rule_name === 'fulfillment-path-blocked'), failure);
      const kinds = new Set((d.timeline as Array<{ kind: string }>).map((t) => t.kind));
      for (const k of ['opened', 'alert_added', 'root_cause', 'notification_held']) assert.ok(kinds.has(k), `timeline has ${k}\n${failure}`);

      const shown = await cli('incidents');
      assert.match(shown, new RegExp(`Open incidents \\(1\\):\\n#${d.number} {2}IDENTIFIED {2}.*fulfillment-api.*shipping-integration`), shown);
      assert.match(shown, /owner fulfillment; root cause: edge fulfillment-api → shipping-integration \(edge_target_healthy\)/, shown);
      assert.match(shown, /pages sent 1, held [1-9]/, shown);
      assert.match(await cli('pages'), /PAGE → fulfillment {2}FIRING {4}critical {2}fulfillment-path-blocked: fulfillment-api → shipping-integration {2}\(/);

      const healed = Date.now();
      await control('/heal');
      await waitFor('the resolution page', 60_000, async () => (await pages()).slice(since).some((p) => p.status === 'resolved' && p.rule === 'fulfillment-path-blocked'), 500).catch(async () => assert.fail(`no resolution\n${await diagnosis(since)}`));
      await waitFor('the incident resolved', 90_000, async () => (await detail(d.id)).state === 'resolved', 1000).catch(async () => assert.fail(`not resolved\n${await diagnosis(since)}`));
      const after = (await pages()).slice(since);
      assert.equal(firing(after).length, 1, `no held page was released on the way out: ${JSON.stringify(after)}`);
      assert.match(await cli('incidents'), new RegExp(`Recently resolved \\(1\\):\\n#${d.number} {2}RESOLVED[^\\n]*\\n[^\\n]*\\n[^\\n]*\\n[^\\n]*\\n {4}opened \\d\\d:\\d\\d:\\d\\dZ, resolved \\d\\d:\\d\\d:\\d\\dZ`));
      process.stdout.write(`# (a) cut → incident named ${((named - started) / 1000).toFixed(1)} s; heal → resolved ${((Date.now() - healed) / 1000).toFixed(1)} s\n`);
      passed = true;
    } finally {
      // The next case starts from a healed fleet; a failure above is reported, not the heal's.
      await healAndResolve(since).catch((error: unknown) => {
        if (passed) throw error;
      });
    }
  });

  test('(b) break carrier-api (an external API): its root cause is the carrier, fulfillment paged for it, the dependents held', { timeout: 180_000 }, async () => {
    const since = (await pages()).length;
    let passed = false;
    try {
      await control('/break/carrier-api');
      const [incident] = await incidentsNamed('one open incident with a root cause', 1, since);
      await waitFor('the carrier page', 30_000, async () => firing((await pages()).slice(since)).some((p) => p.service === 'carrier-api'), 500).catch(async () => assert.fail(`no carrier page\n${await diagnosis(since)}`));
      await new Promise((r) => setTimeout(r, 8_000));
      const failure = await diagnosis(since);
      assert.equal((await open()).length, 1, `one incident\n${failure}`);
      const d = await detail(incident!.id);
      assert.deepEqual([d.root_cause?.kind, d.root_cause?.id], ['service', ids.services.get('carrier-api')], `the external API is the root cause\n${failure}`);
      const sent = firing((await pages()).slice(since));
      assert.deepEqual(sent.map((p) => [p.team, p.rule, p.service]), [['fulfillment', 'fulfillment-service-unhealthy', 'carrier-api']], `only the carrier's owner is paged, once\n${failure}`);
      const held = (d.alerts as Array<{ labels: Record<string, string>; notification: string }>).filter((a) => a.notification === 'held').map((a) => a.labels.service);
      for (const s of ['shipping-integration', 'checkout-api']) assert.ok(held.includes(s), `${s}'s alert is held\n${failure}`);
      passed = true;
    } finally {
      // The next case starts from a healed fleet; a failure above is reported, not the heal's.
      await healAndResolve(since).catch((error: unknown) => {
        if (passed) throw error;
      });
    }
  });

  test('(c) break customer-profile (the most shared internal dependency): one incident, not one per service, only platform paged', { timeout: 180_000 }, async () => {
    const since = (await pages()).length;
    let passed = false;
    try {
      await control('/break/customer-profile');
      const [incident] = await incidentsNamed('one open incident with a root cause', 1, since);
      await waitFor('the customer-profile page', 30_000, async () => firing((await pages()).slice(since)).some((p) => p.service === 'customer-profile'), 500).catch(async () => assert.fail(`no page\n${await diagnosis(since)}`));
      await new Promise((r) => setTimeout(r, 8_000));
      const failure = await diagnosis(since);
      assert.equal((await open()).length, 1, `one incident for every service that fails through it\n${failure}`);
      const d = await detail(incident!.id);
      assert.deepEqual([d.root_cause?.kind, d.root_cause?.id], ['service', ids.services.get('customer-profile')], `the shared dependency is the root cause\n${failure}`);
      const teams = new Set((d.alerts as Array<{ team_id: string }>).map((a) => a.team_id));
      assert.ok(teams.size >= 3, `alerts of several teams joined it (${teams.size})\n${failure}`);
      assert.ok((d.impacted as unknown[]).length >= 5, `many services impacted\n${failure}`);
      const sent = firing((await pages()).slice(since));
      assert.deepEqual(sent.map((p) => [p.team, p.rule, p.service]), [['platform', 'platform-service-unhealthy', 'customer-profile']], `only platform is paged, once\n${failure}`);
      passed = true;
    } finally {
      // The next case starts from a healed fleet; a failure above is reported, not the heal's.
      await healAndResolve(since).catch((error: unknown) => {
        if (passed) throw error;
      });
    }
  });

  test('(d) cms-provider and payment-gateway down at once: two incidents, each with its own root cause and owner paged', { timeout: 180_000 }, async () => {
    const since = (await pages()).length;
    let passed = false;
    try {
      await control('/break/cms-provider');
      await control('/break/payment-gateway');
      await incidentsNamed('two open incidents with root causes', 2, since);
      await waitFor('both owners paged', 30_000, async () => {
        const sent = firing((await pages()).slice(since));
        return sent.some((p) => p.service === 'cms-provider') && sent.some((p) => p.service === 'payment-gateway');
      }, 500).catch(async () => assert.fail(`not both paged\n${await diagnosis(since)}`));
      await new Promise((r) => setTimeout(r, 8_000));
      const failure = await diagnosis(since);
      const list = await open();
      assert.equal(list.length, 2, `two incidents\n${failure}`);
      assert.deepEqual(list.map((i) => i.root_cause?.id).sort(), [ids.services.get('cms-provider'), ids.services.get('payment-gateway')].sort(), failure);
      const sent = firing((await pages()).slice(since));
      assert.deepEqual(sent.map((p) => [p.team, p.service]).sort(), [['payments', 'payment-gateway'], ['storefront', 'cms-provider']], `each owner paged once, for its external API\n${failure}`);
      passed = true;
    } finally {
      // The next case starts from a healed fleet; a failure above is reported, not the heal's.
      await healAndResolve(since).catch((error: unknown) => {
        if (passed) throw error;
      });
    }
  });
});
