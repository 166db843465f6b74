import type { Db } from '../../db/database.ts';
import { PollingLoop } from '../../polling.loop.ts';
import type { Logger } from '../../observability/logger.ts';
import type { CursorStart, EventLogRepository } from './event-log.repository.ts';
import type { StoredEvent } from './event.types.ts';

/** Something that acts on the event log: the alert evaluator, the router, the incident correlator. */
export interface EventConsumer {
  /** Names the cursor rows; never rename a deployed consumer (it would start over). */
  name: string;
  /** Where the consumer starts in an organization it has no cursor for yet (default: oldest). */
  start?: CursorStart;
  /**
   * Applies a batch of one organization's events, in seq order, inside `trx`: the cursor moves past
   * the batch in the same transaction, so the effect and the progress commit together or not at all.
   * Throwing rolls both back; the batch is offered again at the next poll.
   */
  handle(trx: Db, orgId: string, events: readonly StoredEvent[]): Promise<void>;
  /** Called after a handled batch committed (e.g. to nudge the next stage, which can now see its effect). */
  afterCommit?(): void;
}

export interface ConsumerSettings {
  /** Longest wait between polls when nothing nudges (ms). */
  pollMs: number;
  /** Most events handled in one transaction. */
  batchSize: number;
}

export const defaultConsumerSettings: ConsumerSettings = { pollMs: 500, batchSize: 500 };

/**
 * Runs one consumer against the log on every replica. A batch is claimed by locking its
 * organization's cursor row (FOR UPDATE SKIP LOCKED), so replicas split organizations between them
 * and never handle the same batch; whichever replica commits first moves the cursor for all.
 * The loop polls; `nudge()` (called after an ingest commits) only shortens the wait.
 */
export class EventConsumerRunner {
  private readonly loop: PollingLoop;

  constructor(
    private readonly db: Db,
    private readonly log: EventLogRepository,
    private readonly consumer: EventConsumer,
    logger: Logger,
    private readonly settings: ConsumerSettings = defaultConsumerSettings,
  ) {
    // drain() empties the log before it returns, so a pass reports no work left.
    this.loop = new PollingLoop(consumer.name, async () => (await this.drain(), 0), logger, settings.pollMs, {
      fields: { consumer: consumer.name }, unavailable: 'event consumer paused: database unavailable', failed: 'event consumer batch failed; it is retried', recovered: 'event consumer recovered',
    });
  }

  get name(): string {
    return this.consumer.name;
  }

  start(): void {
    this.loop.start();
  }

  /** Stops polling and waits for the batch in hand to commit or roll back. */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Asks for a poll now: new events were committed. */
  nudge(): void {
    this.loop.nudge();
  }

  /**
   * Handles batches until no organization has events past its cursor (or the runner stops); returns
   * the events handled. A batch that fails is rolled back and its organization is left for the next
   * poll, so one organization's failing batch does not hold up the others; the first failure is
   * rethrown at the end.
   */
  async drain(): Promise<number> {
    await this.log.ensureCursors(this.db, this.consumer.name, this.consumer.start ?? 'oldest');
    let total = 0;
    const skip = new Set<string>();
    let firstError: unknown;
    for (;;) {
      const claimed: { orgId?: string } = {};
      try {
        const handled = await this.step(skip, claimed);
        if (handled === 0) break;
        total += handled;
      } catch (error) {
        if (claimed.orgId === undefined) throw error;
        skip.add(claimed.orgId);
        firstError ??= error;
      }
      if (this.loop.stopping) break;
    }
    if (firstError !== undefined) throw firstError;
    return total;
  }

  /** One batch in one transaction: claim a cursor, read past it, apply, advance. */
  private async step(skip: ReadonlySet<string>, claimed: { orgId?: string }): Promise<number> {
    const handled = await this.db.transaction().execute(async (trx) => {
      const cursor = await this.log.claimCursor(trx, this.consumer.name, [...skip]);
      if (!cursor) return 0;
      claimed.orgId = cursor.orgId;
      const events = await this.log.readAfter(trx, cursor.orgId, cursor.position, this.settings.batchSize);
      if (events.length === 0) return 0;
      await this.consumer.handle(trx, cursor.orgId, events);
      await this.log.advance(trx, this.consumer.name, cursor.orgId, events[events.length - 1]!.seq);
      return events.length;
    });
    if (handled > 0) this.consumer.afterCommit?.();
    return handled;
  }
}
