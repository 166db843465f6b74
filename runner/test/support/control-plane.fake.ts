import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Assignments, CheckResult, ConfirmationRequest, ResultBatchOutcome, RunnerRegistered, RunnerRegistration } from '../../../api/src/contract/index.ts';
import { RUNNER_PROTOCOL_VERSION } from '../../../api/src/contract/runner-protocol.schema.ts';
import type { RunnerMonitor } from '../../src/engine.ts';

export interface FakeControlPlaneOptions {
  token?: string;
  region?: string;
  labels?: Record<string, string>;
  leaseSeconds?: number;
  pollWaitSeconds?: number;
  maxBatch?: number;
  /** Protocol versions accepted; others answer 426 incompatible_runner. */
  protocolVersions?: number[];
  /** false: POST /v1/runner/deregister answers 404 like an API without the route. */
  deregisterRoute?: boolean;
}

/** One batch the fake processed. */
export interface SeenBatch {
  runnerId: string;
  ids: string[];
  receivedAt: number;
}

type OutageMode = '503' | 'drop';

interface HeldPoll {
  res: http.ServerResponse;
  answer: () => boolean;
  timer: NodeJS.Timeout;
}

const ulidChars = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A control plane that speaks the runner protocol of api/src/contract/runner-protocol.schema.ts
 * on 127.0.0.1:0 and records what it receives: registrations, polls, result batches (with how
 * often each result id arrived) and deregistrations. It can be paused to simulate an outage.
 * One organization, one assignment set for every runner.
 */
export class FakeControlPlane {
  readonly registrations: { body: RunnerRegistration; runnerId: string; authorization: string | undefined }[] = [];
  readonly polls: { runnerId: string; revision: number; wait: number; at: number }[] = [];
  readonly batches: SeenBatch[] = [];
  /** Results stored, first copy wins (ingest is idempotent by id). */
  readonly stored = new Map<string, CheckResult & { receivedAt: number }>();
  /** How many processed batches carried each result id. */
  readonly receipts = new Map<string, number>();
  readonly deregistrations: string[] = [];
  /** Requests answered 503 or dropped while paused. */
  outageRequests = 0;

  #server: http.Server;
  #options: Required<FakeControlPlaneOptions>;
  #runners = new Set<string>();
  #monitors = new Map<string, RunnerMonitor>();
  #changes = new Map<string, { revision: number; removed: boolean }>();
  #revision = 1;
  #confirmations = new Map<string, ConfirmationRequest[]>();
  #held = new Set<HeldPoll>();
  #outage: OutageMode | undefined;
  #rejectMonitors = new Set<string>();
  #revoked = false;
  #seq = 0;
  url = '';

  private constructor(options: FakeControlPlaneOptions) {
    this.#options = {
      token: 'phr_test_token',
      region: 'eu-west-1',
      labels: {},
      leaseSeconds: 30,
      pollWaitSeconds: 2,
      maxBatch: 500,
      protocolVersions: [RUNNER_PROTOCOL_VERSION],
      deregisterRoute: true,
      ...options,
    };
    this.#server = http.createServer((req, res) => this.#handle(req, res));
  }

  /** Starts a fake on 127.0.0.1 with a free port. */
  static async start(options: FakeControlPlaneOptions = {}): Promise<FakeControlPlane> {
    const fake = new FakeControlPlane(options);
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`;
    return fake;
  }

  get token(): string {
    return this.#options.token;
  }

  get revision(): number {
    return this.#revision;
  }

  /** Replaces the assignment set (each change gets a revision, like the real feed). */
  setMonitors(monitors: RunnerMonitor[]): void {
    const keep = new Set(monitors.map((m) => m.id));
    for (const id of this.#monitors.keys()) if (!keep.has(id)) this.removeMonitor(id);
    monitors.forEach((m) => this.upsertMonitor(m));
  }

  upsertMonitor(monitor: RunnerMonitor): void {
    this.#revision += 1;
    this.#monitors.set(monitor.id, monitor);
    this.#changes.set(monitor.id, { revision: this.#revision, removed: false });
    this.#wakePolls();
  }

  removeMonitor(id: string): void {
    if (!this.#monitors.delete(id)) return;
    this.#revision += 1;
    this.#changes.set(id, { revision: this.#revision, removed: true });
    this.#wakePolls();
  }

  /** Asks every registered runner for an immediate confirmation check of a monitor. */
  confirm(monitorId: string, reason = 'first failure in another region'): void {
    for (const runnerId of this.#runners) {
      const list = this.#confirmations.get(runnerId) ?? [];
      list.push({ monitor_id: monitorId, requested_at: new Date().toISOString(), reason });
      this.#confirmations.set(runnerId, list);
    }
    this.#wakePolls();
  }

  /** Results of this monitor are rejected with not_assigned. */
  rejectResultsOf(monitorId: string): void {
    this.#rejectMonitors.add(monitorId);
  }

  /** Forgets every runner, as an API that lost its runner table would: polls and pushes answer 404. */
  forgetRunners(): void {
    this.#runners.clear();
    this.#wakePolls();
  }

  /** Every call answers 401 from now on. */
  revokeToken(): void {
    this.#revoked = true;
    this.#wakePolls();
  }

  /** Simulates an outage: every request (and every held long poll) gets a 503 or a dropped connection. */
  pause(mode: OutageMode = '503'): void {
    this.#outage = mode;
    for (const held of [...this.#held]) {
      this.#release(held);
      this.#refuse(held.res);
    }
  }

  resume(): void {
    this.#outage = undefined;
  }

  /** Results stored for one monitor, oldest first. */
  resultsOf(monitorId: string): (CheckResult & { receivedAt: number })[] {
    return [...this.stored.values()].filter((r) => r.monitor_id === monitorId);
  }

  async close(): Promise<void> {
    for (const held of [...this.#held]) {
      this.#release(held);
      held.res.destroy();
    }
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #refuse(res: http.ServerResponse): void {
    this.outageRequests += 1;
    if (this.#outage === 'drop') res.socket?.destroy();
    else this.#problem(res, 503, 'unavailable', 'The control plane is down for a test.');
  }

  #problem(res: http.ServerResponse, status: number, code: string, detail: string): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/problem+json' });
    res.end(JSON.stringify({ type: `https://pharos.dev/problems/${code}`, title: code, status, code, detail }));
  }

  #json(res: http.ServerResponse, status: number, body: unknown): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (this.#outage) return this.#refuse(res);
      const authorization = req.headers.authorization;
      if (this.#revoked || authorization !== `Bearer ${this.#options.token}`) {
        return this.#problem(res, 401, 'unauthorized', 'The runner token is unknown or was revoked.');
      }
      const url = new URL(req.url ?? '/', 'http://fake');
      let body: Record<string, unknown> = {};
      try {
        if (chunks.length > 0) body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        return this.#problem(res, 400, 'malformed_json', 'The body is not JSON.');
      }
      const route = `${req.method} ${url.pathname}`;
      switch (route) {
        case 'POST /v1/runner/register':
          return this.#register(body as unknown as RunnerRegistration, authorization, res);
        case 'GET /v1/runner/assignments':
          return this.#poll(url.searchParams, res);
        case 'POST /v1/runner/results':
          return this.#results(body, res);
        case 'POST /v1/runner/deregister': {
          if (!this.#options.deregisterRoute) return this.#problem(res, 404, 'not_found', 'No such route.');
          const runnerId = String(body.runner_id);
          this.deregistrations.push(runnerId);
          if (!this.#runners.delete(runnerId)) return this.#problem(res, 404, 'not_found', 'Runner was not found.');
          res.writeHead(204).end();
          return;
        }
        default:
          return this.#problem(res, 404, 'not_found', `No route ${route}.`);
      }
    });
  }

  #register(body: RunnerRegistration, authorization: string | undefined, res: http.ServerResponse): void {
    if (!this.#options.protocolVersions.includes(body.protocol_version)) {
      return this.#problem(
        res,
        426,
        'incompatible_runner',
        `This control plane speaks runner protocol ${this.#options.protocolVersions.join(', ')}; the runner speaks ${body.protocol_version}. Upgrade the runner.`,
      );
    }
    const runnerId = this.#newId('run');
    this.#runners.add(runnerId);
    this.registrations.push({ body, runnerId, authorization });
    const answer: RunnerRegistered = {
      runner_id: runnerId,
      region: this.#options.region,
      labels: this.#options.labels,
      protocol_version: RUNNER_PROTOCOL_VERSION,
      lease_seconds: this.#options.leaseSeconds,
      poll_wait_seconds: this.#options.pollWaitSeconds,
      max_batch: this.#options.maxBatch,
    };
    this.#json(res, 201, answer);
  }

  #poll(query: URLSearchParams, res: http.ServerResponse): void {
    const runnerId = query.get('runner_id') ?? '';
    const revision = Number(query.get('revision') ?? '0');
    const wait = Math.min(60, Number(query.get('wait') ?? '20'));
    this.polls.push({ runnerId, revision, wait, at: Date.now() });
    const answer = (): boolean => {
      if (!this.#runners.has(runnerId)) {
        this.#problem(res, 404, 'not_found', 'Runner was not found; register again.');
        return true;
      }
      const full = revision <= 0 || revision > this.#revision;
      const changed = [...this.#changes].filter(([, c]) => c.revision > revision);
      const confirmations = this.#confirmations.get(runnerId) ?? [];
      if (!full && changed.length === 0 && confirmations.length === 0) return false;
      this.#confirmations.delete(runnerId);
      const body: Assignments = {
        revision: this.#revision,
        full,
        monitors: (full ? [...this.#monitors.values()] : changed.filter(([, c]) => !c.removed).map(([id]) => this.#monitors.get(id)!)) as Assignments['monitors'],
        removed: full ? [] : changed.filter(([, c]) => c.removed).map(([id]) => id),
        confirmations,
        lease_expires_at: new Date(Date.now() + this.#options.leaseSeconds * 1000).toISOString(),
      };
      this.#json(res, 200, body);
      return true;
    };
    if (answer()) return;
    const held: HeldPoll = {
      res,
      answer,
      timer: setTimeout(() => {
        this.#release(held);
        if (!answer()) this.#json(res, 200, { revision: this.#revision, full: false, monitors: [], removed: [], confirmations: [], lease_expires_at: new Date(Date.now() + this.#options.leaseSeconds * 1000).toISOString() });
      }, wait * 1000),
    };
    this.#held.add(held);
    res.on('close', () => this.#release(held));
  }

  #results(body: Record<string, unknown>, res: http.ServerResponse): void {
    const runnerId = String(body.runner_id);
    if (!this.#runners.has(runnerId)) return this.#problem(res, 404, 'not_found', 'Runner was not found; register again.');
    const results = Array.isArray(body.results) ? (body.results as CheckResult[]) : [];
    if (results.length === 0 || results.length > 1000) return this.#problem(res, 422, 'validation_failed', 'results: 1 to 1000 items.');
    if (results.length > this.#options.maxBatch) return this.#problem(res, 413, 'payload_too_large', `At most ${this.#options.maxBatch} results per batch.`);
    const now = Date.now();
    this.batches.push({ runnerId, ids: results.map((r) => r.id), receivedAt: now });
    const outcome: ResultBatchOutcome = { accepted: [], duplicates: 0, rejected: [] };
    results.forEach((result, index) => {
      this.receipts.set(result.id, (this.receipts.get(result.id) ?? 0) + 1);
      if (this.#rejectMonitors.has(result.monitor_id)) {
        outcome.rejected.push({ id: result.id, index, code: 'not_assigned', message: `Monitor ${result.monitor_id} is not assigned to this runner.` });
        return;
      }
      if (this.stored.has(result.id)) outcome.duplicates += 1;
      else this.stored.set(result.id, { ...result, receivedAt: now });
      outcome.accepted.push(result.id);
    });
    this.#json(res, 200, outcome);
  }

  #wakePolls(): void {
    for (const held of [...this.#held]) {
      if (held.answer()) this.#release(held);
    }
  }

  #release(held: HeldPoll): void {
    clearTimeout(held.timer);
    this.#held.delete(held);
  }

  #newId(prefix: string): string {
    this.#seq += 1;
    let tail = '';
    for (let n = this.#seq, i = 0; i < 26; i++, n = Math.floor(n / 32)) tail = ulidChars[n % 32] + tail;
    return `${prefix}_${tail}`;
  }
}

/** Polls `condition` every 10 ms until true; throws after `timeoutMs` naming what was awaited. */
export async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
