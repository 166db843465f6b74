import assert from 'node:assert/strict';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createCheckRegistry } from '../src/checks/check.registry.ts';
import { executeCheck } from '../src/checks/check.executor.ts';
import { judgeCertificate } from '../src/checks/tls.check.ts';
import type { RunnerMonitor } from '../src/checks/check.types.ts';
import { startHttpFixture, type HttpFixture } from './helpers/http.fixture.ts';
import { monitor } from './helpers/monitor.factory.ts';
import { createTestCa, issueServerCert, type LeafOptions, type TestCa } from './helpers/test.certs.ts';

const registry = createCheckRegistry();
let ca: TestCa;
const cleanups: (() => Promise<void>)[] = [];

before(async () => {
  ca = await createTestCa();
});
after(async () => {
  await Promise.all(cleanups.map((c) => c()));
});

/** A bare TLS server presenting a certificate with the given validity; returns its port. */
async function tlsServer(options: LeafOptions & { selfSigned?: boolean }): Promise<number> {
  const cert = await issueServerCert(options.selfSigned ? undefined : ca, options);
  const server = tls.createServer({ cert: cert.certPem, key: cert.keyPem }, (socket) => socket.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as AddressInfo).port;
}

const trusted = (m: RunnerMonitor) => executeCheck(m, registry, { region: 'test-1', trustedCa: [ca.certPem] });
const untrusted = (m: RunnerMonitor) => executeCheck(m, registry, { region: 'test-1' });

describe('https via the http check', () => {
  let fx: HttpFixture;
  before(async () => {
    fx = await startHttpFixture(await issueServerCert(ca, { dnsNames: ['localhost'], ips: ['127.0.0.1'] }));
    cleanups.push(() => fx.close());
  });

  it('is up with a TLS phase when the chain verifies', async () => {
    const result = await trusted(monitor({ type: 'http', http: { url: `https://localhost:${fx.port}/json` } }));
    assert.equal(result.status, 'up', JSON.stringify(result.error));
    const t = result.timings!;
    assert.ok(t.tls_ms !== undefined && t.tls_ms > 0);
    assert.ok(t.dns_ms !== undefined, 'a host name is resolved, and the lookup is timed');
    assert.ok(t.connect_ms !== undefined, 'TCP connect is timed apart from the handshake');
    assert.ok(t.total_ms >= t.dns_ms + t.connect_ms + t.tls_ms);
  });

  it('is down with certificate_invalid when the issuer is unknown, and up with verify_tls false', async () => {
    const strict = await untrusted(monitor({ type: 'http', http: { url: `${fx.baseUrl}/json` } }));
    assert.equal(strict.status, 'down');
    assert.equal(strict.error?.code, 'certificate_invalid');

    const lax = await untrusted(monitor({ type: 'http', http: { url: `${fx.baseUrl}/json`, verify_tls: false } }));
    assert.equal(lax.status, 'up', JSON.stringify(lax.error));
  });

  it('is down with certificate_invalid when the host name does not match', async () => {
    const other = await startHttpFixture(await issueServerCert(ca, { dnsNames: ['other.example'], ips: [] }));
    cleanups.push(() => other.close());
    const result = await trusted(monitor({ type: 'http', http: { url: `${other.baseUrl}/json` } }));
    assert.equal(result.status, 'down');
    assert.equal(result.error?.code, 'certificate_invalid');
  });
});

describe('tls check', () => {
  const tlsMonitor = (port: number, extra: Partial<NonNullable<RunnerMonitor['tls']>> = {}) =>
    monitor({ type: 'tls', tls: { host: '127.0.0.1', port, ...extra } });

  it('is up for a valid certificate and reports expiry details', async () => {
    const port = await tlsServer({ validDays: 90 });
    const result = await trusted(tlsMonitor(port));
    assert.equal(result.status, 'up', JSON.stringify(result.error));
    const days = Number(result.details?.days_to_expiry);
    assert.ok(days === 89 || days === 90, `days_to_expiry ${days}`);
    assert.match(String(result.details?.subject), /CN=localhost/);
    assert.match(String(result.details?.issuer), /CN=Pharos Test CA/);
    assert.ok(Math.abs(Date.parse(String(result.details?.valid_to)) - (Date.now() + 90 * 86_400_000)) < 60_000);
    assert.ok(result.timings?.tls_ms !== undefined);
  });

  it('is degraded inside warn_days and down inside fail_days', async () => {
    const warn = await trusted(tlsMonitor(await tlsServer({ validDays: 20 }), { warn_days: 30, fail_days: 7 }));
    assert.equal(warn.status, 'degraded');
    assert.equal(warn.error?.code, 'certificate_expiring');

    const fail = await trusted(tlsMonitor(await tlsServer({ validDays: 3 }), { warn_days: 30, fail_days: 7 }));
    assert.equal(fail.status, 'down');
    assert.equal(fail.error?.code, 'certificate_expiring');
  });

  it('is down with certificate_expired for an expired certificate', async () => {
    const result = await trusted(tlsMonitor(await tlsServer({ validDays: -2 })));
    assert.equal(result.status, 'down');
    assert.equal(result.error?.code, 'certificate_expired');
    assert.ok(Number(result.details?.days_to_expiry) < 0);
  });

  it('checks the chain and host name only when verify_chain is on', async () => {
    const selfSigned = await tlsServer({ selfSigned: true, validDays: 90 });
    const strict = await trusted(tlsMonitor(selfSigned));
    assert.equal(strict.status, 'down');
    assert.equal(strict.error?.code, 'certificate_invalid');
    assert.equal(strict.details?.chain_valid, false);

    const lax = await trusted(tlsMonitor(selfSigned, { verify_chain: false }));
    assert.equal(lax.status, 'up');

    const wrongName = await tlsServer({ dnsNames: ['other.example'], ips: [] });
    const mismatch = await trusted(tlsMonitor(wrongName, { servername: 'localhost' }));
    assert.equal(mismatch.status, 'down');
    assert.equal(mismatch.error?.code, 'certificate_invalid');
    assert.equal(mismatch.details?.hostname_valid, false);
  });
});

describe('certificate judgement', () => {
  const day = 86_400_000;
  const ok = { authorized: true };
  const base = { validTo: new Date(0), warnDays: 30, failDays: 7, verifyChain: true, handshake: ok };
  const cases: [string, number, Partial<typeof base> & { handshake?: { authorized: boolean; authorizationError?: string; hostnameError?: string } }, string | undefined, string?][] = [
    ['healthy', 90, {}, undefined],
    ['warn window', 29.5, {}, 'degraded', 'certificate_expiring'],
    ['warn edge is inside', 30, {}, 'degraded', 'certificate_expiring'],
    ['fail window', 6.9, {}, 'down', 'certificate_expiring'],
    ['expired', -0.1, {}, 'down', 'certificate_expired'],
    ['untrusted', 90, { handshake: { authorized: false, authorizationError: 'SELF_SIGNED' } }, 'down', 'certificate_invalid'],
    ['untrusted but not verified', 90, { verifyChain: false, handshake: { authorized: false } }, undefined],
    ['wrong host', 90, { handshake: { authorized: true, hostnameError: 'mismatch' } }, 'down', 'certificate_invalid'],
    ['expiry outranks trust', -1, { handshake: { authorized: false } }, 'down', 'certificate_expired'],
    ['warn_days 0 never degrades', 1, { warnDays: 0, failDays: 0 }, undefined],
  ];
  for (const [name, days, overrides, status, code] of cases) {
    it(name, () => {
      const verdict = judgeCertificate({ ...base, ...overrides, remainingMs: days * day, daysToExpiry: Math.floor(days) });
      assert.equal(verdict?.status, status);
      assert.equal(verdict?.failure.code, code);
    });
  }
});
