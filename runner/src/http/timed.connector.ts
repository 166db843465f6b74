import net from 'node:net';
import tls from 'node:tls';
import { performance } from 'node:perf_hooks';

/** Connection phase durations of one socket, in ms; a phase that did not happen stays undefined. */
export interface ConnectTimings {
  dnsMs?: number;
  connectMs?: number;
  tlsMs?: number;
  /** performance.now() when the socket became usable (after TLS for https). */
  readyAt?: number;
}

export interface TimedSocketOptions {
  /** A URL hostname (IPv6 brackets allowed), port and scheme. */
  hostname: string;
  port: number;
  secure: boolean;
  verifyTls: boolean;
  trustedCa?: readonly string[];
}

// Extra trust roots arrive as the same array for every check of a runner: one SecureContext each,
// instead of parsing the system roots and the extra ones again on every handshake.
const contexts = new WeakMap<readonly string[], tls.SecureContext>();

function secureContextFor(trustedCa: readonly string[]): tls.SecureContext {
  let context = contexts.get(trustedCa);
  if (!context) {
    context = tls.createSecureContext({ ca: [...tls.rootCertificates, ...trustedCa] });
    contexts.set(trustedCa, context);
  }
  return context;
}

/**
 * Opens one fresh socket (TLS for https) and measures DNS, TCP and TLS phases from the socket's
 * own events: no monkey-patching, no global subscription, so timings belong to this check alone.
 * `onReady` runs once when the socket is usable; errors arrive as the socket's 'error' event,
 * which the caller listens to. No TLS session cache: every check does a full handshake, which is
 * what a user's first visit does.
 */
export function openTimedSocket(options: TimedSocketOptions, onReady: (timings: ConnectTimings) => void): net.Socket {
  // URL hostnames keep IPv6 brackets; sockets want the bare address.
  const host = options.hostname.charCodeAt(0) === 0x5b ? options.hostname.slice(1, -1) : options.hostname;
  const literal = net.isIP(host) !== 0;
  const startedAt = performance.now();
  const timings: ConnectTimings = {};
  let lookedUpAt = startedAt;
  let connectedAt = startedAt;

  const socket = options.secure
    ? tls.connect({
        host,
        port: options.port,
        // SNI must not carry an IP address (RFC 6066).
        servername: literal ? undefined : host,
        rejectUnauthorized: options.verifyTls,
        secureContext: options.trustedCa ? secureContextFor(options.trustedCa) : undefined,
        ALPNProtocols: ['http/1.1'],
      })
    : net.connect({ host, port: options.port });

  // TLS writes its Finished and then the request at once: without NODELAY the request could wait
  // for the Finished's ACK. A plain request is the connection's first and only write, which Nagle
  // never holds back, so it is spared the system call.
  if (options.secure) socket.setNoDelay(true);
  // An IP literal is not looked up: no 'lookup' event, no DNS phase.
  if (!literal) {
    socket.once('lookup', () => {
      lookedUpAt = performance.now();
      timings.dnsMs = lookedUpAt - startedAt;
    });
  }
  socket.once('connect', () => {
    connectedAt = performance.now();
    timings.connectMs = connectedAt - lookedUpAt;
    if (!options.secure) ready();
  });
  if (options.secure) {
    socket.once('secureConnect', () => {
      timings.tlsMs = performance.now() - connectedAt;
      ready();
    });
  }
  function ready(): void {
    timings.readyAt = performance.now();
    onReady(timings);
  }
  return socket;
}
