import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthVerdict } from './runner.health.ts';

export interface HealthServerOptions {
  /** 0 = a free port chosen by the OS (read it back from HealthServer.port). */
  port: number;
  /** Loopback in tests and under `npm start`; all interfaces by default so Prometheus and the kubelet can reach it. */
  host?: string;
  metrics: { contentType: string; render(): Promise<string> };
  health: () => HealthVerdict;
}

export interface HealthServer {
  readonly port: number;
  /** The address actually bound, e.g. "127.0.0.1" or "::". */
  readonly host: string;
  close(): Promise<void>;
}

/** Serves GET /metrics (Prometheus text) and GET /healthz (JSON verdict) on node:http. */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      options.metrics.render().then(
        (text) => res.writeHead(200, { 'content-type': options.metrics.contentType }).end(text),
        (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${err.message}\n`),
      );
      return;
    }
    if (path === '/healthz') {
      const verdict = options.health();
      res.writeHead(verdict.status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(verdict.body));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics or /healthz\n');
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    port: address.port,
    host: address.address,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What an operator must read when the metrics server cannot listen: which setting to change, and to what. */
export function listenFailureMessage(port: number, host: string | undefined, err: NodeJS.ErrnoException): string {
  const where = `${host ?? 'all interfaces'} port ${port}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return (
        `PHAROS_RUNNER_METRICS_PORT: ${where} is already in use (another Pharos runner, or an OpenTelemetry Prometheus exporter, which also defaults to 9464). ` +
        'Set PHAROS_RUNNER_METRICS_PORT to a free port, to "auto" for one chosen by the system, or to 0 to turn /metrics and /healthz off.'
      );
    case 'EACCES':
      return `PHAROS_RUNNER_METRICS_PORT: not allowed to listen on ${where} (ports below 1024 need privileges). Choose a port from 1024 up, or "auto".`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `PHAROS_RUNNER_METRICS_HOST: "${host}" is not an address of this machine (${err.code}). Use 127.0.0.1 for loopback only, or leave it unset for all interfaces.`;
    default:
      return `PHAROS_RUNNER_METRICS_PORT: cannot listen on ${where}: ${err.message}`;
  }
}
