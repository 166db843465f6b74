import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// A 409 for a taken name names the existing object (id, name, owning team) and says what the
// uniqueness scope is, so the user of a Terraform/CDKTF apply knows what to rename.

const skip = postgresSkip();
let api: TestApi;
const ids = {} as Record<'vendors' | 'shipping' | 'shippingEditor' | 'carrier' | 'rates', string>;
const names = {} as Record<'vendors' | 'shipping', string>;

before(async () => {
  if (skip) return;
  api = await startTestApi();
  const admin = api.adminToken;
  names.vendors = unique('vendors');
  names.shipping = unique('shipping');
  ids.vendors = (await expectOk(api, 'POST', '/v1/teams', admin, { name: names.vendors })).id;
  ids.shipping = (await expectOk(api, 'POST', '/v1/teams', admin, { name: names.shipping })).id;
  ids.shippingEditor = (await expectOk(api, 'POST', '/v1/tokens', admin, { name: unique('cdktf'), role: 'team_editor', team_id: ids.shipping })).token;
  ids.carrier = (await expectOk(api, 'POST', '/v1/services', admin, { name: 'carrier-api', team_id: ids.vendors, kind: 'external' })).id;
  ids.rates = (await expectOk(api, 'POST', '/v1/services', admin, { name: 'shipping-rates', team_id: ids.shipping })).id;
});
after(async () => api?.close());

const conflict = async (method: string, path: string, body: unknown, token?: string) => {
  const res = await api.call(method, path, { body, ...(token ? { token } : {}), ...(method === 'PATCH' ? { headers: { 'content-type': 'application/merge-patch+json' } } : {}) });
  assert.equal(res.status, 409, JSON.stringify(res.body));
  assert.equal(res.body.code, 'conflict');
  return res.body as { detail: string; conflicts: Array<Record<string, string>> };
};

test('a service name taken in another team: the holder, its team, the organization-wide scope and what to do', { skip }, async () => {
  const p = await conflict('POST', '/v1/services', { name: 'carrier-api', team_id: ids.shipping }, ids.shippingEditor);
  assert.ok(p.detail.includes(`A service named "carrier-api" already exists: ${ids.carrier}, owned by team "${names.vendors}" (${ids.vendors}).`), p.detail);
  assert.match(p.detail, /Service names are unique within the organization, across all teams/);
  assert.match(p.detail, /rename this one .*or manage the existing service instead \(in Terraform or CDKTF, import svc_/);
  assert.deepEqual(p.conflicts, [{ type: 'service', id: ids.carrier, name: 'carrier-api', team_id: ids.vendors, team_name: names.vendors, relation: 'has the same name' }]);
  // A create with an Idempotency-Key (as the Terraform provider sends) names the holder the same way.
  const keyed = await api.call('POST', '/v1/services', { body: { name: 'carrier-api', team_id: ids.shipping }, token: ids.shippingEditor, headers: { 'idempotency-key': unique('key') } });
  assert.equal(keyed.status, 409, JSON.stringify(keyed.body));
  assert.equal(keyed.body.conflicts?.[0]?.id, ids.carrier, keyed.body.detail);
  // Renaming onto a taken name says the same.
  const renamed = await conflict('PATCH', `/v1/services/${ids.rates}`, { name: 'carrier-api' }, ids.shippingEditor);
  assert.equal(renamed.conflicts[0]!.id, ids.carrier);
  assert.equal((await api.call('GET', `/v1/services/${ids.rates}`)).body.name, 'shipping-rates', 'nothing changed');
});

test('a monitor name taken in its service: the holder and the per-service scope; another service may use it', { skip }, async () => {
  const first = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { ...bodies.monitor(ids.rates), name: 'rates-health' });
  const p = await conflict('POST', '/v1/monitors', { ...bodies.monitor(ids.rates), name: 'rates-health' }, ids.shippingEditor);
  assert.ok(p.detail.includes(`Service "shipping-rates" (${ids.rates}) already has a monitor named "rates-health": ${first.id}, of team "${names.shipping}" (${ids.shipping}).`), p.detail);
  assert.match(p.detail, /Monitor names are unique within their service; other services may use the same name: rename this one, or update the existing monitor/);
  assert.deepEqual(p.conflicts.map((c) => [c.type, c.id, c.name, c.team_id]), [['monitor', first.id, 'rates-health', ids.shipping]]);
  const elsewhere = await api.call('POST', '/v1/monitors', { body: { ...bodies.monitor(ids.carrier), name: 'rates-health' } });
  assert.equal(elsewhere.status, 201, JSON.stringify(elsewhere.body));
});

test('team-scoped names (channels, alert rules, …) name the team that holds them; other teams may reuse them', { skip }, async () => {
  const channel = await expectOk(api, 'POST', '/v1/channels', api.adminToken, { ...bodies.channel(ids.shipping), name: 'pager' });
  const p = await conflict('POST', '/v1/channels', { ...bodies.channel(ids.shipping), name: 'pager' }, ids.shippingEditor);
  assert.ok(p.detail.includes(`Team "${names.shipping}" (${ids.shipping}) already has a channel named "pager": ${channel.id}.`), p.detail);
  assert.match(p.detail, /Channel names are unique within a team; other teams may use the same name/);
  assert.equal((await api.call('POST', '/v1/channels', { body: { ...bodies.channel(ids.vendors), name: 'pager' } })).status, 201);
  const rule = await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, { ...bodies.alertRule(ids.shipping), name: 'rates-down' });
  const r = await conflict('POST', '/v1/alert-rules', { ...bodies.alertRule(ids.shipping), name: 'rates-down' });
  assert.ok(r.detail.includes(`Team "${names.shipping}" (${ids.shipping}) already has an alert rule named "rates-down": ${rule.id}.`), r.detail);
  assert.match(r.detail, /Alert rule names are unique within a team/);
});

test('a team name and a second edge between the same services name what exists', { skip }, async () => {
  const t = await conflict('POST', '/v1/teams', { name: names.vendors });
  assert.ok(t.detail.includes(`A team named "${names.vendors}" already exists: ${ids.vendors}. Team names are unique within the organization`), t.detail);
  assert.equal(t.conflicts[0]!.id, ids.vendors);
  const renamed = await conflict('PATCH', `/v1/teams/${ids.shipping}`, { name: names.vendors });
  assert.equal(renamed.conflicts[0]!.id, ids.vendors);
  const edge = await expectOk(api, 'POST', `/v1/services/${ids.rates}/dependencies`, api.adminToken, { depends_on_service_id: ids.carrier });
  const d = await conflict('POST', `/v1/services/${ids.rates}/dependencies`, { depends_on_service_id: ids.carrier }, ids.shippingEditor);
  assert.ok(d.detail.includes(`Service "shipping-rates" already depends on "carrier-api": dependency ${edge.id}.`), d.detail);
  assert.equal(d.conflicts[0]!.id, edge.id);
});
