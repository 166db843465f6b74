import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// Who manages an object (managed_by) on a real Postgres: a create records the writer named by
// Pharos-Managed-By; the discovery agent may change or delete only what it manages (409
// managed_elsewhere, nothing changes); a Terraform write claims an object; other writes keep its
// manager; lists filter by it and keep paging.

const skip = postgresSkip();
let api: TestApi;
let team: string;
let service: string;

const as = (manager: string | undefined): Record<string, string> => (manager ? { 'pharos-managed-by': manager } : {});
const call = (method: string, path: string, body: unknown, manager?: string) => api.call(method, path, { body, headers: as(manager) });
const monitorInput = (name = unique('mon')) => ({ ...bodies.monitor(service), name });
/** A GET answer made back into a PUT body: read-only fields left out. */
const inputOf = (doc: Record<string, unknown>) => {
  const { id: _i, created_at: _c, updated_at: _u, version: _v, configured_secrets: _s, managed_by: _m, team_id: _t, warnings: _w, ...input } = doc;
  return input;
};

before(async () => {
  if (skip) return;
  api = await startTestApi();
  team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('mb-team') })).id;
  service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team))).id;
});
after(async () => api?.close());

test('a create records the writer of Pharos-Managed-By, "api" without it; a bad value is 400 and creates nothing', { skip }, async () => {
  for (const [header, expected] of [[undefined, 'api'], ['discovery', 'discovery'], ['terraform', 'terraform'], ['api', 'api'], ['Terraform', 'terraform']] as const) {
    const res = await call('POST', '/v1/monitors', monitorInput(), header);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.managed_by, expected);
    assert.equal((await api.call('GET', `/v1/monitors/${res.body.id}`)).body.managed_by, expected);
  }
  const name = unique('bad');
  const bad = await call('POST', '/v1/monitors', monitorInput(name), 'helm');
  assert.equal(bad.status, 400);
  assert.equal(bad.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assert.equal(bad.body.code, 'invalid_managed_by');
  assert.match(bad.body.detail, /"terraform", "discovery", "api".*got "helm"/);
  assert.equal((await api.call('GET', `/v1/monitors?name=${name}`)).body.items.length, 0);
});

test('discovery cannot change or delete a monitor Terraform or the API manages: 409 managed_elsewhere, nothing changes', { skip }, async () => {
  for (const owner of ['terraform', 'api'] as const) {
    const name = unique('checkout-health');
    const created = await call('POST', '/v1/monitors', monitorInput(name), owner === 'api' ? undefined : owner);
    const id = created.body.id as string;
    const attempts = [
      await call('PUT', `/v1/monitors/${id}`, { ...inputOf(created.body), description: 'from discovery' }, 'discovery'),
      await api.call('PATCH', `/v1/monitors/${id}`, { body: { description: 'from discovery' }, headers: { ...as('discovery'), 'content-type': 'application/merge-patch+json' } }),
      await call('DELETE', `/v1/monitors/${id}`, undefined, 'discovery'),
    ];
    for (const res of attempts) {
      assert.equal(res.status, 409, JSON.stringify(res.body));
      assert.equal(res.body.code, 'managed_elsewhere');
      assert.match(res.body.detail, new RegExp(`^monitor "${name}" is managed by ${owner}; discovery does not change it`));
    }
    const after = (await api.call('GET', `/v1/monitors/${id}`)).body;
    assert.equal(after.version, created.body.version);
    assert.equal(after.description, created.body.description);
    assert.equal(after.managed_by, owner);
  }
});

test('discovery changes and deletes what it manages; the API keeps the manager; Terraform claims it (audited), after which discovery is refused', { skip }, async () => {
  const created = await call('POST', '/v1/monitors', monitorInput(), 'discovery');
  const id = created.body.id as string;
  const put = await call('PUT', `/v1/monitors/${id}`, { ...inputOf(created.body), interval_seconds: 60 }, 'discovery');
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal(put.body.managed_by, 'discovery');
  assert.equal(put.body.interval_seconds, 60);
  // A person edits it through the API: allowed, still discovery's.
  const patched = await api.call('PATCH', `/v1/monitors/${id}`, { body: { description: 'by hand' }, headers: { 'content-type': 'application/merge-patch+json' } });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.managed_by, 'discovery');
  // terraform import + apply: the provider's write claims it.
  const claimed = await call('PUT', `/v1/monitors/${id}`, inputOf(patched.body), 'terraform');
  assert.equal(claimed.status, 200);
  assert.equal(claimed.body.managed_by, 'terraform');
  const audit = (await api.call('GET', `/v1/audit?resource_id=${id}&limit=10`)).body.items as Array<{ action: string; before: { managed_by?: string } | null; after: { managed_by?: string } | null }>;
  assert.ok(audit.some((e) => e.action === 'update' && e.before?.managed_by === 'discovery' && e.after?.managed_by === 'terraform'), 'the adoption is in the audit log');
  const refused = await call('PUT', `/v1/monitors/${id}`, inputOf(claimed.body), 'discovery');
  assert.equal(refused.status, 409);
  assert.equal(refused.body.code, 'managed_elsewhere');
  // The API without the header still edits it and it stays Terraform's.
  const edited = await api.call('PATCH', `/v1/monitors/${id}`, { body: { description: 'hotfix' }, headers: { 'content-type': 'application/merge-patch+json' } });
  assert.equal(edited.body.managed_by, 'terraform');

  const own = await call('POST', '/v1/monitors', monitorInput(), 'discovery');
  assert.equal((await call('DELETE', `/v1/monitors/${own.body.id}`, undefined, 'discovery')).status, 204);
  assert.equal((await api.call('GET', `/v1/monitors/${own.body.id}`)).status, 404);
});

test('GET /v1/monitors and /v1/services filter by managed_by and keep paging', { skip }, async () => {
  const svc = (await call('POST', '/v1/services', bodies.service(team), 'discovery')).body.id as string;
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await call('POST', '/v1/monitors', { ...monitorInput(), service_id: svc }, 'discovery')).body.id);
  await call('POST', '/v1/monitors', { ...monitorInput(), service_id: svc }, 'terraform');
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.call('GET', `/v1/monitors?service_id=${svc}&managed_by=discovery&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(page.status, 200);
    assert.ok(page.body.items.length <= 2);
    for (const m of page.body.items) assert.equal(m.managed_by, 'discovery');
    seen.push(...page.body.items.map((m: { id: string }) => m.id));
    cursor = page.body.next_cursor;
  } while (cursor);
  assert.deepEqual(seen, ids);
  const services = (await api.call('GET', '/v1/services?managed_by=discovery&limit=200')).body.items as Array<{ id: string; managed_by: string }>;
  assert.ok(services.some((s) => s.id === svc));
  assert.ok(services.every((s) => s.managed_by === 'discovery'));
  assert.ok(!services.some((s) => s.id === service));
  const bad = await api.call('GET', '/v1/monitors?managed_by=helm');
  assert.equal(bad.status, 422);
});

test('the same rules hold for teams, members, dependencies, silences, runner tokens, incident settings and every spec kind', { skip }, async () => {
  const t = (await call('POST', '/v1/teams', { name: unique('mb') }, 'terraform')).body;
  assert.equal(t.managed_by, 'terraform');
  const cases: Array<{ what: string; path: string; body: Record<string, unknown> }> = [];
  cases.push({ what: 'team', path: `/v1/teams/${t.id}`, body: { description: 'x' } });
  const member = await expectOk(api, 'POST', `/v1/teams/${t.id}/members`, api.adminToken, bodies.member());
  cases.push({ what: 'team member', path: `/v1/teams/${t.id}/members/${member.id}`, body: { display_name: 'x' } });
  const s1 = await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(t.id));
  const s2 = await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(t.id));
  const dep = await expectOk(api, 'POST', `/v1/services/${s1.id}/dependencies`, api.adminToken, { depends_on_service_id: s2.id });
  cases.push({ what: 'dependency', path: `/v1/services/${s1.id}/dependencies/${dep.id}`, body: { description: 'x' } });
  const silence = await expectOk(api, 'POST', '/v1/silences', api.adminToken, { team_id: t.id, matchers: [{ label: 'service', operator: '=', value: 'x' }], starts_at: new Date().toISOString(), ends_at: new Date(Date.now() + 3_600_000).toISOString(), comment: 'deploy freeze' });
  cases.push({ what: 'silence', path: `/v1/silences/${silence.id}`, body: { comment: 'x' } });
  const rt = await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, bodies.runnerToken());
  cases.push({ what: 'runner token', path: `/v1/runner-tokens/${rt.id}`, body: { labels: { zone: 'b' } } });
  const channel = await expectOk(api, 'POST', '/v1/channels', api.adminToken, bodies.channel(t.id));
  for (const [what, path, body] of [
    ['service', `/v1/services/${s1.id}`, { description: 'x' }],
    ['alert rule', `/v1/alert-rules/${(await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, bodies.alertRule(t.id))).id}`, { message: 'x' }],
    ['channel', `/v1/channels/${channel.id}`, { description: 'x' }],
    ['routing policy', `/v1/routing-policies/${(await expectOk(api, 'POST', '/v1/routing-policies', api.adminToken, bodies.routingPolicy(t.id, channel.id))).id}`, { priority: 5 }],
    ['maintenance window', `/v1/maintenance-windows/${(await expectOk(api, 'POST', '/v1/maintenance-windows', api.adminToken, bodies.window(t.id))).id}`, { description: 'x' }],
    ['slo', `/v1/slos/${(await expectOk(api, 'POST', '/v1/slos', api.adminToken, bodies.slo(t.id, s1.id))).id}`, { target_percent: 99.5 }],
    ['status page', `/v1/status-pages/${(await expectOk(api, 'POST', '/v1/status-pages', api.adminToken, bodies.statusPage(t.id, s2.id))).id}`, { title: 'x' }],
  ] as const) cases.push({ what, path, body });

  for (const c of cases) {
    const before = (await api.call('GET', c.path)).body;
    assert.ok(['api', 'terraform'].includes(before.managed_by), `${c.what} answers managed_by`);
    const patch = await api.call('PATCH', c.path, { body: c.body, headers: { ...as('discovery'), 'content-type': 'application/merge-patch+json' } });
    assert.equal(patch.status, 409, `${c.what}: ${JSON.stringify(patch.body)}`);
    assert.equal(patch.body.code, 'managed_elsewhere');
    assert.match(patch.body.detail, new RegExp(`^${c.what} ".+" is managed by ${before.managed_by}`));
    const del = await call('DELETE', c.path, undefined, 'discovery');
    assert.equal(del.status, 409, `${c.what} delete`);
    assert.equal((await api.call('GET', c.path)).body.version, before.version, `${c.what} unchanged`);
    const claimed = await api.call('PATCH', c.path, { body: c.body, headers: { ...as('terraform'), 'content-type': 'application/merge-patch+json' } });
    assert.equal(claimed.status, 200, `${c.what}: ${JSON.stringify(claimed.body)}`);
    assert.equal(claimed.body.managed_by, 'terraform', `${c.what} claimed by terraform`);
  }

  // The organization's incident settings: created by the first PUT, then the same rules.
  const first = await call('PUT', '/v1/incident-settings', { correlation_window_seconds: 120 }, 'terraform');
  assert.equal(first.status, 200);
  assert.equal(first.body.managed_by, 'terraform');
  const refused = await call('PUT', '/v1/incident-settings', { correlation_window_seconds: 60 }, 'discovery');
  assert.equal(refused.status, 409);
  assert.equal((await api.call('GET', '/v1/incident-settings')).body.correlation_window_seconds, 120);
  const byApi = await call('PUT', '/v1/incident-settings', { correlation_window_seconds: 90 });
  assert.equal(byApi.body.managed_by, 'terraform');
});
