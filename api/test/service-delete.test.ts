import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// Deleting a service that is in a dependency edge (either end) is refused with 409 naming each edge,
// like a service that still has monitors; with ?cascade=true the edges go with it, each audited.

const skip = postgresSkip();
let api: TestApi;
const admin = () => api.adminToken;

before(async () => {
  if (!skip) api = await startTestApi();
});
after(async () => api?.close());

async function fixture() {
  const shippingTeam = await expectOk(api, 'POST', '/v1/teams', admin(), { name: unique('shipping') });
  const vendorTeam = await expectOk(api, 'POST', '/v1/teams', admin(), { name: unique('vendors') });
  const shipping = await expectOk(api, 'POST', '/v1/services', admin(), bodies.service(shippingTeam.id));
  const carrier = await expectOk(api, 'POST', '/v1/services', admin(), { ...bodies.service(vendorTeam.id), kind: 'external' });
  const ledger = await expectOk(api, 'POST', '/v1/services', admin(), bodies.service(vendorTeam.id));
  const toCarrier = await expectOk(api, 'POST', `/v1/services/${shipping.id}/dependencies`, admin(), { depends_on_service_id: carrier.id });
  const carrierToLedger = await expectOk(api, 'POST', `/v1/services/${carrier.id}/dependencies`, admin(), { depends_on_service_id: ledger.id });
  return { shippingTeam, vendorTeam, shipping, carrier, ledger, toCarrier, carrierToLedger };
}

const edgesOf = async (serviceId: string) => (await api.call('GET', `/v1/services/${serviceId}/dependencies`)).body.items.map((d: { id: string }) => d.id);

test('a service in dependency edges answers 409 naming every edge and the service at its other end; nothing is deleted', { skip }, async () => {
  const f = await fixture();
  const res = await api.call('DELETE', `/v1/services/${f.carrier.id}`);
  assert.equal(res.status, 409, JSON.stringify(res.body));
  assert.equal(res.body.code, 'conflict');
  assert.match(res.body.detail, new RegExp(`Service "${f.carrier.name}" is in 2 dependency edge\\(s\\)`));
  assert.ok(res.body.detail.includes(`${f.toCarrier.id} ("${f.shipping.name}" of team "${f.shippingTeam.name}" depends on "${f.carrier.name}")`), res.body.detail);
  assert.ok(res.body.detail.includes(`${f.carrierToLedger.id} ("${f.carrier.name}" depends on "${f.ledger.name}")`), res.body.detail);
  assert.match(res.body.detail, /\?cascade=true/);
  assert.deepEqual(
    res.body.conflicts.map((c: Record<string, string>) => [c.type, c.id, c.name, c.team_id, c.team_name]),
    [['dependency', f.carrierToLedger.id, f.ledger.name, f.vendorTeam.id, f.vendorTeam.name], ['dependency', f.toCarrier.id, f.shipping.name, f.shippingTeam.id, f.shippingTeam.name]],
  );
  assert.equal((await api.call('GET', `/v1/services/${f.carrier.id}`)).status, 200, 'the service is still there');
  assert.deepEqual(await edgesOf(f.shipping.id), [f.toCarrier.id], 'the edge pointing at it is still there');
  assert.deepEqual(await edgesOf(f.carrier.id), [f.carrierToLedger.id]);
  // The dependent end is refused the same way.
  const dependent = await api.call('DELETE', `/v1/services/${f.shipping.id}`);
  assert.equal(dependent.status, 409);
  assert.deepEqual(dependent.body.conflicts.map((c: { id: string }) => c.id), [f.toCarrier.id]);
});

test('?cascade=true deletes the service with its edges, and audits each edge', { skip }, async () => {
  const f = await fixture();
  const res = await api.call('DELETE', `/v1/services/${f.carrier.id}?cascade=true`);
  assert.equal(res.status, 204, JSON.stringify(res.body));
  assert.equal((await api.call('GET', `/v1/services/${f.carrier.id}`)).status, 404);
  assert.deepEqual(await edgesOf(f.shipping.id), []);
  for (const edge of [f.toCarrier, f.carrierToLedger]) {
    const audit = await api.call('GET', `/v1/audit?resource_type=dependency&resource_id=${edge.id}`);
    assert.equal(audit.status, 200);
    const deleted = audit.body.items.filter((e: { action: string }) => e.action === 'delete');
    assert.equal(deleted.length, 1, `one delete entry for ${edge.id}: ${JSON.stringify(audit.body.items)}`);
    assert.equal(deleted[0].before.id, edge.id);
  }
  // The other services are untouched.
  assert.equal((await api.call('GET', `/v1/services/${f.shipping.id}`)).status, 200);
  assert.equal((await api.call('GET', `/v1/services/${f.ledger.id}`)).status, 200);
});

test('cascade never deletes monitors, and a bad cascade value is a 422 that changes nothing', { skip }, async () => {
  const f = await fixture();
  await expectOk(api, 'POST', '/v1/monitors', admin(), bodies.monitor(f.carrier.id));
  const withMonitor = await api.call('DELETE', `/v1/services/${f.carrier.id}?cascade=true`);
  assert.equal(withMonitor.status, 409);
  assert.match(withMonitor.body.detail, /still has 1 monitor/);
  assert.deepEqual(await edgesOf(f.shipping.id), [f.toCarrier.id], 'a refused delete leaves the edges');
  const bad = await api.call('DELETE', `/v1/services/${f.ledger.id}?cascade=maybe`);
  assert.equal(bad.status, 422, JSON.stringify(bad.body));
  assert.equal((await api.call('GET', `/v1/services/${f.ledger.id}`)).status, 200);
  // A service in no edge deletes as before.
  const lone = await expectOk(api, 'POST', '/v1/services', admin(), bodies.service(f.vendorTeam.id));
  assert.equal((await api.call('DELETE', `/v1/services/${lone.id}`)).status, 204);
});
