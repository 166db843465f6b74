import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FleetControl } from './fleet.control.ts';
import { startControlServer, type ControlServer } from './control.server.ts';
import { closeAll, listen, LOOPBACK } from './loopback.http.ts';
import { PagerInbox } from './pager.inbox.ts';
import { CALLER_HEADER, createFleetModel, endpointsOf, HEALTH_PATH, modelErrors, type DownstreamCall, type EndpointModel, type FleetModel, type HttpMethod, type ServiceModel } from './fleet.model.ts';

// The simulator: one node:http server per service on 127.0.0.1. Business endpoints really call
// their downstream services over HTTP, so a cut edge or a broken downstream makes them fail (502,
// or 504 on timeout) while /health keeps answering 200: the reference outage.

export { CALLER_HEADER };
const MAX_REQUEST_BYTES = 64 * 1024;

export interface FleetOptions {
  /** Defaults to the reference fleet. */
  model?: FleetModel;
  /** Shared fault state; a fresh one by default. */
  control?: FleetControl;
  /** Service i listens on basePort + i (model order); 0 or absent: a free port each. */
  basePort?: number;
  /** Start the control HTTP server on this port (0: a free port); absent: no control server. */
  controlPort?: number;
  /** How long a service waits for a downstream call before answering 504. Default 2000 ms. */
  downstreamTimeoutMs?: number;
}

export interface RunningService {
  name: string;
  team: string;
  kind: ServiceModel['kind'];
  url: string;
  /** Every endpoint, /health first. */
  endpoints: Array<{ method: HttpMethod; path: string }>;
}

export interface RunningFleet {
  model: FleetModel;
  services: Map<string, RunningService>;
  control: FleetControl;
  /** URL of the control server, when one was started. */
  controlUrl: string | undefined;
  /** The teams' pagers, served by the control server at POST /pages/{team} (without one, nothing reaches them). */
  pager: PagerInbox;
  stop(): Promise<void>;
}

interface CallFailure {
  status: 502 | 504;
  body: Record<string, unknown>;
}

/** Starts every service of the fleet (and the control server when asked) and returns once all listen. */
export async function startFleet(options: FleetOptions = {}): Promise<RunningFleet> {
  const model = options.model ?? createFleetModel();
  const problems = modelErrors(model);
  if (problems.length) throw new Error(`Invalid fleet model:\n${problems.join('\n')}`);
  const control = options.control ?? new FleetControl(model);
  const timeoutMs = options.downstreamTimeoutMs ?? 2000;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const urls = new Map<string, string>();
  const servers: Server[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let stopping = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const callDownstream = (caller: string, call: DownstreamCall): Promise<CallFailure | undefined> =>
    new Promise((resolve) => {
      const base = urls.get(call.service);
      if (!base) return resolve({ status: 502, body: { status: 'error', error: 'dependency_unknown', dependency: call.service } });
      const body = call.method === 'POST' ? '{}' : undefined;
      const req = request(
        `${base}${call.path}`,
        {
          method: call.method,
          agent,
          timeout: timeoutMs,
          headers: { [CALLER_HEADER]: caller, accept: 'application/json', ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve(undefined);
            else resolve({ status: 502, body: { status: 'error', error: 'dependency_failed', dependency: call.service, dependency_status: status, detail: `${call.service} answered ${status} to ${call.method} ${call.path}` } });
          });
          res.on('error', () => resolve({ status: 502, body: { status: 'error', error: 'dependency_unreachable', dependency: call.service, detail: `the connection to ${call.service} broke` } }));
        },
      );
      req.on('timeout', () => {
        req.destroy();
        resolve({ status: 504, body: { status: 'error', error: 'dependency_timeout', dependency: call.service, detail: `${call.service} did not answer ${call.method} ${call.path} within ${timeoutMs} ms` } });
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        resolve({ status: 502, body: { status: 'error', error: 'dependency_unreachable', dependency: call.service, detail: `cannot reach ${call.service}: ${error.code ?? error.message}` } });
      });
      req.end(body);
    });

  const handler = (service: ServiceModel) => {
    const routes = new Map<string, EndpointModel>(service.endpoints.map((e) => [`${e.method} ${e.path}`, e]));
    const paths = new Set([HEALTH_PATH, ...service.endpoints.map((e) => e.path)]);
    // A service with a pool holds one connection per business request in flight (a slow downstream
    // or an injected delay fills it); callers beyond the pool's size wait for one.
    let inFlight = 0;
    const poolOf = (size: number) => ({ utilization_pct: Math.min(100, Math.round((inFlight / size) * 100)), wait_count: Math.max(0, inFlight - size) });
    return async (req: IncomingMessage, res: ServerResponse) => {
      if (service.pool && (req.url ?? '/').split('?')[0] !== HEALTH_PATH) {
        inFlight += 1;
        res.once('close', () => (inFlight -= 1));
      }
      const caller = headerValue(req.headers[CALLER_HEADER]);
      if (control.isCut(caller, service.name)) {
        // The network policy drops the traffic: the caller sees its connection reset.
        req.socket.destroy();
        return;
      }
      if (!(await drain(req))) return send(res, 413, { status: 'error', error: 'payload_too_large' });
      const delay = control.delayOf(service.name);
      if (delay > 0) await sleep(delay);
      if (stopping) return void req.socket.destroy();
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const method = req.method ?? 'GET';
      if (control.isBroken(service.name)) {
        return send(res, 500, path === HEALTH_PATH ? { status: 'unhealthy', service: service.name } : { status: 'error', error: 'internal_error', service: service.name });
      }
      if (path === HEALTH_PATH) {
        if (method !== 'GET' && method !== 'HEAD') return send(res, 405, { status: 'error', error: 'method_not_allowed' }, { allow: 'GET, HEAD' });
        return send(res, 200, service.pool ? { status: 'healthy', pool: poolOf(service.pool.size) } : { status: 'healthy' });
      }
      const route = routes.get(`${method} ${path}`);
      if (!route) {
        if (paths.has(path)) return send(res, 405, { status: 'error', error: 'method_not_allowed' });
        return send(res, 404, { status: 'error', error: 'not_found', path });
      }
      const failures = (await Promise.all(route.calls.map((c) => callDownstream(service.name, c)))).filter((f): f is CallFailure => f !== undefined);
      const failure = failures.find((f) => f.status === 504) ?? failures[0];
      if (failure) return send(res, failure.status, { ...failure.body, service: service.name });
      return send(res, 200, route.response);
    };
  };

  try {
    for (const [index, service] of model.services.entries()) {
      const handle = handler(service);
      const server = createServer((req, res) => {
        handle(req, res).catch(() => {
          if (!res.headersSent) send(res, 500, { status: 'error', error: 'internal_error' });
        });
      });
      servers.push(server);
      const port = options.basePort ? options.basePort + index : 0;
      await listen(server, port, `${service.name} on ${LOOPBACK}:${port}`);
      urls.set(service.name, `http://${LOOPBACK}:${(server.address() as AddressInfo).port}`);
    }
  } catch (error) {
    await closeAll(servers);
    agent.destroy();
    throw error;
  }

  const services = new Map<string, RunningService>(
    model.services.map((s) => [s.name, { name: s.name, team: s.team, kind: s.kind, url: urls.get(s.name)!, endpoints: endpointsOf(s) }]),
  );

  const pager = new PagerInbox(model.teams.map((t) => t.name));
  let controlServer: ControlServer | undefined;
  if (options.controlPort !== undefined) {
    try {
      controlServer = await startControlServer({ control, model, services, port: options.controlPort, pager });
    } catch (error) {
      await closeAll(servers);
      agent.destroy();
      throw error;
    }
  }

  return {
    model,
    services,
    control,
    controlUrl: controlServer?.url,
    pager,
    async stop() {
      stopping = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await controlServer?.close();
      await closeAll(servers);
      agent.destroy();
    },
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Reads and discards the request body; false when it is too large. */
function drain(req: IncomingMessage): Promise<boolean> {
  return new Promise((resolve) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_REQUEST_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        resolve(false);
      }
    });
    req.on('end', () => resolve(true));
    req.on('error', () => resolve(false));
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
