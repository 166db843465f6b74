import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '../src/app.ts';
import { NotificationRepository } from '../src/modules/notifications/notification.repository.ts';
import { newId } from '../src/shared/ids.ts';
import { startTestApi, postgresSkip, testSecretBox, type TestApi } from './support/harness.ts';
import { bodies, createWorld, expectOk, roles, targets, unique, type Role, type Target, type TeamFixture, type World } from './support/world.ts';

// Every route × every role × own team / other team / other organization, with the exact status of
// each cell. A route added to the API without a row here fails the first test.

type Triple = [own: number, otherTeam: number, otherOrg: number];
type Expect = Record<Role, Triple>;
interface Row {
  path: (f: TeamFixture) => string;
  body?: (f: TeamFixture, api: TestApi) => unknown | Promise<unknown>;
  /** For successful deletes: a fresh resource to delete, so later cells still find theirs. */
  fresh?: (f: TeamFixture, api: TestApi) => Promise<TeamFixture>;
  expect: Expect;
  /** For lists: whether the target's item is in the page, per role. */
  listed?: (f: TeamFixture) => string;
}

const same = (t: Triple): Expect => ({ org_admin: t, team_admin: t, team_editor: t, viewer: t });
const read: Expect = { org_admin: [200, 200, 404], team_admin: [200, 404, 404], team_editor: [200, 404, 404], viewer: [200, 404, 404] };
const write = (ok: number): Expect => ({ org_admin: [ok, ok, 404], team_admin: [ok, 404, 404], team_editor: [ok, 404, 404], viewer: [403, 404, 404] });
const admin = (ok: number): Expect => ({ org_admin: [ok, ok, 404], team_admin: [ok, 404, 404], team_editor: [403, 404, 404], viewer: [403, 404, 404] });
const createIn = (ok: number): Expect => ({ org_admin: [ok, ok, 422], team_admin: [ok, 422, 422], team_editor: [ok, 422, 422], viewer: [403, 422, 422] });
const orgOnly = (ok: number, otherOrg = 404): Expect => ({ org_admin: [ok, ok, otherOrg], team_admin: [403, 403, 403], team_editor: [403, 403, 403], viewer: [403, 403, 403] });
const listAll: Expect = same([200, 200, 200]);

const withFresh = (key: keyof TeamFixture, create: (f: TeamFixture, api: TestApi) => Promise<string>) => async (f: TeamFixture, api: TestApi) => ({ ...f, [key]: await create(f, api) });
const post = async (api: TestApi, token: string, path: string, body: unknown) => (await expectOk(api, 'POST', path, token, body)).id as string;

/** CRUD rows of a spec kind. */
function specRows(path: string, key: keyof TeamFixture, create: (f: TeamFixture) => unknown, patch: unknown, deleteStatus = 204, listed = true): Record<string, Row> {
  return {
    [`GET /v1/${path}`]: { path: () => `/v1/${path}?limit=200`, expect: listAll, ...(listed ? { listed: (f) => f[key] } : {}) },
    [`POST /v1/${path}`]: { path: () => `/v1/${path}`, body: create, expect: createIn(201) },
    [`GET /v1/${path}/{id}`]: { path: (f) => `/v1/${path}/${f[key]}`, expect: read },
    [`PUT /v1/${path}/{id}`]: {
      path: (f) => `/v1/${path}/${f[key]}`,
      body: async (f, api) => {
        const current = (await api.call('GET', `/v1/${path}/${f[key]}`, { token: f.adminToken })).body;
        const { id: _i, created_at: _c, updated_at: _u, version: _v, configured_secrets: _s, managed_by: _m, ...input } = current;
        if (path === 'monitors') delete input.team_id;
        if (path === 'status-pages') delete input.url;
        return input;
      },
      expect: write(200),
    },
    [`PATCH /v1/${path}/{id}`]: { path: (f) => `/v1/${path}/${f[key]}`, body: () => patch, expect: write(200) },
    [`DELETE /v1/${path}/{id}`]: {
      path: (f) => `/v1/${path}/${f[key]}`,
      expect: write(deleteStatus),
      ...(deleteStatus === 204 ? { fresh: withFresh(key, (f, api) => post(api, f.adminToken, `/v1/${path}`, create(f))) } : {}),
    },
  };
}

/** One alert per fixture team (of a rule that is true at once), set up in before(). */
const alertOfTeam = new Map<string, string>();
/** One (suppressed, so never sent) notification per fixture team, on the team's channel, set up in before(). */
const notificationOfTeam = new Map<string, string>();
/** One active silence per fixture team, set up in before(). */
const silenceOfTeam = new Map<string, string>();
/** One open incident per fixture team (as the correlator would open it), set up in before(). */
const incidentOfTeam = new Map<string, string>();
async function insertIncident(api: TestApi, orgId: string, team: string): Promise<string> {
  const id = newId('incident');
  const now = new Date();
  // The next number of the organization; the correlator may be opening incidents for the fixtures'
  // alerts at the same time, so a taken number is tried again.
  for (let attempt = 1; ; attempt++) {
    const { n } = await api.database.db.selectFrom('incidents').select((eb) => eb.fn.coalesce(eb.fn.max('number'), eb.lit(0)).as('n')).where('org_id', '=', orgId).executeTakeFirstOrThrow();
    try {
      await api.database.db.insertInto('incidents').values({ id, org_id: orgId, number: Number(n) + 1, title: 'matrix', state: 'investigating', severity: 'error', team_id: team, team_ids: [team], service_ids: [], candidates: '[]', impacted: '[]', evidence: '[]', opened_at: now, first_failure_at: now, last_alert_at: now, auto_resolve: false, updated_at: now }).execute();
      return id;
    } catch (error) {
      if (attempt >= 10 || (error as { code?: string }).code !== '23505') throw error;
    }
  }
}
/** One running load test per fixture team (on the team's monitor), set up in before(). */
const loadTestOfTeam = new Map<string, string>();
async function insertLoadTest(api: TestApi, f: TeamFixture): Promise<string> {
  const { org_id } = await api.database.db.selectFrom('teams').select('org_id').where('id', '=', f.team).executeTakeFirstOrThrow();
  const id = newId('load_test');
  const spec = { request: { method: 'GET', url: 'http://127.0.0.1:9/health' }, regions: ['us-east-1'], requests: 10, duration_seconds: null, concurrency: 1, rate_per_second: 10, timeout_ms: 1000, criteria: {} };
  await api.database.db.insertInto('load_tests').values({ id, org_id, team_id: f.team, service_id: f.service, monitor_id: f.monitor, target_key: `matrix:${id}`, state: 'running', spec: JSON.stringify(spec), secrets: null, verdict_reasons: '[]', created_by: JSON.stringify({ name: 'matrix' }), deadline: new Date(Date.now() + 3_600_000) }).execute();
  // The share's runner is a row that stays live for the whole run and can run no check (so it takes
  // no slots): the load-test sweep does not end the test while the matrix uses it.
  const runnerId = newId('runner');
  const now = new Date();
  await api.database.db.insertInto('runners').values({ id: runnerId, org_id, runner_token_id: f.runnerToken, region: 'us-east-1', labels: '{}', version: 'matrix', hostname: null, capabilities: '[]', registered_at: now, last_seen_at: now, lease_expires_at: new Date(Date.now() + 3_600_000) }).execute();
  await api.database.db.insertInto('load_test_shares').values({ load_test_id: id, org_id, region: 'us-east-1', runner_id: runnerId, state: 'running', requests: 10 }).execute();
  return id;
}
/** One change event per fixture team (a deploy of the team's service), set up in before(). */
const changeEventOfTeam = new Map<string, string>();
/** One discovery source per fixture team (named after it, in the team's organization), set up in before(). */
const sourceOfTeam = new Map<string, string>();
const discoveryReport = () => ({ agent_version: '0.1.0', last_sync_at: new Date().toISOString(), synced: true, objects_seen: 1, monitors_managed: 1, actions: { created: 1, updated: 0, deleted: 0, unchanged: 0 }, errors: [] });
const silenceBody = (team: string) => ({ team_id: team, matchers: [{ label: 'service', operator: '=', value: 'checkout' }], starts_at: new Date().toISOString(), ends_at: new Date(Date.now() + 3_600_000).toISOString(), comment: 'matrix' });

const matrix: Record<string, Row> = {
  'GET /v1/teams': { path: () => '/v1/teams?limit=200', expect: listAll, listed: (f) => f.team },
  'POST /v1/teams': { path: () => '/v1/teams', body: () => ({ name: unique('team') }), expect: orgOnly(201, 201) },
  'GET /v1/teams/{id}': { path: (f) => `/v1/teams/${f.team}`, expect: read },
  'PUT /v1/teams/{id}': { path: (f) => `/v1/teams/${f.team}`, body: async (f, api) => ({ name: (await api.call('GET', `/v1/teams/${f.team}`, { token: f.adminToken })).body.name, description: 'replaced' }), expect: admin(200) },
  'PATCH /v1/teams/{id}': { path: (f) => `/v1/teams/${f.team}`, body: () => ({ description: 'patched' }), expect: admin(200) },
  // The fixture teams own resources, so an authorized delete is refused with 409: access passed.
  'DELETE /v1/teams/{id}': { path: (f) => `/v1/teams/${f.team}`, expect: { org_admin: [409, 409, 404], team_admin: [403, 404, 404], team_editor: [403, 404, 404], viewer: [403, 404, 404] } },

  'GET /v1/teams/{id}/members': { path: (f) => `/v1/teams/${f.team}/members`, expect: read, listed: (f) => f.member },
  'POST /v1/teams/{id}/members': { path: (f) => `/v1/teams/${f.team}/members`, body: () => bodies.member(), expect: admin(201) },
  'GET /v1/teams/{id}/members/{member_id}': { path: (f) => `/v1/teams/${f.team}/members/${f.member}`, expect: read },
  'PUT /v1/teams/{id}/members/{member_id}': {
    path: (f) => `/v1/teams/${f.team}/members/${f.member}`,
    body: async (f, api) => ({ subject: (await api.call('GET', `/v1/teams/${f.team}/members/${f.member}`, { token: f.adminToken })).body.subject, role: 'team_editor' }),
    expect: admin(200),
  },
  'PATCH /v1/teams/{id}/members/{member_id}': { path: (f) => `/v1/teams/${f.team}/members/${f.member}`, body: () => ({ display_name: 'Patched' }), expect: admin(200) },
  'DELETE /v1/teams/{id}/members/{member_id}': {
    path: (f) => `/v1/teams/${f.team}/members/${f.member}`,
    expect: admin(204),
    fresh: withFresh('member', (f, api) => post(api, f.adminToken, `/v1/teams/${f.team}/members`, bodies.member())),
  },

  'GET /v1/tokens': { path: () => '/v1/tokens?limit=200', expect: { org_admin: [200, 200, 200], team_admin: [200, 200, 200], team_editor: [403, 403, 403], viewer: [403, 403, 403] }, listed: (f) => f.token },
  'POST /v1/tokens': { path: () => '/v1/tokens', body: (f) => bodies.token(f.team), expect: { ...createIn(201), team_editor: [403, 422, 422] } },
  'GET /v1/tokens/{id}': { path: (f) => `/v1/tokens/${f.token}`, expect: admin(200) },
  'PUT /v1/tokens/{id}': { path: (f) => `/v1/tokens/${f.token}`, body: (f) => ({ name: unique('renamed'), role: 'viewer', team_id: f.team }), expect: admin(200) },
  'PATCH /v1/tokens/{id}': { path: (f) => `/v1/tokens/${f.token}`, body: () => ({ name: unique('patched') }), expect: admin(200) },
  'DELETE /v1/tokens/{id}': { path: (f) => `/v1/tokens/${f.token}`, expect: admin(204), fresh: withFresh('token', (f, api) => post(api, f.adminToken, '/v1/tokens', bodies.token(f.team))) },

  'GET /v1/runner-tokens': { path: () => '/v1/runner-tokens?limit=200', expect: { org_admin: [200, 200, 200], team_admin: [403, 403, 403], team_editor: [403, 403, 403], viewer: [403, 403, 403] }, listed: (f) => f.runnerToken },
  'POST /v1/runner-tokens': { path: () => '/v1/runner-tokens', body: () => bodies.runnerToken(), expect: orgOnly(201, 201) },
  'GET /v1/runner-tokens/{id}': { path: (f) => `/v1/runner-tokens/${f.runnerToken}`, expect: orgOnly(200) },
  'PUT /v1/runner-tokens/{id}': { path: (f) => `/v1/runner-tokens/${f.runnerToken}`, body: () => ({ name: unique('rt'), region: 'us-west-2' }), expect: orgOnly(200) },
  'PATCH /v1/runner-tokens/{id}': { path: (f) => `/v1/runner-tokens/${f.runnerToken}`, body: () => ({ labels: { zone: 'b' } }), expect: orgOnly(200) },
  'DELETE /v1/runner-tokens/{id}': {
    path: (f) => `/v1/runner-tokens/${f.runnerToken}`,
    expect: orgOnly(204),
    fresh: withFresh('runnerToken', (f, api) => post(api, f.adminToken, '/v1/runner-tokens', bodies.runnerToken())),
  },

  ...specRows('services', 'service', (f) => bodies.service(f.team), { description: 'patched' }, 409),
  ...specRows('monitors', 'monitor', (f) => bodies.monitor(f.service), { description: 'patched' }),
  ...specRows('alert_rules'.replace('_', '-'), 'alertRule', (f) => bodies.alertRule(f.team), { message: 'patched' }),
  ...specRows('routing-policies', 'routingPolicy', (f) => bodies.routingPolicy(f.team, f.channel), { priority: 5 }),
  ...specRows('channels', 'channel', (f) => bodies.channel(f.team), { description: 'patched' }),
  // The fixture's webhook points at a closed port: the test answers 200 with the vendor-side failure.
  'POST /v1/channels/{id}/test': { path: (f) => `/v1/channels/${f.channel}/test`, expect: write(200) },
  ...specRows('maintenance-windows', 'window', (f) => bodies.window(f.team), { description: 'patched' }),
  ...specRows('slos', 'slo', (f) => bodies.slo(f.team, f.service), { target_percent: 99.5 }),
  ...specRows('status-pages', 'statusPage', (f) => bodies.statusPage(f.team, f.service), { title: 'Patched status' }),
  'GET /v1/status-pages/{id}/summary': { path: (f) => `/v1/status-pages/${f.statusPage}/summary`, expect: read },

  'POST /v1/routing-policies/test': { path: () => '/v1/routing-policies/test', body: (f) => ({ labels: { severity: 'critical' }, team_id: f.team }), expect: read },

  'GET /v1/silences': { path: () => '/v1/silences?limit=200', expect: listAll, listed: (f) => silenceOfTeam.get(f.team)! },
  'POST /v1/silences': { path: () => '/v1/silences', body: (f) => silenceBody(f.team), expect: createIn(201) },
  'GET /v1/silences/{id}': { path: (f) => `/v1/silences/${silenceOfTeam.get(f.team)}`, expect: read },
  'PUT /v1/silences/{id}': {
    path: (f) => `/v1/silences/${silenceOfTeam.get(f.team)}`,
    body: async (f, api) => {
      const { id: _i, created_at: _c, updated_at: _u, version: _v, state: _s, created_by: _b, managed_by: _m, ...input } = (await api.call('GET', `/v1/silences/${silenceOfTeam.get(f.team)}`, { token: f.adminToken })).body;
      return input;
    },
    expect: write(200),
  },
  'PATCH /v1/silences/{id}': { path: (f) => `/v1/silences/${silenceOfTeam.get(f.team)}`, body: () => ({ comment: 'patched' }), expect: write(200) },
  'DELETE /v1/silences/{id}': {
    // Successful deletes remove a fresh silence (carried on the fixture copy), refused ones target the team's silence.
    path: (f) => `/v1/silences/${(f as TeamFixture & { silence?: string }).silence ?? silenceOfTeam.get(f.team)}`,
    expect: write(204),
    fresh: async (f, api) => ({ ...f, silence: await post(api, f.adminToken, '/v1/silences', silenceBody(f.team)) }),
  },

  'GET /v1/services/{id}/dependencies': { path: (f) => `/v1/services/${f.service}/dependencies`, expect: read, listed: (f) => f.dependency },
  'POST /v1/services/{id}/dependencies': {
    path: (f) => `/v1/services/${f.service}/dependencies`,
    body: async (f, api) => ({ depends_on_service_id: await post(api, f.adminToken, '/v1/services', bodies.service(f.team)) }),
    expect: write(201),
  },
  'GET /v1/services/{id}/dependencies/{dependency_id}': { path: (f) => `/v1/services/${f.service}/dependencies/${f.dependency}`, expect: read },
  'PUT /v1/services/{id}/dependencies/{dependency_id}': { path: (f) => `/v1/services/${f.service}/dependencies/${f.dependency}`, body: (f) => ({ depends_on_service_id: f.service2, description: 'replaced' }), expect: write(200) },
  'PATCH /v1/services/{id}/dependencies/{dependency_id}': { path: (f) => `/v1/services/${f.service}/dependencies/${f.dependency}`, body: () => ({ description: 'patched' }), expect: write(200) },
  'DELETE /v1/services/{id}/dependencies/{dependency_id}': {
    path: (f) => `/v1/services/${f.service}/dependencies/${f.dependency}`,
    expect: write(204),
    fresh: withFresh('dependency', async (f, api) => {
      const target = await post(api, f.adminToken, '/v1/services', bodies.service(f.team));
      return post(api, f.adminToken, `/v1/services/${f.service}/dependencies`, { depends_on_service_id: target });
    }),
  },

  'GET /v1/sla/monitors/{id}': { path: (f) => `/v1/sla/monitors/${f.monitor}?window=24h`, expect: read },
  'GET /v1/sla/services/{id}': { path: (f) => `/v1/sla/services/${f.service}?window=24h`, expect: read },
  'GET /v1/sla/dependencies/{id}': { path: (f) => `/v1/sla/dependencies/${f.dependency}?window=24h`, expect: read },
  'GET /v1/sla/teams/{id}': { path: (f) => `/v1/sla/teams/${f.team}?window=24h`, expect: read },
  'GET /v1/sla/monitors/{id}/daily': { path: (f) => `/v1/sla/monitors/${f.monitor}/daily?days=7`, expect: read },
  'GET /v1/sla/services/{id}/daily': { path: (f) => `/v1/sla/services/${f.service}/daily?days=7`, expect: read },
  'GET /v1/slos/{id}/status': { path: (f) => `/v1/slos/${f.slo}/status`, expect: read },

  'GET /v1/me': { path: () => '/v1/me', expect: listAll },
  'GET /v1/status': { path: () => '/v1/status', expect: listAll, listed: (f) => f.service },
  'GET /v1/dependency-graph': { path: () => '/v1/dependency-graph', expect: listAll, listed: (f) => f.service },
  'GET /v1/monitors/{id}/state': { path: (f) => `/v1/monitors/${f.monitor}/state`, expect: read },
  'GET /v1/monitors/{id}/results': { path: (f) => `/v1/monitors/${f.monitor}/results`, expect: read },
  'GET /v1/monitors/{id}/transitions': { path: (f) => `/v1/monitors/${f.monitor}/transitions`, expect: read },
  'GET /v1/monitors/{id}/metrics': { path: (f) => `/v1/monitors/${f.monitor}/metrics?window=1h`, expect: read },
  'GET /v1/monitors/{id}/latency': { path: (f) => `/v1/monitors/${f.monitor}/latency?window=24h`, expect: read },

  'GET /v1/alerts': { path: () => '/v1/alerts?limit=200', expect: listAll, listed: (f) => alertOfTeam.get(f.team)! },
  'GET /v1/alerts/{id}': { path: (f) => `/v1/alerts/${alertOfTeam.get(f.team)}`, expect: read },
  'GET /v1/alert-rules/{id}/status': { path: (f) => `/v1/alert-rules/${f.alertRule}/status`, expect: read },
  'GET /v1/notifications': { path: () => '/v1/notifications?limit=200', expect: listAll, listed: (f) => notificationOfTeam.get(f.team)! },
  'GET /v1/notifications/{id}': { path: (f) => `/v1/notifications/${notificationOfTeam.get(f.team)}`, expect: read },

  // Responders (team editor of one of the incident's teams, or org admin) act; any role of its teams reads.
  'GET /v1/incidents': { path: () => '/v1/incidents?limit=200', expect: listAll, listed: (f) => incidentOfTeam.get(f.team)! },
  'GET /v1/incidents/{id}': { path: (f) => `/v1/incidents/${incidentOfTeam.get(f.team)}`, expect: read },
  'PATCH /v1/incidents/{id}': { path: (f) => `/v1/incidents/${incidentOfTeam.get(f.team)}`, body: () => ({ title: unique('renamed') }), expect: write(200) },
  'POST /v1/incidents/{id}/acknowledge': { path: (f) => `/v1/incidents/${incidentOfTeam.get(f.team)}/acknowledge`, expect: write(200) },
  'POST /v1/incidents/{id}/notes': { path: (f) => `/v1/incidents/${incidentOfTeam.get(f.team)}/notes`, body: () => ({ text: 'matrix note' }), expect: write(201) },
  'POST /v1/incidents/{id}/resolve': {
    // Successful resolutions resolve a fresh incident, so the team's stays open for the other rows.
    path: (f) => `/v1/incidents/${(f as TeamFixture & { incident?: string }).incident ?? incidentOfTeam.get(f.team)}/resolve`,
    expect: write(200),
    fresh: async (f, api) => ({ ...f, incident: await insertIncident(api, (await api.database.db.selectFrom('teams').select('org_id').where('id', '=', f.team).executeTakeFirstOrThrow()).org_id, f.team) }),
  },

  'GET /v1/events': { path: () => '/v1/events?limit=200', expect: listAll, listed: (f) => changeEventOfTeam.get(f.team)! },
  'POST /v1/events': { path: () => '/v1/events', body: (f) => ({ service: f.service, kind: 'deploy', version: 'v1.2.3' }), expect: createIn(201) },
  'GET /v1/events/{id}': { path: (f) => `/v1/events/${changeEventOfTeam.get(f.team)}`, expect: read },

  'GET /v1/analysis/outages': { path: (f) => `/v1/analysis/outages?service=${f.service}&window=7d`, expect: read },
  'GET /v1/audit': { path: () => '/v1/audit?limit=5', expect: { org_admin: [200, 200, 200], team_admin: [200, 200, 200], team_editor: [403, 403, 403], viewer: [403, 403, 403] } },

  // One document per organization: the target team does not matter, every role reads, org admins write.
  'GET /v1/incident-settings': { path: () => '/v1/incident-settings', expect: listAll },
  'PUT /v1/incident-settings': { path: () => '/v1/incident-settings', body: () => ({ correlation_window_seconds: 300 }), expect: orgOnly(200, 200) },

  // Organization-wide status reports of discovery agents: every role reads, team editors and above report, org admins delete.
  'GET /v1/discovery/sources': { path: () => '/v1/discovery/sources?limit=200', expect: listAll },
  'GET /v1/discovery/sources/{name}': { path: (f) => `/v1/discovery/sources/${sourceOfTeam.get(f.team)}`, expect: same([200, 200, 404]) },
  'PUT /v1/discovery/sources/{name}': {
    path: () => `/v1/discovery/sources/${unique('src')}`,
    body: () => discoveryReport(),
    expect: { org_admin: [201, 201, 201], team_admin: [201, 201, 201], team_editor: [201, 201, 201], viewer: [403, 403, 403] },
  },
  'DELETE /v1/discovery/sources/{name}': {
    path: (f) => `/v1/discovery/sources/${(f as TeamFixture & { source?: string }).source ?? sourceOfTeam.get(f.team)}`,
    expect: orgOnly(204),
    fresh: async (f, api) => {
      const source = unique('src');
      await expectOk(api, 'PUT', `/v1/discovery/sources/${source}`, f.adminToken, discoveryReport());
      return { ...f, source };
    },
  },

  // Load tests: editors start and abort on their teams' targets, every role of the team reads. Without a
  // live load_test runner an authorized start ends at no_load_test_runner (422), after the access checks.
  'GET /v1/load-tests': { path: () => '/v1/load-tests?limit=200', expect: listAll, listed: (f) => loadTestOfTeam.get(f.team)! },
  'POST /v1/load-tests': {
    path: () => '/v1/load-tests',
    body: (f) => ({ monitor_id: f.monitor, regions: ['us-east-1'], requests: 10, concurrency: 1, rate_per_second: 10 }),
    expect: { org_admin: [422, 422, 422], team_admin: [422, 422, 422], team_editor: [422, 422, 422], viewer: [403, 422, 422] },
  },
  'GET /v1/load-tests/{id}': { path: (f) => `/v1/load-tests/${loadTestOfTeam.get(f.team)}`, expect: read },
  'DELETE /v1/load-tests/{id}': {
    path: (f) => `/v1/load-tests/${(f as TeamFixture & { loadTest?: string }).loadTest ?? loadTestOfTeam.get(f.team)}`,
    expect: write(200),
    fresh: async (f, api) => ({ ...f, loadTest: await insertLoadTest(api, f) }),
  },
  'GET /v1/load-test-settings': { path: () => '/v1/load-test-settings', expect: listAll },
  'PUT /v1/load-test-settings': { path: () => '/v1/load-test-settings', body: () => ({ max_concurrency: 50 }), expect: orgOnly(200, 200) },

  // The caller's own organization's stream, filtered to what it may see (api/test/live-stream.test.ts checks the filtering).
  'GET /v1/stream': { path: () => '/v1/stream', expect: listAll },
};

let api: TestApi;
let world: World;
const skip = postgresSkip();

before(async () => {
  if (skip) return;
  api = await startTestApi({ backend: 'postgres' });
  world = await createWorld(api);
  for (const f of Object.values(world.fixtures)) {
    const service = (await api.call('GET', `/v1/services/${f.service}`, { token: f.adminToken })).body;
    const rule = await expectOk(api, 'POST', '/v1/alert-rules', f.adminToken, { name: unique('rule'), team_id: f.team, expression: `unknown(service("${service.name}"))` });
    const { org_id } = await api.database.db.selectFrom('teams').select('org_id').where('id', '=', f.team).executeTakeFirstOrThrow();
    await api.app.alerts.evaluateRule(org_id, rule.id);
    const alert = await api.database.db.selectFrom('alert_instances').select('id').where('rule_id', '=', rule.id).executeTakeFirstOrThrow();
    alertOfTeam.set(f.team, alert.id);
    const channel = await expectOk(api, 'POST', '/v1/channels', f.adminToken, bodies.channel(f.team));
    const id = newId('notification');
    await new NotificationRepository().insertNotifications(api.database.db, [{ id, org_id, team_id: f.team, group_id: 'ngr_matrix', channel_id: channel.id, channel_type: 'webhook', kind: 'firing', state: 'suppressed', dedup_key: `matrix-${f.team}`, alert_ids: [alert.id], message: { title: 'matrix', text: 'matrix' }, muted_by: [], next_attempt_at: new Date() }]);
    notificationOfTeam.set(f.team, id);
    silenceOfTeam.set(f.team, (await expectOk(api, 'POST', '/v1/silences', f.adminToken, silenceBody(f.team))).id);
    incidentOfTeam.set(f.team, await insertIncident(api, org_id, f.team));
    loadTestOfTeam.set(f.team, await insertLoadTest(api, f));
    changeEventOfTeam.set(f.team, (await expectOk(api, 'POST', '/v1/events', f.adminToken, { service: f.service, kind: 'deploy' })).id);
    sourceOfTeam.set(f.team, `src-${f.team.toLowerCase()}`);
    await expectOk(api, 'PUT', `/v1/discovery/sources/${sourceOfTeam.get(f.team)}`, f.adminToken, discoveryReport());
  }
});
after(async () => api?.close());

test('every API route has a row in the access matrix, and every row names a route', { skip }, () => {
  const routes = api ? createApp({ database: api.database, secrets: testSecretBox(), logger: { info() {}, warn() {}, error() {} } as never }).routes : [];
  const principalRoutes = routes.filter((r) => r.auth === 'principal').map((r) => `${r.method.toUpperCase()} ${r.path}`);
  assert.deepEqual(principalRoutes.filter((r) => !matrix[r]), [], 'routes without a matrix row');
  assert.deepEqual(Object.keys(matrix).filter((r) => !principalRoutes.includes(r)), [], 'matrix rows without a route');
});

for (const [route, row] of Object.entries(matrix)) {
  test(`access matrix: ${route}`, { skip }, async () => {
    const [method] = route.split(' ');
    const failures: string[] = [];
    for (const role of roles) {
      for (const [i, target] of targets.entries()) {
        const expected = row.expect[role][i]!;
        let fixture = world.fixtures[target as Target];
        if (row.fresh && expected < 300) fixture = await row.fresh(fixture, api);
        const body = row.body ? await row.body(fixture, api) : undefined;
        const res = await api.call(method!, row.path(fixture), { token: world.tokens[role], body });
        if (res.status !== expected) failures.push(`${role} × ${target}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        if (row.listed && res.status === 200) {
          const visible = role === 'org_admin' ? target !== 'other_org' : target === 'own';
          const shown = ((res.body.items ?? res.body.services ?? res.body.nodes) as Array<{ id: string }>).some((item) => item.id === row.listed!(fixture));
          if (shown !== visible) failures.push(`${role} × ${target}: item ${visible ? 'missing from' : 'leaked into'} the list`);
        }
        if (res.status >= 400) assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8', `${route} errors are problem+json`);
      }
    }
    assert.deepEqual(failures, []);
  });
}

test('a runner token reaches no configuration route, and no token reaches nothing', { skip }, async () => {
  const f = world.fixtures.own;
  const failures: string[] = [];
  for (const [route, row] of Object.entries(matrix)) {
    const [method] = route.split(' ');
    const runner = await api.call(method!, row.path(f), { token: world.runnerToken, body: row.body ? {} : undefined });
    if (runner.status !== 403) failures.push(`${route} with a runner token: ${runner.status}`);
    const anonymous = await api.call(method!, row.path(f), { token: null, body: row.body ? {} : undefined });
    if (anonymous.status !== 401) failures.push(`${route} without a token: ${anonymous.status}`);
  }
  assert.deepEqual(failures, []);
});
