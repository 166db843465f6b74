import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LoadTestProgress, LoadTestShare } from '../../../api/src/contract/load-test.schema.ts';
import type { RunnerRegistration } from '../../../api/src/contract/runner-protocol.schema.ts';
import type { RunnerMonitor } from '../../src/engine.ts';

/** One progress report the fake received. */
export interface SeenProgress extends LoadTestProgress {
  loadTestId: string;
  receivedAt: number;
}

/**
 * A control plane for load-test tests: register, a long poll whose every answer carries the full
 * monitor set, the current `load_tests` shares and `aborted_load_tests`, results (all accepted),
 * deregister, and POST /v1/runner/load-tests/{id}/progress (recorded; answers {abort} as set).
 * Progress reports can be made to fail with 503 a number of times.
 */
export class LoadTestControlPlane {
  readonly token = 'phr_load_test_token';
  readonly registrations: RunnerRegistration[] = [];
  readonly progress: SeenProgress[] = [];
  readonly results: { monitor_id: string; started_at: string }[] = [];
  shares: LoadTestShare[] = [];
  aborted: string[] = [];
  /** Load tests whose progress answers say abort. */
  readonly abortOnProgress = new Set<string>();
  /** Progress reports still to answer 503. */
  failProgress = 0;
  monitors: RunnerMonitor[] = [];
  url = '';
  #server = http.createServer((req, res) => this.#handle(req, res));
  #held = new Set<() => void>();
  #revision = 1;

  static async start(): Promise<LoadTestControlPlane> {
    const fake = new LoadTestControlPlane();
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`;
    return fake;
  }

  /** Hands out new shares/aborts: held polls answer at once. */
  update(change: { shares?: LoadTestShare[]; aborted?: string[]; monitors?: RunnerMonitor[] }): void {
    if (change.shares) this.shares = change.shares;
    if (change.aborted) this.aborted = change.aborted;
    if (change.monitors) this.monitors = change.monitors;
    this.#revision += 1;
    for (const wake of [...this.#held]) wake();
  }

  reportsOf(id: string): SeenProgress[] {
    return this.progress.filter((p) => p.loadTestId === id);
  }

  finalOf(id: string): SeenProgress | undefined {
    return this.reportsOf(id).find((p) => p.final);
  }

  async close(): Promise<void> {
    for (const wake of [...this.#held]) wake();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #json(res: http.ServerResponse, status: number, body: unknown): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' });
    res.end(JSON.stringify(body));
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${this.token}`) return this.#json(res, 401, { code: 'unauthorized', detail: 'bad token' });
      const url = new URL(req.url ?? '/', 'http://fake');
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
      const progress = /^\/v1\/runner\/load-tests\/([^/]+)\/progress$/.exec(url.pathname);
      if (req.method === 'POST' && progress) {
        if (this.failProgress > 0) {
          this.failProgress -= 1;
          return this.#json(res, 503, { code: 'unavailable', detail: 'down for a test' });
        }
        const id = decodeURIComponent(progress[1]!);
        this.progress.push({ ...(body as unknown as LoadTestProgress), loadTestId: id, receivedAt: Date.now() });
        return this.#json(res, 200, { abort: this.abortOnProgress.has(id) });
      }
      switch (`${req.method} ${url.pathname}`) {
        case 'POST /v1/runner/register':
          this.registrations.push(body as unknown as RunnerRegistration);
          return this.#json(res, 201, { runner_id: 'run_01HZZZZZZZZZZZZZZZZZZZZZZZ', region: 'eu-west-1', labels: {}, protocol_version: 1, lease_seconds: 30, poll_wait_seconds: 1, max_batch: 500 });
        case 'GET /v1/runner/assignments': {
          const revision = Number(url.searchParams.get('revision') ?? 0);
          const answer = (): void =>
            this.#json(res, 200, {
              revision: this.#revision,
              full: true,
              monitors: this.monitors,
              removed: [],
              confirmations: [],
              lease_expires_at: new Date(Date.now() + 30_000).toISOString(),
              load_tests: this.shares,
              aborted_load_tests: this.aborted,
            });
          if (revision !== this.#revision) return answer();
          const wake = (): void => {
            clearTimeout(timer);
            this.#held.delete(wake);
            answer();
          };
          const timer = setTimeout(wake, 1_000);
          this.#held.add(wake);
          return;
        }
        case 'POST /v1/runner/results': {
          const results = (body.results ?? []) as { id: string; monitor_id: string; started_at: string }[];
          this.results.push(...results);
          return this.#json(res, 200, { accepted: results.map((r) => r.id), duplicates: 0, rejected: [] });
        }
        case 'POST /v1/runner/deregister':
          res.writeHead(204).end();
          return;
        default:
          return this.#json(res, 404, { code: 'not_found', detail: `no route ${req.method} ${url.pathname}` });
      }
    });
  }
}
