import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Service } from '@kubernetes/client-node';
import { DiscoveryAgent } from '../src/discovery/discovery.agent.ts';
import { loadDiscoveryConfig } from '../src/discovery/discovery.config.ts';
import { createDiscoveryMetrics } from '../src/discovery/discovery.metrics.ts';
import type { ClusterView } from '../src/discovery/kube.watcher.ts';
import { PharosApiError, type PharosClient } from '../src/discovery/pharos.client.ts';
import { memoryLogger } from './support/runner-process.harness.ts';

// The sync loop with the cluster and Pharos replaced by stubs: bursts become one sync, a failure
// is retried and reported, and a half-listed cluster is never planned against.

const config = loadDiscoveryConfig({ PHAROS_API_URL: 'http://127.0.0.1:1', PHAROS_DISCOVERY_TOKEN: 'phs_test', PHAROS_DISCOVERY_SOURCE: 'unit', PHAROS_DISCOVERY_DEBOUNCE_MS: '30' });

function stubs(options: { synced?: boolean; failReads?: boolean } = {}) {
  const calls: string[] = [];
  const services: V1Service[] = [{ metadata: { name: 'checkout', namespace: 'shop', uid: 'u1', annotations: { 'pharos.dev/monitor': 'true', 'pharos.dev/team': 'payments' } }, spec: { ports: [{ port: 80 }] } }];
  const view: ClusterView = {
    services: () => services,
    ingresses: () => [],
    selectedNamespaces: () => undefined,
    synced: options.synced ?? true,
    counts: () => ({ services: services.length, ingresses: 0, namespaces: 0 }),
    stop: async () => {},
  };
  const client: PharosClient = {
    async call<T>(method: string, path: string): Promise<T> {
      calls.push(`${method} ${path}`);
      return { id: `id_${calls.length}` } as T;
    },
    async listAll<T>(path: string): Promise<T[]> {
      calls.push(`LIST ${path}`);
      if (options.failReads) throw new PharosApiError('unavailable', 'GET /v1/teams failed: ECONNREFUSED');
      return (path === '/v1/teams' ? [{ id: 'team_1', name: 'payments' }] : []) as T[];
    },
    counts: {},
    close: async () => {},
  };
  const reported: unknown[] = [];
  const agent = new DiscoveryAgent({ config, view, client, events: { forbidden: false, report: async (p) => void reported.push(p) }, metrics: createDiscoveryMetrics(), logger: memoryLogger().logger, version: '0.0.0-test', cluster: 'unit' });
  return { agent, calls, reported };
}

describe('discovery sync loop', () => {
  it('a burst of changes is one sync', async () => {
    const { agent, calls } = stubs();
    for (let i = 0; i < 25; i++) agent.schedule();
    const report = await agent.nextSync();
    await agent.stop();
    assert.equal(calls.filter((c) => c === 'LIST /v1/teams').length, 1);
    assert.deepEqual(report?.actions, { created: 2, updated: 0, deleted: 0, unchanged: 0 }, 'the service and its monitor');
    assert.ok(calls.includes('PUT /v1/discovery/sources/unit'), 'the source report is sent');
  });

  it('an unreachable API fails the sync, is reported as not synced and turns /healthz to 503', async () => {
    const { agent, calls } = stubs({ failReads: true });
    agent.schedule(0);
    assert.equal(await agent.nextSync(), undefined);
    await agent.stop();
    assert.ok(calls.includes('PUT /v1/discovery/sources/unit'));
    assert.equal(agent.health().status, 503);
  });

  it('never plans against a cluster that is not fully listed', async () => {
    const { agent, calls } = stubs({ synced: false });
    agent.schedule(0);
    assert.equal(await agent.nextSync(), undefined);
    await agent.stop();
    assert.ok(!calls.some((c) => c.startsWith('POST') || c.startsWith('DELETE') || c.startsWith('PATCH')), calls.join(', '));
    assert.equal(agent.health().body.status, 'stopping');
  });
});
