import type { LiveEvent } from '../../contract/live.schema.ts';
import { SseParser } from './sse.parser.ts';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

/** One subscriber of the tab's stream. */
export interface LiveSubscriber {
  batch(events: LiveEvent[]): void;
  status(status: LiveStatus): void;
}

/** What the channel needs from the console: the request headers of the signed-in principal, and what to do on a 401. */
export interface LiveChannelDeps {
  headers(): Record<string, string>;
  /** The stream was refused as unauthenticated (the credential expired or was revoked). */
  unauthorized(): void;
  fetch?: typeof fetch;
  random?: () => number;
  url?: string;
}

/** Wait before reconnect attempt `attempt` (0-based): 1 s doubling to 30 s, drawn in [50 %, 100 %] of that so tabs do not reconnect in step. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 10));
  return Math.round(ceiling * (0.5 + 0.5 * random()));
}

/** A stream that lived this long ended normally (the server's lifetime limit): reconnect at once. */
const HEALTHY_MS = 5_000;

/**
 * The tab's one connection to GET /v1/stream, shared by every subscriber: opened by the first,
 * closed when the last leaves. It reads the stream with fetch (EventSource cannot send the
 * Authorization header, and a token never goes in a URL), resumes with Last-Event-ID after a
 * drop, and retries with jittered backoff while the server cannot be reached.
 */
export class LiveChannel {
  private readonly subscribers = new Set<LiveSubscriber>();
  private current: LiveStatus = 'connecting';
  private controller: AbortController | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastEventId = '';
  private failures = 0;

  constructor(private readonly deps: LiveChannelDeps) {}

  get status(): LiveStatus {
    return this.current;
  }

  /** Adds a subscriber (opening the connection for the first); returns its unsubscribe. */
  subscribe(subscriber: LiveSubscriber): () => void {
    this.subscribers.add(subscriber);
    subscriber.status(this.current);
    if (this.subscribers.size === 1) this.open();
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0) this.close();
    };
  }

  private open(): void {
    this.setStatus(this.lastEventId ? 'reconnecting' : 'connecting');
    void this.connect();
  }

  private close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.controller?.abort();
    this.controller = undefined;
  }

  private async connect(): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    const started = Date.now();
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream', ...this.deps.headers() };
      if (this.lastEventId) headers['last-event-id'] = this.lastEventId;
      const response = await (this.deps.fetch ?? fetch)(this.deps.url ?? '/v1/stream', { headers, signal: controller.signal, credentials: 'same-origin', cache: 'no-store' });
      if (response.status === 401) {
        await response.body?.cancel();
        // Signing out unsubscribes everyone, which cancels this retry; a 401 that was not the
        // credential's (the sign-out check found it valid) is retried like any failure.
        this.deps.unauthorized();
        this.setStatus('reconnecting');
        this.retry(backoffMs(this.failures++, this.deps.random));
        return;
      }
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        throw new Error(`GET /v1/stream answered ${response.status}`);
      }
      this.failures = 0;
      this.setStatus('live');
      const parser = new SseParser();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const message of parser.feed(value)) {
          if (message.event !== 'batch') continue;
          const events = (JSON.parse(message.data) as { events: LiveEvent[] }).events;
          this.lastEventId = message.id;
          for (const s of [...this.subscribers]) s.batch(events);
        }
      }
      if (controller.signal.aborted) return;
      // The server ended the stream. After a long life that is its lifetime limit: reconnect at once.
      this.retry(Date.now() - started >= HEALTHY_MS ? 0 : backoffMs(this.failures++, this.deps.random));
    } catch {
      if (controller.signal.aborted) return;
      this.setStatus('reconnecting');
      this.retry(backoffMs(this.failures++, this.deps.random));
    }
  }

  private retry(ms: number): void {
    if (this.subscribers.size === 0) return;
    this.controller = undefined;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.connect();
    }, ms);
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.current) return;
    this.current = status;
    for (const s of [...this.subscribers]) s.status(status);
  }
}
