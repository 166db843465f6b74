import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PharosClient } from '../src/client/pharos.client.ts';
import { Diagnostics } from '../src/engine/diagnostics.model.ts';
import type { JsonObject } from '../src/engine/json-view.mapper.ts';
import { PrivateState } from '../src/engine/private-state.model.ts';
import type { HandlerContext } from '../src/engine/resource.handler.ts';
import { RestResource } from '../src/resources/rest.resource.ts';

/** Records calls instead of talking HTTP. */
function recordingClient() {
  const calls: [string, string, unknown][] = [];
  const client = {
    post: async (path: string, body: JsonObject) => (calls.push(['POST', path, body]), { ...body, id: 'm-1' }),
    getOrNull: async (path: string) => (calls.push(['GET', path, undefined]), path.endsWith('/gone') ? null : { id: 'm-1', team_id: 't-1', role: 'viewer' }),
    patch: async (path: string, body: JsonObject) => (calls.push(['PATCH', path, body]), { id: 'm-1', ...body }),
    delete: async (path: string) => void calls.push(['DELETE', path, undefined]),
  };
  return { calls, client: client as unknown as PharosClient };
}

const ctx = (client: PharosClient): HandlerContext<PharosClient> => ({
  client,
  diagnostics: new Diagnostics(),
  private: new PrivateState(),
  signal: new AbortController().signal,
  schema: { version: 0, block: { attributes: { id: { type: 'string', computed: true }, team_id: { type: 'string', required: true }, role: { type: 'string', optional: true } } } },
});

test('nested collections: paths from values, composite import ids, PATCH with only changed fields', async () => {
  const { calls, client } = recordingClient();
  const members = new RestResource({
    typeName: 'pharos_team_member',
    collectionPath: (v) => `/v1/teams/${String(v['team_id'])}/members`,
    parseImportId: (id) => {
      const [team_id, member] = id.split('/');
      return { team_id, id: member };
    },
  });
  await members.create({ plan: { team_id: 't-1', role: 'viewer', note: null } }, ctx(client));
  assert.deepEqual(calls.at(-1), ['POST', '/v1/teams/t-1/members', { team_id: 't-1', role: 'viewer' }], 'nulls left for API defaults');
  assert.deepEqual(await members.importState({ id: 't-1/m-1' }), { team_id: 't-1', id: 'm-1' });
  await members.read({ state: { id: 'm-1', team_id: 't-1' } }, ctx(client));
  assert.deepEqual(calls.at(-1), ['GET', '/v1/teams/t-1/members/m-1', undefined]);
  assert.equal(await members.read({ state: { id: 'gone', team_id: 't-1' } }, ctx(client)), null);
  await members.update({ prior: { id: 'm-1', team_id: 't-1', role: 'viewer' }, plan: { id: 'm-1', team_id: 't-1', role: 'team_admin' }, changed: ['role'] }, ctx(client));
  assert.deepEqual(calls.at(-1), ['PATCH', '/v1/teams/t-1/members/m-1', { role: 'team_admin' }]);
  await members.delete({ state: { id: 'm-1', team_id: 't-1' } }, ctx(client));
  assert.deepEqual(calls.at(-1), ['DELETE', '/v1/teams/t-1/members/m-1', undefined]);
});

test('warnings in a create answer become Terraform warnings', async () => {
  const client = { post: async (_path: string, body: JsonObject) => ({ ...body, id: 'dep-1', warnings: [{ code: 'dependency_cycle', message: 'a → b → a' }] }) } as unknown as PharosClient;
  const c = ctx(client);
  const deps = new RestResource({ typeName: 'pharos_service_dependency', collectionPath: '/v1/services/s/dependencies' });
  await deps.create({ plan: { team_id: 't', role: null } }, c);
  assert.equal(c.diagnostics.items[0]?.severity, 'warning');
  assert.equal(c.diagnostics.items[0]?.detail, 'a → b → a');
});

test('warnings in an update answer become Terraform warnings too (a monitor moved to a zone with no runner)', async () => {
  const warning = { code: 'no_runner', message: 'No live runner of zone "fulfillment" in us-east-1', regions: ['us-east-1'] };
  const client = { patch: async (_path: string, body: JsonObject) => ({ id: 'm-1', ...body, warnings: [warning] }) } as unknown as PharosClient;
  const c = ctx(client);
  const monitors = new RestResource({ typeName: 'pharos_monitor', collectionPath: '/v1/monitors' });
  await monitors.update({ prior: { id: 'm-1', team_id: 't', role: 'a' }, plan: { id: 'm-1', team_id: 't', role: 'b' }, changed: ['role'] }, c);
  assert.deepEqual(c.diagnostics.items.map((d) => [d.severity, d.detail]), [['warning', warning.message]]);
});
