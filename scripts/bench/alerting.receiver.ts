import { createServer, type IncomingMessage } from 'node:http';
import { listenLoopback } from '../test/support/processes.ts';
import type { Page } from './alerting.pages.ts';

// The webhook receiver of `npm run bench:alerting`: one HTTP server on 127.0.0.1 port 0 that every
// notifier under test posts to, each on its own path (/pharos/default, /am/tuned, …). It answers
// 200 to every POST and keeps what it got, with the arrival time, for the bench to read. Bounded: it
// keeps at most MAX_PAGES pages of at most MAX_BODY bytes each.

const MAX_PAGES = 20_000;
const MAX_BODY = 1024 * 1024;
const kept = ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'content-type', 'user-agent'];

export interface Receiver {
  origin: string;
  /** Pages received so far on one path (or all), in arrival order. */
  pages(channel?: string): Page[];
  /** Requests refused (not a POST, or a body over the limit). */
  refused(): number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size <= MAX_BODY ? Buffer.concat(chunks).toString('utf8') : undefined));
    req.on('error', () => resolve(undefined));
  });
}

/** Starts the receiver. */
export async function startReceiver(): Promise<Receiver> {
  const pages: Page[] = [];
  let refused = 0;
  const server = createServer(async (req, res) => {
    // The arrival is when the request line and headers are in, before the body is read.
    const at = Date.now();
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    if (body === undefined || pages.length >= MAX_PAGES) {
      refused++;
      res.writeHead(req.method === 'POST' ? 413 : 405).end();
      return;
    }
    const headers: Page['headers'] = {};
    for (const name of kept) {
      const v = req.headers[name];
      headers[name] = Array.isArray(v) ? v.join(' ') : v;
    }
    pages.push({ channel: new URL(req.url ?? '/', 'http://receiver').pathname, at, headers, body });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  server.keepAliveTimeout = 5_000;
  const origin = await listenLoopback(server);
  return {
    origin,
    pages: (channel) => (channel === undefined ? [...pages] : pages.filter((p) => p.channel === channel)),
    refused: () => refused,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
