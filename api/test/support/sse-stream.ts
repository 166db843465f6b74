import { SseParser, type SseMessage } from '../../src/web/console/sse.parser.ts';

/** An open GET /v1/stream as a test reads it: every message, parsed as it arrives. */
export interface TestStream {
  status: number;
  headers: Headers;
  messages: SseMessage[];
  /** Comment lines seen (keepalives and the greeting). */
  raw: () => string;
  /** Resolves with the first message (after `from`) the predicate accepts, or rejects after timeoutMs. */
  next(predicate?: (m: SseMessage) => boolean, timeoutMs?: number, from?: number): Promise<SseMessage>;
  /** Resolves when the server ended the stream. */
  ended: Promise<void>;
  close(): Promise<void>;
}

/** The events of a batch message. */
export const eventsOf = (m: Pick<SseMessage, 'data'>): Array<Record<string, unknown>> => (JSON.parse(m.data) as { events: Array<Record<string, unknown>> }).events;

/** Opens the stream with a token (and extra headers, e.g. Last-Event-ID); a refusal is returned with its problem body. */
export async function openStream(url: string, token: string | null, headers: Record<string, string> = {}): Promise<TestStream & { problem?: any }> {
  const controller = new AbortController();
  const res = await fetch(`${url}/v1/stream`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers }, signal: controller.signal });
  const messages: SseMessage[] = [];
  let text = '';
  const waiters = new Set<() => void>();
  if (!res.ok || !res.body) {
    const problem = await res.json().catch(() => undefined);
    return { status: res.status, headers: res.headers, messages, raw: () => text, problem, next: () => Promise.reject(new Error('not open')), ended: Promise.resolve(), close: async () => {} };
  }
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const reader = res.body.getReader();
  const ended = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const chunk = decoder.decode(value, { stream: true });
        text += chunk;
        messages.push(...parser.feed(chunk));
        for (const wake of [...waiters]) wake();
      }
    } catch {
      // aborted by close()
    }
    for (const wake of [...waiters]) wake();
  })();
  let finished = false;
  void ended.then(() => (finished = true));
  return {
    status: res.status,
    headers: res.headers,
    messages,
    raw: () => text,
    ended,
    next(predicate = () => true, timeoutMs = 3_000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.slice(from).find(predicate);
          if (found) return done(() => resolve(found));
          if (finished) return done(() => reject(new Error(`stream ended; got ${JSON.stringify(messages)}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`))), timeoutMs);
        const done = (f: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          f();
        };
        waiters.add(check);
        check();
      });
    },
    async close() {
      controller.abort();
      await ended;
    },
  };
}
