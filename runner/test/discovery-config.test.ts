import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../src/config/runner.config.ts';
import { createCallLimiter } from '../src/discovery/call.limiter.ts';
import { loadDiscoveryConfig } from '../src/discovery/discovery.config.ts';
import { loadKubeClient } from '../src/discovery/kube.client.ts';

const base = { PHAROS_API_URL: 'https://pharos.example.com', PHAROS_DISCOVERY_TOKEN: 'phs_abcdefghijklmnopqrstuvwxyz', PHAROS_DISCOVERY_SOURCE: 'prod-eu' };
const problems = (env: Record<string, string>) => {
  try {
    loadDiscoveryConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  assert.fail('expected a ConfigError');
};

describe('discovery configuration', () => {
  it('applies the documented defaults', () => {
    const c = loadDiscoveryConfig(base);
    assert.equal(c.source, 'prod-eu');
    assert.deepEqual(c.namespaces, []);
    assert.deepEqual(c.excludeNamespaces, ['kube-system', 'kube-public', 'kube-node-lease']);
    assert.equal(c.deleteGraceSeconds, 300);
    assert.equal(c.defaultIntervalSeconds, 60);
    assert.equal(c.defaultPath, '/healthz');
    assert.equal(c.resyncSeconds, 60);
    assert.equal(c.metricsPort, 9465);
  });

  it('reads lists, selectors and numbers', () => {
    const c = loadDiscoveryConfig({
      ...base, PHAROS_DISCOVERY_NAMESPACES: 'shop, web', PHAROS_DISCOVERY_EXCLUDE_NAMESPACES: '', PHAROS_DISCOVERY_NAMESPACE_SELECTOR: 'env in (prod,staging)',
      PHAROS_DISCOVERY_LABEL_SELECTOR: 'team=payments,tier!=batch', PHAROS_DISCOVERY_DELETE_GRACE_SECONDS: '0', PHAROS_DISCOVERY_CLUSTER_DOMAIN: 'cluster.local.', PHAROS_DISCOVERY_METRICS_PORT: 'auto',
    });
    assert.deepEqual(c.namespaces, ['shop', 'web']);
    assert.deepEqual(c.excludeNamespaces, []);
    assert.equal(c.namespaceSelector, 'env in (prod,staging)');
    assert.equal(c.labelSelector, 'team=payments,tier!=batch');
    assert.equal(c.deleteGraceSeconds, 0);
    assert.equal(c.clusterDomain, 'cluster.local');
    assert.equal(c.metricsPort, 'auto');
  });

  it('names every missing or wrong variable at once, with what to do', () => {
    const found = problems({ PHAROS_DISCOVERY_TOKEN: 'phr_runner-token', PHAROS_DISCOVERY_SOURCE: 'Prod EU', PHAROS_DISCOVERY_DELETE_GRACE_SECONDS: '-1', PHAROS_DISCOVERY_NAMESPACES: 'Shop' });
    assert.deepEqual(found.map((p) => p.variable).sort(), ['PHAROS_API_URL', 'PHAROS_DISCOVERY_DELETE_GRACE_SECONDS', 'PHAROS_DISCOVERY_NAMESPACES', 'PHAROS_DISCOVERY_SOURCE', 'PHAROS_DISCOVERY_TOKEN']);
    assert.match(found.find((p) => p.variable === 'PHAROS_DISCOVERY_TOKEN')!.message, /runner token.*API token/);
  });

  it('never puts the token in an error message', () => {
    const found = problems({ ...base, PHAROS_DISCOVERY_TOKEN: 'secret-value-123', PHAROS_DISCOVERY_SOURCE: '' });
    assert.ok(!JSON.stringify(found).includes('secret-value-123'));
  });
});

describe('call limiter', () => {
  it('keeps concurrency and the start rate within bounds', async () => {
    // Real time, asserting lower bounds only: a loaded machine makes the gaps longer, never shorter.
    const starts: number[] = [];
    let active = 0;
    let peak = 0;
    const limiter = createCallLimiter({ concurrency: 2, ratePerSecond: 50 });
    await Promise.all(
      Array.from({ length: 8 }, () =>
        limiter.run(async () => {
          starts.push(performance.now());
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 5));
          active -= 1;
        }),
      ),
    );
    assert.equal(starts.length, 8);
    assert.ok(peak <= 2, `at most 2 at once, saw ${peak}`);
    const sorted = [...starts].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i]! - sorted[i - 1]! >= 18, `starts at least 20 ms apart (50/s): ${sorted.map((t) => Math.round(t - sorted[0]!)).join(', ')}`);
  });
});

describe('client-node loading', () => {
  it('loads on this Node.js with the undici the project installs', async () => {
    const client = await loadKubeClient();
    assert.equal(typeof client.makeInformer, 'function');
    assert.equal(typeof client.KubeConfig, 'function');
  });
});
