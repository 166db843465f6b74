import { createHash, randomBytes } from 'node:crypto';

// A small client of the Pharos REST API for the demo: bearer token, problem+json errors turned
// into readable messages, cursor pagination, and deterministic Idempotency-Keys on creates.

export class PharosApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

interface Problem {
  code?: string;
  detail?: string;
  title?: string;
}

const MAX_PAGES = 100;
const CREATE_ATTEMPTS = 3;

export class PharosClient {
  /** Part of every Idempotency-Key: a retry within this client's run replays, a later run (after objects were deleted, say) creates afresh. */
  private readonly run = randomBytes(6).toString('hex');

  constructor(
    readonly baseUrl: string,
    private readonly token: string,
    private readonly timeoutMs = 15_000,
  ) {}

  /** Resolves once GET /healthz answers, polling every 500 ms; throws after `timeoutMs`. */
  async waitUntilReachable(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (let attempt = 0; attempt < 10_000; attempt++) {
      try {
        const res = await fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(Math.max(500, Math.min(5000, deadline - Date.now()))) });
        await res.body?.cancel();
        if (res.ok) return;
        last = `GET /healthz answered ${res.status}`;
      } catch (error) {
        last = describeFetchError(error);
      }
      if (Date.now() + 500 > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new PharosApiError(`The Pharos API at ${this.baseUrl} is not reachable (${last}). Start it with \`npm start\` in another terminal, or set PHAROS_API_URL to where it runs.`);
  }

  /** Fails with a clear message when the token is missing, refused or not an org admin's. */
  async checkToken(): Promise<void> {
    if (!this.token) throw new PharosApiError('PHAROS_TOKEN is not set: export the org admin token printed by `npm start` (PHAROS_TOKEN=phs_…).');
    const res = await this.send('GET', '/v1/teams?limit=1');
    if (res.status === 401) throw new PharosApiError(`The Pharos API at ${this.baseUrl} refused PHAROS_TOKEN (401 ${res.problem?.detail ?? 'unauthorized'}). Use the org admin token printed by \`npm start\`.`, 401, 'unauthorized');
    if (res.status === 403) throw new PharosApiError(`PHAROS_TOKEN is valid but not an org admin's (403 ${res.problem?.detail ?? 'forbidden'}); the demo creates teams, which needs an org admin token.`, 403, 'forbidden');
    if (res.status >= 400) throw this.error('GET', '/v1/teams', res.status, res.problem);
  }

  async get<T>(path: string): Promise<T> {
    return this.expect<T>('GET', path);
  }

  /** Every item of a collection, following next_cursor (at most 100 pages). */
  async list<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const sep = path.includes('?') ? '&' : '?';
      const body = await this.get<{ items: T[]; next_cursor?: string }>(`${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      items.push(...body.items);
      if (!body.next_cursor) return items;
      cursor = body.next_cursor;
    }
    throw new PharosApiError(`GET ${path}: more than ${MAX_PAGES} pages.`);
  }

  /**
   * POST with an Idempotency-Key derived from the request; a create whose answer was lost (network
   * error, 5xx) is retried with the same key, so it never creates twice.
   */
  async create<T>(path: string, body: unknown): Promise<T> {
    const text = JSON.stringify(body);
    const key = `pharos-demo-${this.run}-${createHash('sha256').update(`POST ${path}\n${text}`).digest('hex').slice(0, 40)}`;
    let failure: unknown;
    for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
      try {
        return await this.expect<T>('POST', path, text, { 'idempotency-key': key });
      } catch (error) {
        const e = error as PharosApiError;
        if (!(e.status === undefined || e.status >= 500 || e.code === 'idempotency_key_in_flight')) throw error;
        failure = error;
        if (attempt < CREATE_ATTEMPTS) await new Promise((r) => setTimeout(r, 300 * attempt));
      }
    }
    throw failure;
  }

  /** DELETE; a resource already gone counts as deleted. */
  async remove(path: string): Promise<void> {
    const res = await this.send('DELETE', path);
    if (res.status >= 400 && res.status !== 404) throw this.error('DELETE', path, res.status, res.problem);
  }

  /** PUT; with `ifMatch`, only if the object is still at that version (412 otherwise). */
  async replace<T>(path: string, body: unknown, ifMatch?: number): Promise<T> {
    return this.expect<T>('PUT', path, JSON.stringify(body), ifMatch === undefined ? {} : { 'if-match': `"${ifMatch}"` });
  }

  private async expect<T>(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<T> {
    const res = await this.send(method, path, body, headers);
    if (res.status >= 400) throw this.error(method, path, res.status, res.problem);
    return res.body as T;
  }

  private error(method: string, path: string, status: number, problem: Problem | undefined): PharosApiError {
    const what = problem?.code ?? `HTTP ${status}`;
    return new PharosApiError(`${method} ${path} failed: ${status} ${what}${problem?.detail ? `: ${problem.detail}` : ''}`, status, problem?.code);
  }

  private async send(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown; problem?: Problem }> {
    let res: Response;
    try {
      res = await fetch(this.baseUrl + path, {
        method,
        headers: { authorization: `Bearer ${this.token}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new PharosApiError(`The Pharos API at ${this.baseUrl} is not reachable (${method} ${path}: ${describeFetchError(error)}). Is \`npm start\` running? Set PHAROS_API_URL if it runs elsewhere.`);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed, ...(res.status >= 400 && parsed && typeof parsed === 'object' ? { problem: parsed as Problem } : {}) };
  }
}

function describeFetchError(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return 'timed out';
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(error);
}
