import { randomBytes } from 'node:crypto';
import { hashToken, tokenHint } from '../../src/auth/secret-token.ts';
import { newId } from '../../src/shared/ids.ts';
import type { TestApi } from './harness.ts';

export const roles = ['org_admin', 'team_admin', 'team_editor', 'viewer'] as const;
export type Role = (typeof roles)[number];
export const targets = ['own', 'other_team', 'other_org'] as const;
export type Target = (typeof targets)[number];

/** Every kind of resource of one team, created through the API. */
export interface TeamFixture {
  team: string;
  service: string;
  service2: string;
  monitor: string;
  dependency: string;
  slo: string;
  statusPage: string;
  alertRule: string;
  channel: string;
  routingPolicy: string;
  window: string;
  member: string;
  token: string;
  runnerToken: string;
  /** Admin token of the organization the team belongs to. */
  adminToken: string;
}

export interface World {
  tokens: Record<Role, string>;
  runnerToken: string;
  fixtures: Record<Target, TeamFixture>;
}

export const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** Creates a second organization with an org admin token, directly in the database. */
export async function createOrganization(api: TestApi): Promise<{ orgId: string; adminToken: string }> {
  const orgId = newId('organization');
  const adminToken = `phs_${randomBytes(24).toString('base64url')}`;
  const now = new Date();
  await api.database.db.insertInto('organizations').values({ id: orgId, name: unique('org'), created_at: now }).execute();
  await api.database.db
    .insertInto('api_tokens')
    .values({ id: newId('api_token'), org_id: orgId, team_id: null, name: 'admin', role: 'org_admin', token_hash: hashToken(adminToken), token_hint: tokenHint(adminToken), created_at: now, updated_at: now })
    .execute();
  return { orgId, adminToken };
}

async function ok(api: TestApi, method: string, path: string, token: string, body?: unknown): Promise<any> {
  const res = await api.call(method, path, { token, body });
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Request bodies that create each resource kind in a team. */
export const bodies = {
  service: (team: string) => ({ name: unique('svc'), team_id: team, tags: { tier: '1' } }),
  monitor: (service: string) => ({ name: unique('mon'), service_id: service, type: 'http', interval_seconds: 30, http: { url: 'http://127.0.0.1:9/health' }, assertions: [{ source: 'status_code', operator: 'equals', target: '200' }] }),
  alertRule: (team: string) => ({ name: unique('rule'), team_id: team, expression: 'down(services(tag="tier:1"))', for_duration: '1m' }),
  channel: (team: string) => ({ name: unique('chn'), team_id: team, type: 'webhook', webhook: { url: 'http://127.0.0.1:9/hook', signing_secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' } }),
  routingPolicy: (team: string, channel: string) => ({ name: unique('pol'), team_id: team, channel_ids: [channel], matchers: [{ label: 'severity', operator: '=', value: 'critical' }] }),
  window: (team: string) => ({ name: unique('mw'), team_id: team, starts_at: '2030-01-01T00:00:00Z', ends_at: '2030-01-01T02:00:00Z' }),
  slo: (team: string, service: string) => ({ name: unique('slo'), team_id: team, service_id: service, objective: 'uptime', target_percent: 99.9, window: 'rolling_30d' }),
  statusPage: (team: string, service: string) => ({ name: unique('page'), team_id: team, title: 'Status', slug: unique('page'), visibility: 'public', components: [{ service_id: service, display_name: 'API' }] }),
  member: () => ({ subject: unique('user'), role: 'viewer' }),
  token: (team: string) => ({ name: unique('tok'), role: 'viewer', team_id: team }),
  runnerToken: () => ({ name: unique('rt'), region: 'us-east-1', labels: { zone: 'a' } }),
};

/** Creates a team with one resource of every kind, as the given org admin. */
export async function createTeamFixture(api: TestApi, adminToken: string): Promise<TeamFixture> {
  const team = (await ok(api, 'POST', '/v1/teams', adminToken, { name: unique('team') })).id;
  const service = (await ok(api, 'POST', '/v1/services', adminToken, bodies.service(team))).id;
  const service2 = (await ok(api, 'POST', '/v1/services', adminToken, bodies.service(team))).id;
  const monitor = (await ok(api, 'POST', '/v1/monitors', adminToken, bodies.monitor(service))).id;
  const dependency = (await ok(api, 'POST', `/v1/services/${service}/dependencies`, adminToken, { depends_on_service_id: service2 })).id;
  const alertRule = (await ok(api, 'POST', '/v1/alert-rules', adminToken, bodies.alertRule(team))).id;
  const channel = (await ok(api, 'POST', '/v1/channels', adminToken, bodies.channel(team))).id;
  const routingPolicy = (await ok(api, 'POST', '/v1/routing-policies', adminToken, bodies.routingPolicy(team, channel))).id;
  const window = (await ok(api, 'POST', '/v1/maintenance-windows', adminToken, bodies.window(team))).id;
  const slo = (await ok(api, 'POST', '/v1/slos', adminToken, bodies.slo(team, service))).id;
  const statusPage = (await ok(api, 'POST', '/v1/status-pages', adminToken, bodies.statusPage(team, service2))).id;
  const member = (await ok(api, 'POST', `/v1/teams/${team}/members`, adminToken, bodies.member())).id;
  const token = (await ok(api, 'POST', '/v1/tokens', adminToken, bodies.token(team))).id;
  const runnerToken = (await ok(api, 'POST', '/v1/runner-tokens', adminToken, bodies.runnerToken())).id;
  return { team, service, service2, monitor, dependency, alertRule, channel, routingPolicy, window, slo, statusPage, member, token, runnerToken, adminToken };
}

/** Two teams in the bootstrap organization, one in a second organization, and a token per role for the first team. */
export async function createWorld(api: TestApi): Promise<World> {
  const other = await createOrganization(api);
  const own = await createTeamFixture(api, api.adminToken);
  const otherTeam = await createTeamFixture(api, api.adminToken);
  const otherOrg = await createTeamFixture(api, other.adminToken);
  const tokens = { org_admin: api.adminToken } as Record<Role, string>;
  for (const role of ['team_admin', 'team_editor', 'viewer'] as const) {
    tokens[role] = (await ok(api, 'POST', '/v1/tokens', api.adminToken, { name: unique(role), role, team_id: own.team })).token;
  }
  const runnerToken = (await ok(api, 'POST', '/v1/runner-tokens', api.adminToken, bodies.runnerToken())).token;
  return { tokens, runnerToken, fixtures: { own, other_team: otherTeam, other_org: otherOrg } };
}

export { ok as expectOk };
