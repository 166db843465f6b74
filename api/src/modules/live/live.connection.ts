import { coalesce, sseMessage, type LiveItem } from './live-event.rules.ts';
import type { LiveScope } from './live-scope.rules.ts';

/** Most changes one stream holds between flushes before it gives up and tells the page to reload. */
const MAX_PENDING = 10_000;

/**
 * One open stream: what it has been given (`after`, the seq through which it saw every change it
 * may see) and the changes waiting for the next flush. Changes arriving within the flush window
 * are coalesced (the latest per subject) into one `batch` message whose id is `after`, so a
 * reconnect with that Last-Event-ID resumes exactly behind it.
 */
export class LiveConnection {
  private pending: LiveItem[] = [];
  private timer: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(
    readonly orgId: string,
    readonly scope: LiveScope,
    public after: number,
    private readonly write: (chunk: string) => boolean,
    private readonly flushMs: number,
    /** Ends the response (a slow reader, or a reset that could not be held). */
    private readonly end: () => void,
  ) {}

  get closed(): boolean {
    return this.ended;
  }

  /** Takes what a read of the log found for this stream, up to `through` (the last seq read). */
  deliver(items: readonly LiveItem[], through: number): void {
    if (this.ended || through <= this.after) return;
    this.after = through;
    if (items.length === 0) return;
    this.pending.push(...items);
    if (this.pending.length > MAX_PENDING) this.pending = coalesce(this.pending);
    if (this.pending.length > MAX_PENDING) return this.reset(through);
    this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  /** Tells the page it missed too much to be told, and carries on from `seq`. */
  reset(seq: number): void {
    this.clearPending();
    this.after = seq;
    this.send(sseMessage({ event: 'batch', id: seq, data: JSON.stringify({ events: [{ type: 'reset' }] }) }));
  }

  /** Sends the coalesced pending changes as one batch. */
  flush(): void {
    const items = coalesce(this.pending);
    this.clearPending();
    if (items.length === 0 || this.ended) return;
    this.send(sseMessage({ event: 'batch', id: this.after, data: JSON.stringify({ events: items.map((i) => i.event) }) }));
  }

  /** A comment line: keeps proxies and the client from timing the stream out. */
  keepalive(): void {
    this.send(': keepalive\n\n');
  }

  send(chunk: string): void {
    if (this.ended) return;
    // A reader that does not take what it is sent is cut off; it reconnects and resumes from its last id.
    if (!this.write(chunk)) this.close();
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.clearPending();
    this.end();
  }

  private clearPending(): void {
    this.pending = [];
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
