/** A problem+json answer of the API (RFC 9457) with its stable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: Array<{ pointer?: string; message: string }> = [],
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

/**
 * The console's only way to the server: the public REST API with the signed-in principal's bearer
 * token (or none, when an auth proxy in front adds the identity itself). A 401 signs out.
 */
export class ApiClient {
  constructor(
    private readonly token: () => string | undefined,
    /**
     * Called with the API's message (expired, revoked, unknown credential) when a request answers 401,
     * and the token that request carried (undefined: none), so that the answer to a request sent
     * before a sign-out or a new sign-in does not end the session that came after it.
     */
    private readonly unauthorized: (message: string, sentToken: string | undefined) => void,
  ) {}

  /** The Authorization header for a request (also used by the live-update stream). */
  headers(): Record<string, string> {
    const token = this.token();
    return token ? { authorization: `Bearer ${token}` } : {};
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', withQuery(path, query));
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }

  /** Every page of a cursor-paginated list (bounded: at most `maxPages` pages). */
  async all<T>(path: string, query: Query = {}, maxPages = 20): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const body = await this.get<{ items: T[]; next_cursor?: string | null }>(path, { limit: 200, ...query, cursor });
      items.push(...body.items);
      if (!body.next_cursor) break;
      cursor = body.next_cursor;
    }
    return items;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const sentToken = this.token();
    const headers: Record<string, string> = { accept: 'application/json', ...(sentToken ? { authorization: `Bearer ${sentToken}` } : {}) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
    const text = await response.text();
    const parsed = text ? safeJson(text) : undefined;
    if (response.status === 401) {
      const message = problemMessage(parsed) ?? 'Your sign-in has expired; sign in again.';
      this.unauthorized(message, sentToken);
      throw new ApiError(401, 'unauthorized', message);
    }
    if (!response.ok) {
      const problem = (parsed ?? {}) as { code?: string; detail?: string; title?: string; errors?: Array<{ pointer?: string; message: string }> };
      throw new ApiError(response.status, problem.code ?? 'error', problemMessage(parsed) ?? `${method} ${path} answered ${response.status}.`, problem.errors ?? []);
    }
    return parsed as T;
  }
}

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function problemMessage(body: unknown): string | undefined {
  const problem = body as { detail?: string; title?: string } | undefined;
  return problem?.detail ?? problem?.title;
}
