import { Pool } from 'undici';
import { MANAGED_BY_HEADER } from '../../../api/src/contract/managed-by.schema.ts';
import { Backoff, pause } from '../protocol/backoff.policy.ts';
import type { CallLimiter } from './call.limiter.ts';

/** A refused or failed API call; `code` is the API's problem code (or "unavailable" when it could not be reached). */
export class PharosApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PharosApiError';
  }
}

export interface PharosClient {
  /** One call; JSON in and out. Retries 429, 503 and unreachable a few times (writes carry an Idempotency-Key). */
  call<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** Every item of a paged list (limit / cursor / next_cursor). */
  listAll<T>(path: string, query?: Record<string, string>): Promise<T[]>;
  /** Calls made since the client was created, by method (for the tests' "zero writes" and the logs). */
  readonly counts: Readonly<Record<string, number>>;
  close(): Promise<void>;
}

interface Problemish {
  code?: unknown;
  detail?: unknown;
  title?: unknown;
}

const pageLimit = 200;
const attempts = 4;

/** The discovery agent's REST client: API token, Pharos-Managed-By: discovery on every call, bounded by the limiter. */
export function createPharosClient(options: { apiUrl: URL; token: string; userAgent: string; limiter: CallLimiter; timeoutMs?: number; signal?: AbortSignal }): PharosClient {
  const pool = new Pool(options.apiUrl.origin, { connections: 8, keepAliveTimeout: 4_000, connect: { timeout: 5_000 } });
  const basePath = options.apiUrl.pathname.replace(/\/+$/, '');
  const counts: Record<string, number> = {};
  const signal = options.signal ?? new AbortController().signal;

  const once = async (method: string, path: string, body: unknown, idempotencyKey: string | undefined): Promise<{ status: number; text: string; retryAfter?: number }> => {
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.token}`,
      accept: 'application/json, application/problem+json',
      'user-agent': options.userAgent,
      [MANAGED_BY_HEADER.toLowerCase()]: 'discovery',
    };
    if (body !== undefined) headers['content-type'] = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    counts[method] = (counts[method] ?? 0) + 1;
    const res = await pool.request({
      method: method as 'GET',
      path: basePath + path,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs ?? 15_000)]),
    });
    const text = await res.body.text();
    const ra = Number(res.headers['retry-after']);
    return { status: res.statusCode, text, ...(Number.isFinite(ra) ? { retryAfter: ra } : {}) };
  };

  async function call<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const what = `${method} ${path.split('?')[0]}`;
    const idempotencyKey = method === 'POST' ? crypto.randomUUID() : undefined;
    const backoff = new Backoff({ initialMs: 250, maxMs: 5_000 });
    for (let attempt = 1; ; attempt++) {
      let answer: { status: number; text: string; retryAfter?: number };
      try {
        answer = await options.limiter.run(() => once(method, path, body, idempotencyKey));
      } catch (err) {
        if (signal.aborted) throw new PharosApiError('aborted', `${what} aborted: shutting down`);
        if (attempt < attempts && (await pause(backoff.next(), signal))) continue;
        const code = (err as { code?: string }).code;
        throw new PharosApiError('unavailable', `${what} failed: ${code ? `${code} ` : ''}${(err as Error).message}`);
      }
      const { status, text } = answer;
      if (status >= 200 && status < 300) {
        if (!text) return undefined as T;
        try {
          return JSON.parse(text) as T;
        } catch {
          throw new PharosApiError('bad_response', `${what} answered ${status} with a body that is not JSON`, status);
        }
      }
      let problem: Problemish = {};
      try {
        problem = JSON.parse(text) as Problemish;
      } catch {
        // a proxy's HTML page: the status decides
      }
      const code = typeof problem.code === 'string' ? problem.code : status === 404 ? 'not_found' : status >= 500 ? 'unavailable' : 'request_rejected';
      const detail = typeof problem.detail === 'string' ? problem.detail : typeof problem.title === 'string' ? problem.title : text.slice(0, 200);
      if ((status === 429 || status === 502 || status === 503 || status === 504) && attempt < attempts) {
        const wait = answer.retryAfter !== undefined ? Math.min(answer.retryAfter * 1000, 10_000) : backoff.next();
        if (await pause(wait, signal)) continue;
      }
      throw new PharosApiError(code, `${what} answered ${status} (${code}): ${detail}`, status);
    }
  }

  return {
    call,
    async listAll<T>(path: string, query: Record<string, string> = {}) {
      const items: T[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10_000; page++) {
        const params = new URLSearchParams({ ...query, limit: String(pageLimit), ...(cursor ? { cursor } : {}) });
        const answer = await call<{ items: T[]; next_cursor?: string }>('GET', `${path}?${params}`);
        items.push(...(answer?.items ?? []));
        cursor = answer?.next_cursor;
        if (!cursor) break;
      }
      return items;
    },
    counts,
    close: () => pool.close(),
  };
}
