import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestCert } from './test.certs.ts';

/** A recorded request, so tests can assert what the runner actually sent. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  remotePort: number;
}

export interface HttpFixture {
  baseUrl: string;
  port: number;
  requests: SeenRequest[];
  /** Bytes the /big route managed to write before the client hung up. */
  bigBytesWritten: () => number;
  /** Connections the server still has open. */
  openConnections: () => Promise<number>;
  close(): Promise<void>;
}

/**
 * A loopback server with the routes the HTTP and multistep tests need:
 * /status/{code}, /json, /echo, /slow?ms=, /redirect/{n}, /loop, /big?bytes=, /login, /orders/{id}.
 */
export async function startHttpFixture(tls?: TestCert): Promise<HttpFixture> {
  const requests: SeenRequest[] = [];
  let bigWritten = 0;
  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, remotePort: req.socket.remotePort ?? 0 });
      const url = new URL(req.url ?? '/', 'http://fixture');
      const parts = url.pathname.split('/').filter(Boolean);
      const json = (status: number, value: unknown, headers: http.OutgoingHttpHeaders = {}): void => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };
      switch (parts[0]) {
        case 'status':
          res.writeHead(Number(parts[1]), { 'content-type': 'text/plain', 'x-fixture': 'yes' });
          res.end(`status ${parts[1]}`);
          return;
        case 'json':
          return json(200, { status: 'healthy', version: '1.4.2', uptime: 12.5, items: [{ id: 1, ok: true }, { id: 2, ok: false }], nothing: null }, { 'x-request-id': 'abc-123' });
        case 'echo':
          return json(200, { method: req.method, headers: req.headers, body });
        case 'slow':
          setTimeout(() => json(200, { slow: true }), Number(url.searchParams.get('ms') ?? '100')).unref();
          return;
        case 'redirect': {
          const n = Number(parts[1] ?? 0);
          res.writeHead(302, { location: n > 1 ? `/redirect/${n - 1}` : '/json' });
          res.end();
          return;
        }
        case 'see-other':
          res.writeHead(303, { location: '/echo' });
          res.end();
          return;
        case 'loop':
          res.writeHead(301, { location: '/loop' });
          res.end();
          return;
        case 'big': {
          const total = Number(url.searchParams.get('bytes') ?? '1000000');
          res.writeHead(200, { 'content-type': 'text/plain' });
          const chunk = Buffer.alloc(16_384, 'x');
          // Write with back-pressure so the count shows how much the client actually pulled.
          const pump = (): void => {
            while (bigWritten < total) {
              bigWritten += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
            res.end();
          };
          res.on('close', () => res.removeAllListeners('drain'));
          pump();
          return;
        }
        case 'login': {
          const creds = body ? (JSON.parse(body) as { user?: string }) : {};
          if (req.method !== 'POST' || creds.user !== 'robot') return json(401, { error: 'bad credentials' });
          return json(200, { token: 'tok-42', user: { id: 'u7' } }, { 'x-session': 'sess-9' });
        }
        case 'orders': {
          if (req.headers.authorization !== 'Bearer tok-42') return json(401, { error: 'unauthorized' });
          return json(200, { order: parts[1], session: req.headers['x-session'] ?? null, state: 'shipped' });
        }
        default:
          res.writeHead(404).end('not found');
      }
    });
  };
  const server = tls ? https.createServer({ cert: tls.certPem, key: tls.keyPem }, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    bigBytesWritten: () => bigWritten,
    openConnections: () => new Promise<number>((resolve, reject) => server.getConnections((err, n) => (err ? reject(err) : resolve(n)))),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
