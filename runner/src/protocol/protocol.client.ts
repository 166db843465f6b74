import { Pool } from 'undici';
import type { Assignments, CheckResult, ResultBatchOutcome, RunnerRegistered, RunnerRegistration } from '../../../api/src/contract/index.ts';
import type { LoadTestProgress, LoadTestShare } from '../../../api/src/contract/load-test.schema.ts';
import { ProtocolError } from './protocol.errors.ts';
import { requestSignal } from './request.signal.ts';

export interface ProtocolClientOptions {
  apiUrl: URL;
  /** Runner token, sent as a bearer credential. */
  token: string;
  userAgent: string;
  /** Keep-alive connections to the API (the long poll holds one, pushes use another). */
  connections?: number;
  registerTimeoutMs?: number;
  pushTimeoutMs?: number;
}

export interface PollQuery {
  runnerId: string;
  revision: number;
  waitSeconds: number;
}

/** An assignments answer with the load-test shares of a runner that registered the `load_test` capability. */
export type AssignmentsAnswer = Assignments & { load_tests: LoadTestShare[]; aborted_load_tests: string[] };

/** The runner side of /v1/runner/…; every failure is a ProtocolError with a stable code. */
export interface ProtocolClient {
  register(registration: RunnerRegistration, signal: AbortSignal): Promise<RunnerRegistered>;
  /** Long poll; answers at once when something changed, else after `waitSeconds`. */
  pollAssignments(query: PollQuery, signal: AbortSignal): Promise<AssignmentsAnswer>;
  pushResults(runnerId: string, results: readonly CheckResult[], signal: AbortSignal): Promise<ResultBatchOutcome>;
  /** Releases the runner's slots at once. False when the API does not know the runner or the route. */
  deregister(runnerId: string, signal: AbortSignal): Promise<boolean>;
  close(): Promise<void>;
}

/** POST /v1/runner/load-tests/{id}/progress: a share's progress; the answer says whether to abort it. */
export interface LoadTestProgressClient {
  reportLoadTest(loadTestId: string, progress: LoadTestProgress, signal: AbortSignal): Promise<{ abort: boolean }>;
}

interface Problemish {
  code?: unknown;
  detail?: unknown;
  title?: unknown;
}

/** Extra time a long poll may take beyond its wait before we call the API unreachable. */
const pollGraceMs = 15_000;

/** Creates the client on one keep-alive undici Pool to the API's origin. */
export function createProtocolClient(options: ProtocolClientOptions): ProtocolClient & LoadTestProgressClient {
  const pool = new Pool(options.apiUrl.origin, {
    connections: options.connections ?? 4,
    // Below Node's default server keep-alive (5 s) so we rarely reuse a socket the server is closing.
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 30_000,
    connect: { timeout: 5_000 },
  });
  const basePath = options.apiUrl.pathname.replace(/\/+$/, '');
  const headers = {
    authorization: `Bearer ${options.token}`,
    accept: 'application/json, application/problem+json',
    'user-agent': options.userAgent,
  };

  async function call(
    method: 'GET' | 'POST',
    path: string,
    init: { body?: unknown; signal: AbortSignal; timeoutMs: number; runnerScoped: boolean },
  ): Promise<unknown> {
    const what = `${method} ${path.split('?')[0]}`;
    if (init.signal.aborted) throw new ProtocolError('aborted', `${what} not sent: shutting down`);
    const link = requestSignal(init.signal, init.timeoutMs);
    let status: number;
    let text: string;
    let retryAfter: string | string[] | undefined;
    try {
      const res = await pool.request({
        method,
        path: basePath + path,
        headers: init.body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        signal: link.signal,
      });
      status = res.statusCode;
      retryAfter = res.headers['retry-after'];
      text = await res.body.text();
    } catch (err) {
      if (init.signal.aborted) throw new ProtocolError('aborted', `${what} aborted: shutting down`);
      if (link.timedOut) throw new ProtocolError('unavailable', `${what} got no answer within ${init.timeoutMs} ms`);
      const code = (err as { code?: string }).code;
      throw new ProtocolError('unavailable', `${what} failed: ${code ? `${code} ` : ''}${(err as Error).message}`);
    } finally {
      link.dispose();
    }

    if (status >= 200 && status < 300) {
      if (text === '') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new ProtocolError('bad_response', `${what} answered ${status} with a body that is not JSON`, status);
      }
    }

    let problem: Problemish = {};
    try {
      problem = JSON.parse(text) as Problemish;
    } catch {
      // Proxies answer HTML; the status alone decides.
    }
    const detail = typeof problem.detail === 'string' ? problem.detail : typeof problem.title === 'string' ? problem.title : text.slice(0, 200);
    const message = `${what} answered ${status}${typeof problem.code === 'string' ? ` (${problem.code})` : ''}: ${detail}`;
    if (status === 426 || problem.code === 'incompatible_runner') throw new ProtocolError('incompatible_runner', detail || message, status);
    if (status === 401) throw new ProtocolError('unauthorized', message, status);
    if ((status === 404 || status === 410) && init.runnerScoped) throw new ProtocolError('runner_unknown', message, status);
    if (status === 413) throw new ProtocolError('payload_too_large', message, status);
    if (status === 429 || status >= 500) {
      const seconds = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
      throw new ProtocolError('unavailable', message, status, Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined);
    }
    throw new ProtocolError('request_rejected', message, status);
  }

  const object = (value: unknown, what: string): Record<string, unknown> => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ProtocolError('bad_response', `${what}: expected a JSON object`);
    return value as Record<string, unknown>;
  };

  return {
    async register(registration, signal) {
      const body = object(await call('POST', '/v1/runner/register', { body: registration, signal, timeoutMs: options.registerTimeoutMs ?? 10_000, runnerScoped: false }), 'register');
      if (typeof body.runner_id !== 'string' || typeof body.region !== 'string') throw new ProtocolError('bad_response', 'register: runner_id and region are required');
      const positive = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback);
      return {
        runner_id: body.runner_id,
        region: body.region,
        labels: typeof body.labels === 'object' && body.labels !== null ? (body.labels as Record<string, string>) : {},
        protocol_version: typeof body.protocol_version === 'number' ? body.protocol_version : registration.protocol_version,
        lease_seconds: positive(body.lease_seconds, 60),
        // At least 1 s: a wait of 0 would turn the long poll into a busy loop.
        poll_wait_seconds: Math.min(60, Math.max(1, typeof body.poll_wait_seconds === 'number' ? Math.floor(body.poll_wait_seconds) : 20)),
        max_batch: Math.min(1000, positive(body.max_batch, 500)),
      };
    },

    async pollAssignments({ runnerId, revision, waitSeconds }, signal) {
      const query = new URLSearchParams({ runner_id: runnerId, revision: String(revision), wait: String(waitSeconds) });
      const body = object(
        await call('GET', `/v1/runner/assignments?${query}`, { signal, timeoutMs: waitSeconds * 1000 + pollGraceMs, runnerScoped: true }),
        'assignments',
      );
      if (typeof body.revision !== 'number' || typeof body.full !== 'boolean') throw new ProtocolError('bad_response', 'assignments: revision and full are required');
      const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
      return {
        revision: body.revision,
        full: body.full,
        monitors: list(body.monitors),
        removed: list(body.removed),
        confirmations: list(body.confirmations),
        lease_expires_at: typeof body.lease_expires_at === 'string' ? body.lease_expires_at : '',
        load_tests: list(body.load_tests),
        aborted_load_tests: list(body.aborted_load_tests),
      };
    },

    async reportLoadTest(loadTestId, progress, signal) {
      const body = await call('POST', `/v1/runner/load-tests/${encodeURIComponent(loadTestId)}/progress`, { body: progress, signal, timeoutMs: 5_000, runnerScoped: false });
      return { abort: typeof body === 'object' && body !== null && (body as { abort?: unknown }).abort === true };
    },

    async pushResults(runnerId, results, signal) {
      const body = object(
        await call('POST', '/v1/runner/results', { body: { runner_id: runnerId, results }, signal, timeoutMs: options.pushTimeoutMs ?? 10_000, runnerScoped: true }),
        'results',
      );
      if (!Array.isArray(body.accepted)) throw new ProtocolError('bad_response', 'results: accepted is required');
      return {
        accepted: body.accepted.filter((id): id is string => typeof id === 'string'),
        duplicates: typeof body.duplicates === 'number' ? body.duplicates : 0,
        rejected: Array.isArray(body.rejected) ? (body.rejected as ResultBatchOutcome['rejected']) : [],
      };
    },

    async deregister(runnerId, signal) {
      try {
        await call('POST', '/v1/runner/deregister', { body: { runner_id: runnerId }, signal, timeoutMs: 3_000, runnerScoped: true });
        return true;
      } catch (err) {
        if (err instanceof ProtocolError && (err.code === 'runner_unknown' || err.status === 405)) return false;
        throw err;
      }
    },

    close: () => pool.close(),
  };
}
