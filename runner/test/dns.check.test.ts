import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCheckRegistry } from '../src/checks/check.registry.ts';
import { executeCheck } from '../src/checks/check.executor.ts';
import type { RunnerMonitor } from '../src/checks/check.types.ts';
import { startDnsFixture, type DnsFixture } from './helpers/dns.fixture.ts';
import { monitor } from './helpers/monitor.factory.ts';

const registry = createCheckRegistry();
let fx: DnsFixture;
let silent: DnsFixture;

before(async () => {
  fx = await startDnsFixture({
    'api.pharos.test': {
      A: ['10.0.0.1', '10.0.0.2'],
      AAAA: ['2001:db8::1'],
      TXT: ['v=spf1 -all'],
      MX: ['10 mx1.pharos.test', '20 mx2.pharos.test'],
    },
    'www.pharos.test': { CNAME: ['api.pharos.test'] },
  });
  silent = await startDnsFixture({}, { silent: true });
});
after(async () => {
  await fx.close();
  await silent.close();
});

const dnsCheck = (dns: Partial<NonNullable<RunnerMonitor['dns']>>, extra: Partial<RunnerMonitor> = {}) =>
  executeCheck(monitor({ type: 'dns', dns: { hostname: 'api.pharos.test', resolver: fx.resolver, ...dns }, ...extra }), registry, { region: 'r' });

describe('dns check', () => {
  const cases: { type: 'A' | 'AAAA' | 'CNAME' | 'TXT' | 'MX'; hostname?: string; expected: string[]; answers: string[] }[] = [
    { type: 'A', expected: ['10.0.0.2', '10.0.0.1'], answers: ['10.0.0.1', '10.0.0.2'] },
    { type: 'AAAA', expected: ['2001:DB8:0::1'], answers: ['2001:db8::1'] },
    { type: 'CNAME', hostname: 'www.pharos.test', expected: ['API.pharos.test.'], answers: ['api.pharos.test'] },
    { type: 'TXT', expected: ['v=spf1 -all'], answers: ['v=spf1 -all'] },
    { type: 'MX', expected: ['mx2.pharos.test', '10 mx1.pharos.test'], answers: ['10 mx1.pharos.test', '20 mx2.pharos.test'] },
  ];
  for (const c of cases) {
    it(`resolves ${c.type} at the configured resolver and finds every expected value`, async () => {
      const result = await dnsCheck({ record_type: c.type, hostname: c.hostname ?? 'api.pharos.test', expected_values: c.expected });
      assert.equal(result.status, 'up', JSON.stringify(result.error));
      assert.deepEqual(result.details?.answers, c.answers);
      assert.ok(result.timings?.dns_ms !== undefined);
    });
  }

  it('asked the fixture, not the host resolver', () => {
    assert.ok(fx.queries.some((q) => q.startsWith('api.pharos.test')));
  });

  it('is down with dns_mismatch when an expected value is missing', async () => {
    const result = await dnsCheck({ record_type: 'A', expected_values: ['10.0.0.1', '10.9.9.9'] });
    assert.equal(result.status, 'down');
    assert.equal(result.error?.code, 'dns_mismatch');
    assert.match(result.error?.message ?? '', /10\.9\.9\.9/);
  });

  it('is down with dns_no_answer for a name that does not exist', async () => {
    const result = await dnsCheck({ hostname: 'missing.pharos.test' });
    assert.equal(result.status, 'down');
    assert.equal(result.error?.code, 'dns_no_answer');
  });

  it('is down with timeout when the resolver never answers', async () => {
    const started = Date.now();
    const result = await executeCheck(
      monitor({ type: 'dns', dns: { hostname: 'api.pharos.test', resolver: silent.resolver }, timeout_seconds: 0.4 }),
      registry,
      { region: 'r' },
    );
    assert.equal(result.status, 'down');
    assert.equal(result.error?.code, 'timeout');
    assert.ok(Date.now() - started < 2000);
  });
});
