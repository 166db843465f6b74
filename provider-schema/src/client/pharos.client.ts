import { randomUUID } from 'node:crypto';
import type { CtyType } from '../codec/cty-type.model.ts';
import type { Logger } from '../engine/logger.port.ts';
import { ApiError } from './api.error.ts';
import { problemToDiagnostics, type ApiProblem } from './api-problem.mapper.ts';
import type { ClientConfig } from './client-config.model.ts';
import { isRetryableError, isRetryableStatus, retryDelayMs, type RetryPolicy } from './retry.policy.ts';

export interface RequestOptions {
  /** Words for error summaries, e.g. "Creating pharos_team". */
  readonly operation?: string;
  /** Schema type of the body, so field errors map exactly to attribute paths. */
  readonly bodyType?: CtyType;
  /** Rewrites the API's JSON pointers into Terraform names where they differ (/assertions/0 → /assertion/0). */
  readonly translatePointer?: (pointer: string) => string;
  readonly signal?: AbortSignal;
}

export interface PharosClientDeps {
  readonly config: ClientConfig;
  /**
   * Node's built-in fetch (undici inside Node, keep-alive by default): every provider process
   * talks to one origin many times, and a bundled undici would add 0.5 MB to parse at start-up.
   */
  readonly fetch: typeof fetch;
  readonly retry: RetryPolicy;
  readonly log: Logger;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly userAgent?: string;
  /** Per-attempt limit, so a hung connection fails (and is retried) instead of stalling Terraform. */
  readonly attemptTimeoutMs?: number;
}

/**
 * The Pharos REST API as resource handlers need it: JSON in and out, bearer token, retries on
 * 429/502/503/504 and connection failures, and errors already turned into diagnostics.
 * Writes carry an Idempotency-Key that stays the same across retries, so a retried POST whose
 * first attempt did reach the server does not create a second object.
 */
export class PharosClient {
  constructor(private readonly deps: PharosClientDeps) {}

  /** GET; resolves null on 404 (the object is gone or not visible to this token). */
  async getOrNull<T = Record<string, unknown>>(path: string, opts: RequestOptions = {}): Promise<T | null> {
    const res = await this.send('GET', path, undefined, opts, [404]);
    return res.status === 404 ? null : (res.body as T);
  }

  /** GET that must succeed. */
  async get<T = Record<string, unknown>>(path: string, opts: RequestOptions = {}): Promise<T> {
    return (await this.send('GET', path, undefined, opts)).body as T;
  }

  /** POST a JSON body. */
  async post<T = Record<string, unknown>>(path: string, body: unknown, opts: RequestOptions = {}): Promise<T> {
    return (await this.send('POST', path, body, opts)).body as T;
  }

  /** PATCH a JSON body (only the fields to change). */
  async patch<T = Record<string, unknown>>(path: string, body: unknown, opts: RequestOptions = {}): Promise<T> {
    return (await this.send('PATCH', path, body, opts)).body as T;
  }

  /** PUT a JSON body (the whole document, e.g. a singleton's settings). */
  async put<T = Record<string, unknown>>(path: string, body: unknown, opts: RequestOptions = {}): Promise<T> {
    return (await this.send('PUT', path, body, opts)).body as T;
  }

  /** DELETE; a 404 counts as success because the goal (object absent) is reached. */
  async delete(path: string, opts: RequestOptions = {}): Promise<void> {
    await this.send('DELETE', path, undefined, opts, [404]);
  }

  private async send(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body: unknown, opts: RequestOptions, okStatuses: number[] = []) {
    const { config, retry, log } = this.deps;
    const sleep = this.deps.sleep ?? defaultSleep;
    const url = `${config.endpoint}${path}`;
    const operation = opts.operation ?? `${method} ${path}`;
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json', 'user-agent': this.deps.userAgent ?? 'terraform-provider-pharos' };
    if (config.token) headers['authorization'] = `Bearer ${config.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && method !== 'DELETE') headers['idempotency-key'] = randomUUID();
    // Every write names Terraform as its manager: what the provider creates is managed by terraform, and
    // an object it writes (after `terraform import`) is claimed, so the discovery agent leaves it alone.
    if (method !== 'GET') headers['pharos-managed-by'] = 'terraform';
    const payload = body === undefined ? undefined : JSON.stringify(body);

    for (let attempt = 1; ; attempt++) {
      let status: number;
      let text: string;
      let retryAfter: string | undefined;
      try {
        const timeout = AbortSignal.timeout(this.deps.attemptTimeoutMs ?? 30_000);
        const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
        const res = await this.deps.fetch(url, { method, headers, body: payload, signal });
        status = res.status;
        text = await res.text();
        retryAfter = res.headers.get('retry-after') ?? undefined;
      } catch (err) {
        if (isRetryableError(err) && attempt < retry.maxAttempts && !opts.signal?.aborted) {
          const delay = retryDelayMs(retry, attempt, undefined);
          log.warn(`${method} ${url}: ${describe(err)}; retry ${attempt}/${retry.maxAttempts - 1} in ${delay} ms`);
          await sleep(delay, opts.signal);
          continue;
        }
        throw new ApiError('unreachable', undefined, [
          {
            severity: 'error',
            summary: 'Cannot reach the Pharos API',
            detail: `${operation}: ${method} ${url} failed after ${attempt} attempt(s): ${describe(err)}. Check that the control plane is running and that endpoint (or PHAROS_API_URL) points at it.`,
          },
        ]);
      }
      if (isRetryableStatus(status) && attempt < retry.maxAttempts) {
        const delay = retryDelayMs(retry, attempt, retryAfter);
        log.warn(`${method} ${url}: HTTP ${status}; retry ${attempt}/${retry.maxAttempts - 1} in ${delay} ms`);
        await sleep(delay, opts.signal);
        continue;
      }
      const parsed = parseJson(text);
      if ((status >= 200 && status < 300) || okStatuses.includes(status)) return { status, body: parsed };
      const problem = parsed && typeof parsed === 'object' ? (parsed as ApiProblem) : undefined;
      throw new ApiError(problem?.code ?? (status === 401 ? 'unauthorized' : `http_${status}`), status, problemToDiagnostics(operation, status, problem, opts.bodyType, opts.translatePointer));
    }
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { detail: text.slice(0, 500) };
  }
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  return [e.code ?? e.cause?.code, e.message ?? e.cause?.message].filter(Boolean).join(' ') || String(err);
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
