import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthVerdict } from './runner.health.ts';

export interface HealthServerOptions {
  port: number;
  /** Loopback in tests; all interfaces by default so Prometheus and the kubelet can reach it. */
  host?: string;
  metrics: { contentType: string; render(): Promise<string> };
  health: () => HealthVerdict;
}

export interface HealthServer {
  readonly port: number;
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
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
