import net from 'node:net';
import tls from 'node:tls';
import { performance } from 'node:perf_hooks';
import type { Timings } from '../../../api/src/contract/index.ts';
import { CheckFailure, toCheckError, toCheckFailure } from './check.errors.ts';
import type { Check, CheckContext, CheckOutcome } from './check.types.ts';
import { elapsed, failedOutcome, judgedOutcome, startClock } from './outcome.builder.ts';

/** Defaults from the contract's TlsCheck schema. */
export const tlsDefaults = { port: 443, warnDays: 30, failDays: 7, verifyChain: true } as const;

const dayMs = 86_400_000;

interface Handshake {
  cert: tls.PeerCertificate;
  authorized: boolean;
  authorizationError?: string;
  hostnameError?: string;
  timings: Timings;
}

/** TLS certificate check: expiry against warn/fail days, plus chain and host name when verify_chain. */
export function createTlsCheck(now: () => number = Date.now): Check<'tls'> {
  return {
    type: 'tls',
    async run(monitor, ctx) {
      const clock = startClock();
      const config = monitor.tls;
      if (!config) return failedOutcome(clock, new CheckFailure('invalid_monitor', 'tls monitor without a "tls" block'), ctx);
      const host = config.host.replace(/^\[(.*)\]$/, '$1');
      const servername = config.servername ?? host;
      let handshake: Handshake;
      try {
        handshake = await handshakeWith(host, config.port ?? tlsDefaults.port, servername, ctx);
      } catch (err) {
        return failedOutcome(clock, err, ctx);
      }
      const { cert } = handshake;
      const validTo = new Date(cert.valid_to);
      const remainingMs = validTo.getTime() - now();
      const daysToExpiry = Math.floor(remainingMs / dayMs);
      const details: NonNullable<CheckOutcome['details']> = {
        days_to_expiry: daysToExpiry,
        subject: formatName(cert.subject),
        issuer: formatName(cert.issuer),
        valid_from: new Date(cert.valid_from).toISOString(),
        valid_to: validTo.toISOString(),
        serial_number: cert.serialNumber ?? '',
        fingerprint256: cert.fingerprint256 ?? '',
        chain_valid: handshake.authorized,
        hostname_valid: handshake.hostnameError === undefined,
      };
      const problem = judgeCertificate({
        remainingMs,
        daysToExpiry,
        validTo,
        warnDays: config.warn_days ?? tlsDefaults.warnDays,
        failDays: config.fail_days ?? tlsDefaults.failDays,
        verifyChain: config.verify_chain ?? tlsDefaults.verifyChain,
        handshake,
      });
      if (problem) {
        return { started_at: clock.startedAt, status: problem.status, duration_ms: elapsed(clock), timings: handshake.timings, error: toCheckError(problem.failure), details };
      }
      return judgedOutcome(clock, monitor, { responseTimeMs: handshake.timings.total_ms }, { timings: handshake.timings, details });
    },
  };
}

interface CertificateFacts {
  remainingMs: number;
  daysToExpiry: number;
  validTo: Date;
  warnDays: number;
  failDays: number;
  verifyChain: boolean;
  handshake: Pick<Handshake, 'authorized' | 'authorizationError' | 'hostnameError'>;
}

/**
 * What is wrong with a certificate, most precise first: expired, inside fail_days, untrusted
 * chain, wrong host name, inside warn_days. Undefined when nothing is.
 */
export function judgeCertificate(facts: CertificateFacts): { status: 'down' | 'degraded'; failure: CheckFailure } | undefined {
  const { remainingMs, daysToExpiry, warnDays, failDays, handshake } = facts;
  if (remainingMs <= 0) return { status: 'down', failure: new CheckFailure('certificate_expired', `certificate expired on ${facts.validTo.toISOString()}`) };
  if (remainingMs <= failDays * dayMs) {
    return { status: 'down', failure: new CheckFailure('certificate_expiring', `certificate expires in ${daysToExpiry} day(s), within fail_days ${failDays}`) };
  }
  if (facts.verifyChain && !handshake.authorized) {
    return { status: 'down', failure: new CheckFailure('certificate_invalid', `certificate chain does not verify: ${handshake.authorizationError ?? 'unknown reason'}`) };
  }
  if (facts.verifyChain && handshake.hostnameError) return { status: 'down', failure: new CheckFailure('certificate_invalid', handshake.hostnameError) };
  if (remainingMs <= warnDays * dayMs) {
    return { status: 'degraded', failure: new CheckFailure('certificate_expiring', `certificate expires in ${daysToExpiry} day(s), within warn_days ${warnDays}`) };
  }
  return undefined;
}

function handshakeWith(host: string, port: number, servername: string, ctx: CheckContext): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    if (ctx.signal.aborted) return reject(toCheckFailure(ctx.signal.reason, ctx.signal));
    const start = performance.now();
    let lookedUpAt: number | undefined;
    let connectedAt: number | undefined;
    // rejectUnauthorized false: we want the certificate even when it does not verify, and judge it ourselves.
    const socket = tls.connect({
      host,
      port,
      servername: net.isIP(servername) ? undefined : servername,
      rejectUnauthorized: false,
      ca: ctx.trustedCa ? [...tls.rootCertificates, ...ctx.trustedCa] : undefined,
    });
    const onAbort = (): void => settle(toCheckFailure(ctx.signal.reason, ctx.signal));
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('lookup', () => (lookedUpAt = performance.now()));
    socket.once('connect', () => (connectedAt = performance.now()));
    socket.once('error', (err) => settle(toCheckFailure(err, ctx.signal)));
    socket.once('secureConnect', () => {
      const end = performance.now();
      const cert = socket.getPeerCertificate(false);
      if (!cert || Object.keys(cert).length === 0) return settle(new CheckFailure('tls_error', 'server sent no certificate'));
      const timings: Timings = { total_ms: round(end - start), tls_ms: round(end - (connectedAt ?? start)) };
      if (lookedUpAt !== undefined) timings.dns_ms = round(lookedUpAt - start);
      if (connectedAt !== undefined) timings.connect_ms = round(connectedAt - (lookedUpAt ?? start));
      const hostnameError = tls.checkServerIdentity(servername, cert);
      const handshake: Handshake = { cert, authorized: socket.authorized, timings };
      if (socket.authorizationError) handshake.authorizationError = String(socket.authorizationError);
      if (hostnameError) handshake.hostnameError = hostnameError.message;
      settle(undefined, handshake);
    });

    function settle(err: CheckFailure | undefined, handshake?: Handshake): void {
      ctx.signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err) reject(err);
      else resolve(handshake as Handshake);
    }
  });
}

/** "CN=example.com, O=Example" from Node's parsed name object. */
function formatName(name: tls.Certificate | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`)
    .join(', ')
    .slice(0, 4096);
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
