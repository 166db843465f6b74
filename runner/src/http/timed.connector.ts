import net from 'node:net';
import tls from 'node:tls';
import { performance } from 'node:perf_hooks';
import type { buildConnector } from 'undici';

/** Connection phase durations of one socket, in ms; a phase that did not happen stays undefined. */
export interface ConnectTimings {
  dnsMs?: number;
  connectMs?: number;
  tlsMs?: number;
  /** performance.now() when the socket became usable (after TLS for https). */
  readyAt?: number;
}

export interface TimedConnectorOptions {
  verifyTls: boolean;
  trustedCa?: readonly string[];
  /** Receives the phase timings of every socket this connector opens. */
  onTimings: (timings: ConnectTimings) => void;
  /** Receives every socket this connector opens, so the caller can close it itself. */
  onSocket?: (socket: net.Socket) => void;
}

/**
 * An undici connector that opens exactly one fresh socket per call and measures DNS, TCP and TLS
 * phases from the socket's own events — no monkey-patching, no global subscription, so timings
 * belong unambiguously to this check. No TLS session cache: every check does a full handshake,
 * which is what a user's first visit does.
 */
export function createTimedConnector(options: TimedConnectorOptions): buildConnector.connector {
  return (opts, callback) => {
    const secure = opts.protocol === 'https:';
    // URL hostnames keep IPv6 brackets; sockets want the bare address.
    const host = opts.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(opts.port) || (secure ? 443 : 80);
    const startedAt = performance.now();
    const timings: ConnectTimings = {};
    let lookedUpAt = startedAt;
    let connectedAt = startedAt;

    const socket = secure
      ? tls.connect({
          host,
          port,
          // SNI must not carry an IP address (RFC 6066).
          servername: net.isIP(host) ? undefined : (opts.servername ?? host),
          rejectUnauthorized: options.verifyTls,
          ca: options.trustedCa ? [...tls.rootCertificates, ...options.trustedCa] : undefined,
          ALPNProtocols: ['http/1.1'],
        })
      : net.connect({ host, port });

    socket.setNoDelay(true);
    options.onSocket?.(socket);
    socket.once('lookup', () => {
      lookedUpAt = performance.now();
      timings.dnsMs = lookedUpAt - startedAt;
    });
    socket.once('connect', () => {
      connectedAt = performance.now();
      timings.connectMs = connectedAt - lookedUpAt;
      if (!secure) finish(null);
    });
    if (secure) {
      socket.once('secureConnect', () => {
        timings.tlsMs = performance.now() - connectedAt;
        finish(null);
      });
    }
    const onError = (err: Error): void => finish(err);
    socket.once('error', onError);

    let done = false;
    function finish(err: Error | null): void {
      if (done) return;
      done = true;
      socket.off('error', onError);
      timings.readyAt = performance.now();
      options.onTimings(timings);
      if (err) {
        socket.destroy();
        callback(err, null);
      } else {
        callback(null, socket);
      }
    }
  };
}
