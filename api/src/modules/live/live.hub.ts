import { PharosError } from '../../contract/errors.ts';
import type { Principal } from '../../auth/principal.ts';
import type { BackgroundLoop } from '../../background.ts';
import type { Db } from '../../db/database.ts';
import type { Logger } from '../../observability/logger.ts';
import { PollingLoop } from '../../polling.loop.ts';
import type { StreamBody } from '../../http/route.ts';
import { toLiveItem, type LiveItem } from './live-event.rules.ts';
import { maySee, scopeOf } from './live-scope.rules.ts';
import { LiveConnection } from './live.connection.ts';
import { LiveOwnersCache } from './live-owners.cache.ts';
import type { LiveRepository } from './live.repository.ts';

export interface LiveSettings {
  /** Longest wait between reads of the log when nothing nudges (ms): what another replica's changes wait at most. */
  pollMs: number;
  /** Changes within this window are coalesced into one message (ms). */
  flushMs: number;
  keepaliveMs: number;
  /** What the client waits before reconnecting (the SSE retry field, ms). */
  retryMs: number;
  maxPerPrincipal: number;
  /** Open streams of this process, all principals together. */
  maxStreams: number;
  /** Most missed changes a reconnect is sent; past that it gets a reset. */
  maxReplay: number;
  /** A stream ends after this long (ms) and the client reconnects, authenticating again (a revoked token's stream does not live on). */
  maxLifetimeMs: number;
}

export const defaultLiveSettings: LiveSettings = { pollMs: 500, flushMs: 250, keepaliveMs: 15_000, retryMs: 3_000, maxPerPrincipal: 20, maxStreams: 1_000, maxReplay: 1_000, maxLifetimeMs: 15 * 60_000 };

/** Where a stream starts reading, whether it is told to reset first, and whether the log has events for it already. */
interface Start {
  after: number;
  reset: boolean;
  behind: boolean;
}

/** Most events one read of an organization's log takes; a read that fills it is followed by another at once. */
const READ_LIMIT = 1_000;

/**
 * The live stream of one process: a single tailer reads the event log of the organizations that
 * have open streams (every pollMs, or at once when nudged after this process committed events) and
 * fans each change out to the streams allowed to see it. The log is the source of truth, so streams
 * on any replica see every replica's changes; a stream that reconnects resumes from the log.
 */
export class LiveHub implements BackgroundLoop {
  private readonly byOrg = new Map<string, Set<LiveConnection>>();
  private readonly perPrincipal = new Map<string, number>();
  private open = 0;
  private readonly loop: PollingLoop;
  private readonly owners: LiveOwnersCache;
  private keepalive: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly repo: LiveRepository,
    logger: Logger,
    private readonly settings: LiveSettings = defaultLiveSettings,
  ) {
    this.owners = new LiveOwnersCache(db, repo);
    this.loop = new PollingLoop('live-tailer', () => this.pass(), logger, settings.pollMs);
  }

  start(): void {
    this.loop.start();
    this.keepalive ??= setInterval(() => this.each((c) => c.keepalive()), this.settings.keepaliveMs).unref();
  }

  /** Stops tailing and ends every open stream (clients reconnect to another replica or after the restart). */
  async stop(): Promise<void> {
    clearInterval(this.keepalive);
    this.keepalive = undefined;
    await this.loop.stop();
    this.each((c) => c.close());
  }

  /** New events were committed by this process: read now. */
  nudge(): void {
    this.loop.nudge();
  }

  /** Open streams and the organizations being tailed (for tests and metrics). */
  stats(): { streams: number; tailed: string[] } {
    return { streams: this.open, tailed: [...this.byOrg.keys()] };
  }

  /**
   * Admits a stream for the principal (429 over the limits), resuming after `lastEventId` when
   * given; returns the body that runs it. The slot is held from here until the body returns.
   */
  async admit(p: Principal, lastEventId: string | undefined): Promise<StreamBody> {
    const who = `${p.kind}:${p.id}`;
    if (lastEventId !== undefined && !/^\d{1,15}$/.test(lastEventId.trim())) {
      throw new PharosError('bad_request', `Last-Event-ID must be the id of a message this stream sent (a number); got "${lastEventId.slice(0, 40)}". Reconnect without it to start from now.`);
    }
    if (this.open >= this.settings.maxStreams) {
      throw new PharosError('rate_limited', `This server has ${this.open} live streams open, its limit; try again later (the console retries by itself).`);
    }
    const mine = this.perPrincipal.get(who) ?? 0;
    if (mine >= this.settings.maxPerPrincipal) {
      throw new PharosError('rate_limited', `"${p.name}" already has ${mine} live streams open, the most one principal may; close other console tabs or scripts using GET /v1/stream.`);
    }
    this.open++;
    this.perPrincipal.set(who, mine + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.open--;
      const left = (this.perPrincipal.get(who) ?? 1) - 1;
      if (left > 0) this.perPrincipal.set(who, left);
      else this.perPrincipal.delete(who);
    };
    try {
      const start = await this.startingPoint(p.orgId, lastEventId === undefined ? undefined : Number(lastEventId));
      return (write, signal) => this.run(p, start, write, signal).finally(release);
    } catch (error) {
      release();
      throw error;
    }
  }

  /** Where a stream starts: now, or behind the id it last got (a reset when that cannot be replayed). */
  private async startingPoint(orgId: string, last: number | undefined): Promise<Start> {
    const latest = await this.repo.latestSeq(this.db, orgId);
    if (last === undefined || last === latest) return { after: latest, reset: false, behind: false };
    if (last > latest) return { after: latest, reset: true, behind: false };
    const { kept, missed } = await this.repo.resumeFrom(this.db, orgId, last, this.settings.maxReplay + 1);
    if (missed > this.settings.maxReplay || (!kept && last > 0)) return { after: latest, reset: true, behind: false };
    return { after: last, reset: false, behind: missed > 0 };
  }

  private async run(p: Principal, start: Start, write: (chunk: string) => boolean, signal: AbortSignal): Promise<void> {
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const conn = new LiveConnection(p.orgId, scopeOf(p), start.after, write, this.settings.flushMs, finish);
    const onAbort = () => conn.close();
    signal.addEventListener('abort', onAbort, { once: true });
    // Ends at the credential's expiry (the reconnect is refused) or after the longest lifetime.
    const left = Math.min(this.settings.maxLifetimeMs, p.expiresAt ? p.expiresAt.getTime() - Date.now() : Infinity);
    const lifetime = setTimeout(() => conn.close(), Math.max(0, left));
    try {
      conn.send(`retry: ${this.settings.retryMs}\n\n`);
      conn.send(': connected\n\n');
      if (start.reset) conn.reset(start.after);
      if (signal.aborted) conn.close();
      if (conn.closed) return;
      const set = this.byOrg.get(p.orgId) ?? this.byOrg.set(p.orgId, new Set()).get(p.orgId)!;
      set.add(conn);
      // A resumed stream has events to catch up on: read now rather than at the next poll.
      if (start.behind) this.nudge();
      await done;
    } finally {
      clearTimeout(lifetime);
      signal.removeEventListener('abort', onAbort);
      conn.close();
      const set = this.byOrg.get(p.orgId);
      set?.delete(conn);
      if (set?.size === 0) this.byOrg.delete(p.orgId);
    }
  }

  /** One read of the log per organization with open streams; returns non-zero while more is waiting. */
  private async pass(): Promise<number> {
    let more = 0;
    for (const [orgId, set] of [...this.byOrg]) {
      // The streams of this read: one added meanwhile may start further back, and waits for the next.
      const conns = [...set];
      if (conns.length === 0) continue;
      const from = Math.min(...conns.map((c) => c.after));
      const events = await this.repo.readAfter(this.db, orgId, from, READ_LIMIT);
      if (events.length === 0) continue;
      if (events.length === READ_LIMIT) more++;
      const items = events.map(toLiveItem).filter((i): i is LiveItem => i !== undefined);
      if (conns.some((c) => !c.scope.orgAdmin)) await this.owners.load(orgId, items.map((i) => i.subject));
      const owners = this.owners.ownersIn(orgId);
      const through = events[events.length - 1]!.seq;
      for (const c of conns) {
        if (c.closed) continue;
        c.deliver(items.filter((i) => i.seq > c.after && maySee(c.scope, i.subject, owners)), through);
      }
    }
    return more;
  }

  private each(f: (c: LiveConnection) => void): void {
    for (const set of [...this.byOrg.values()]) for (const c of [...set]) f(c);
  }
}

