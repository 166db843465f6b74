import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ControlError, describeStatus, type FleetControl, type FleetStatus } from './fleet.control.ts';
import { dependencyEdges, type FleetModel } from './fleet.model.ts';
import type { RunningService } from './fleet.server.ts';
import { closeAll, listen } from './loopback.http.ts';
import type { PagerInbox } from './pager.inbox.ts';

// The control server of a running demo, on 127.0.0.1: fault injection over HTTP (used by the CLI
// and by the HTML page at GET /), and the fleet's URLs for `npm run demo -- declare-only`.
//
//   GET  /                      HTML page with buttons
//   GET  /status                current faults
//   GET  /fleet                 services, URLs and endpoints
//   POST /break/{service}       every endpoint answers 500, /health too
//   POST /slow/{service}/{ms}   every response is delayed (0 removes the delay)
//   POST /cut/{from}/{to}       from's calls to `to` are dropped; both /health stay 200
//   POST /heal[/{service}|/all] remove faults
//   POST /pages/{team}          a team's pager: Standard Webhooks-signed notifications from Pharos
//   GET  /pages                 the pages received, oldest first
//   POST /pager-secrets         {"<team>": "whsec_…"}: the teams' signing secrets (write-only), from declare-only

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

export interface ControlServerOptions {
  control: FleetControl;
  model: FleetModel;
  services: Map<string, RunningService>;
  port: number;
  /** The teams' pagers; absent: no /pages routes. */
  pager?: PagerInbox;
}

const MAX_PAGE_BYTES = 1024 * 1024;

/** Reads a request body as text, up to `max` bytes; undefined when larger. */
function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > max) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
  });
}

export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const { control, model, services } = options;
  const server = createServer((req, res) => {
    try {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (options.pager && req.method === 'POST' && (path.startsWith('/pages/') || path === '/pager-secrets')) {
        pagerRoute(options.pager, req, res, path).catch((error: unknown) => problem(res, 500, 'internal_error', (error as Error).message));
        return;
      }
      route(req, res);
    } catch (error) {
      if (error instanceof ControlError) problem(res, error.status, error.code, error.message);
      else problem(res, 500, 'internal_error', (error as Error).message);
    }
  });

  function route(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    if (method === 'GET') {
      if (parts.length === 0) return html(res, page(model, services));
      if (parts.length === 1 && parts[0] === 'status') return statusJson(res, control.status());
      if (parts.length === 1 && parts[0] === 'pages' && options.pager) return json(res, 200, { pages: options.pager.list() });
      if (parts.length === 1 && parts[0] === 'fleet') {
        return json(res, 200, { services: [...services.values()], edges: dependencyEdges(model), control: control.status() });
      }
      return problem(res, 404, 'not_found', `No such page: ${url.pathname}. Try GET /, /status, /fleet or /pages.`);
    }
    if (method !== 'POST') return problem(res, 405, 'method_not_allowed', 'Use GET to read and POST to change the fleet.');
    // A page on another origin must not drive the demo through the browser.
    const origin = req.headers.origin;
    if (origin && origin !== `http://${req.headers.host}`) return problem(res, 403, 'forbidden', 'Cross-origin requests are refused.');
    const [command, a, b] = parts;
    switch (command) {
      case 'break':
        if (parts.length === 2) return statusJson(res, control.break(a!));
        break;
      case 'slow':
        if (parts.length === 3) {
          const ms = /^\d+$/.test(b!) ? Number(b) : Number.NaN;
          return statusJson(res, control.slow(a!, ms));
        }
        break;
      case 'cut':
        if (parts.length === 3) return statusJson(res, control.cut(a!, b!));
        break;
      case 'heal':
        if (parts.length <= 2) return statusJson(res, control.heal(a));
        break;
    }
    return problem(res, 404, 'not_found', `Unknown command ${url.pathname}. Use POST /break/{service}, /slow/{service}/{ms}, /cut/{from}/{to} or /heal[/{service}].`);
  }

  async function pagerRoute(pager: PagerInbox, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    // A page on another origin must not drive the demo through the browser (Pharos sends no Origin).
    const origin = req.headers.origin;
    if (origin && origin !== `http://${req.headers.host}`) return problem(res, 403, 'forbidden', 'Cross-origin requests are refused.');
    const body = await readBody(req, MAX_PAGE_BYTES);
    if (body === undefined) return problem(res, 413, 'payload_too_large', `The body is larger than ${MAX_PAGE_BYTES} bytes.`);
    if (path === '/pager-secrets') {
      let secrets: unknown;
      try {
        secrets = JSON.parse(body);
      } catch {
        return problem(res, 400, 'invalid_json', 'Send a JSON object {"<team>": "whsec_…"}.');
      }
      if (!secrets || typeof secrets !== 'object' || Array.isArray(secrets) || !Object.values(secrets).every((v) => typeof v === 'string' && /^whsec_[A-Za-z0-9+/=]{32,88}$/.test(v))) {
        return problem(res, 422, 'validation_failed', 'Send a JSON object {"<team>": "whsec_…"}, each secret "whsec_" and the base64 of 24 to 64 bytes.');
      }
      try {
        pager.setSecrets(secrets as Record<string, string>);
      } catch (error) {
        return problem(res, 422, 'validation_failed', (error as Error).message);
      }
      res.writeHead(204).end();
      return;
    }
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts.length !== 2) return problem(res, 404, 'not_found', 'Pages go to POST /pages/{team}.');
    const answer = pager.receive(parts[1]!, req.headers, body);
    if (answer.status === 204) {
      res.writeHead(204).end();
      return;
    }
    const code = answer.status === 401 ? 'unauthorized' : answer.status === 404 ? 'not_found' : 'invalid_notification';
    return problem(res, answer.status, code, answer.detail);
  }

  await listen(server, options.port, `the demo control server on 127.0.0.1:${options.port}`);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () => closeAll([server]),
  };
}

function statusJson(res: ServerResponse, status: FleetStatus): void {
  json(res, 200, { ...status, summary: describeStatus(status) });
}

function json(res: ServerResponse, code: number, body: unknown, type = 'application/json'): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': type, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

function problem(res: ServerResponse, status: number, code: string, detail: string): void {
  json(res, status, { type: `https://pharos.dev/problems/${code.replaceAll('_', '-')}`, title: code.replaceAll('_', ' '), status, code, detail }, 'application/problem+json');
}

function html(res: ServerResponse, body: string): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(model: FleetModel, services: Map<string, RunningService>): string {
  const rows = model.services
    .map((s) => {
      const url = services.get(s.name)?.url ?? '';
      const n = escape(s.name);
      return `<tr><td>${n}${s.kind === 'external' ? ' <small>(external)</small>' : ''}</td><td>${escape(s.team)}</td><td><a href="${url}/health">${url}</a></td>
<td><button data-post="/break/${n}">break</button> <button data-post="/slow/${n}/800">slow 800 ms</button> <button data-post="/heal/${n}">heal</button></td></tr>`;
    })
    .join('\n');
  const edges = dependencyEdges(model)
    .map((e) => `<option value="/cut/${escape(e.from)}/${escape(e.to)}"${e.from === 'shipping-integration' && e.to === 'carrier-api' ? ' selected' : ''}>${escape(e.from)} → ${escape(e.to)}</option>`)
    .join('');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Pharos demo fleet</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}td{padding:2px 8px}pre{background:#f4f4f4;padding:1em}</style></head>
<body><h1>Pharos demo fleet</h1>
<p>Faults: <pre id="status">…</pre></p>
<p><select id="edge">${edges}</select> <button id="cut">cut edge</button> <button data-post="/heal/all">heal all</button></p>
<table><tr><th>service</th><th>team</th><th>url</th><th></th></tr>
${rows}
</table>
<script>
const show = (s) => { document.getElementById('status').textContent = s.summary ?? s.detail; };
const post = (path) => fetch(path, { method: 'POST' }).then((r) => r.json()).then(show);
document.querySelectorAll('button[data-post]').forEach((b) => b.onclick = () => post(b.dataset.post));
document.getElementById('cut').onclick = () => post(document.getElementById('edge').value);
fetch('/status').then((r) => r.json()).then(show);
</script></body></html>`;
}
