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
      const details: NonNullable<CheckOutcome['details']> = {
        days_to_expiry: Math.floor(remainingMs / dayMs),
        subject: formatName(cert.subject),
        issuer: formatName(cert.issuer),
        valid_from: new Date(cert.valid_from).toISOString(),
        valid_to: validTo.toISOString(),
        serial_number: cert.serialNumber ?? '',
        fingerprint256: cert.fingerprint256 ?? '',
        chain_valid: handshake.authorized,
        hostname_valid: handshake.hostnameError === undefined,
      };
      const failDays = config.fail_days ?? tlsDefaults.failDays;
      const warnDays = config.warn_days ?? tlsDefaults.warnDays;
      const verify = config.verify_chain ?? tlsDefaults.verifyChain;

      // Expiry says the most precise thing, then trust, then the warning window.
      let failure: CheckFailure | undefined;
      let status: 'down' | 'degraded' | undefined;
      if (remainingMs <= 0) {
        (status = 'down'), (failure = new CheckFailure('certificate_expired', `certificate expired on ${validTo.toISOString()}`));
      } else if (remainingMs <= failDays * dayMs) {
        (status = 'down'), (failure = new CheckFailure('certificate_expiring', `certificate expires in ${details.days_to_expiry} day(s), within fail_days ${failDays}`));
      } else if (verify && !handshake.authorized) {
        (status = 'down'), (failure = new CheckFailure('certificate_invalid', `certificate chain does not verify: ${handshake.authorizationError ?? 'unknown reason'}`));
      } else if (verify && handshake.hostnameError) {
        (status = 'down'), (failure = new CheckFailure('certificate_invalid', handshake.hostnameError));
      } else if (remainingMs <= warnDays * dayMs) {
        (status = 'degraded'), (failure = new CheckFailure('certificate_expiring', `certificate expires in ${details.days_to_expiry} day(s), within warn_days ${warnDays}`));
      }
      if (status && failure) {
        return { started_at: clock.startedAt, status, duration_ms: elapsed(clock), timings: handshake.timings, error: toCheckError(failure), details };
      }
      return judgedOutcome(clock, monitor, { responseTimeMs: handshake.timings.total_ms }, { timings: handshake.timings, details });
    },
  };
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
