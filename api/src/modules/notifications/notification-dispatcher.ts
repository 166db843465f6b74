import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import type { ChannelType } from '../../contract/alerting.schema.ts';
import { PharosError } from '../../contract/errors.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { Db } from '../../db/database.ts';
import type { Logger } from '../../observability/logger.ts';
import { newId } from '../../shared/ids.ts';
import { SpecRepository } from '../resources/spec.repository.ts';
import { retryDelayMs, type RetryPolicy } from './retry.policy.ts';
import type { NotificationRepository, NotificationRow } from './notification.repository.ts';
import { channelSendConfig } from './senders/channel-config.ts';
import { sendThrough, type SenderRegistry } from './senders/sender.registry.ts';
import type { NotificationMessage, SendOutcome } from './senders/sender.types.ts';

export interface DispatcherSettings {
  retry: RetryPolicy;
  /** How long a claim holds a row: a process that dies after claiming gives it up after this (never before one attempt's deadline is over). */
  claimMs: number;
  /** Most notifications a replica sends at once. */
  batchSize: number;
  /** One delivery attempt, whole. */
  sendTimeoutMs: number;
  dispatcher?: Dispatcher;
  smtpCa?: string | string[];
}

/** Counts the dispatcher reports (for /metrics). */
export interface DispatchObserver {
  attempt(channelType: string, outcome: 'delivered' | 'retry' | 'dead', seconds: number): void;
}

/** What a claim holds beyond one attempt's deadline (reading the channel, recording the attempt). */
export const claimMarginMs = 5_000;

/**
 * Delivers the outbox (docs/alerting.md, "Delivery guarantees"). Runs on every replica: a pass
 * claims due rows (FOR UPDATE SKIP LOCKED, so replicas never share one), sends each through its
 * channel's sender with the channel's secrets read at send time, and records the attempt: delivered;
 * pending again after a backoff (429, 5xx, timeouts, honouring Retry-After); or dead (a permanent
 * error, or no try left). The message, its id (webhook-id) and its dedup_key never change across
 * tries, so a retry after a lost answer is the same notification, not a second page.
 */
export class NotificationDispatcher {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly channels: SpecRepository;

  constructor(
    private readonly db: Db,
    private readonly repo: NotificationRepository,
    private readonly senders: SenderRegistry,
    secrets: SecretBox,
    private readonly settings: DispatcherSettings,
    private readonly logger: Logger,
    private readonly observer: DispatchObserver = { attempt: () => {} },
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {
    this.channels = new SpecRepository('channels', secrets);
  }

  /**
   * One pass: claims what is due, up to the room left among the sends in flight, and starts sending
   * it; returns how many it claimed. It does not wait for the sends, so a vendor that never answers
   * holds one slot until the deadline, not every other page (a full replica waits for a free slot).
   * A claim outlasts the attempt's deadline, so no replica takes a row while it is being sent.
   */
  async pass(): Promise<number> {
    while (this.inFlight.size >= this.settings.batchSize) await Promise.race(this.inFlight);
    const token = randomUUID();
    const now = this.now();
    const holdMs = Math.max(this.settings.claimMs, this.settings.sendTimeoutMs + claimMarginMs);
    const claimed = await this.repo.claimDue(this.db, new Date(now), this.settings.batchSize - this.inFlight.size, new Date(now + holdMs), token);
    for (const row of claimed) {
      const sending: Promise<void> = this.deliver(row, token)
        .catch((error: unknown) => this.logger.error({ err: error, notification_id: row.id }, 'delivering a notification failed; it is retried when its claim expires'))
        .finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
    return claimed.length;
  }

  /** Waits for the sends in flight (when stopping: their attempts are recorded before the database closes). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private async deliver(row: NotificationRow, token: string): Promise<void> {
    const started = this.now();
    const outcome = await this.send(row).catch((error: unknown): SendOutcome => ({ ok: false, retryable: true, error: `Could not read the channel (${error instanceof Error ? error.name : 'error'}); retried.` }));
    const finished = this.now();
    const durationMs = finished - started;
    const attempt = { id: newId('notification_attempt'), org_id: row.org_id, at: new Date(started), duration_ms: durationMs, ok: outcome.ok, status: outcome.status ?? null, error: outcome.ok ? null : outcome.error, detail: outcome.ok ? outcome.detail : null };
    let next: Parameters<NotificationRepository['finishAttempt']>[4];
    let result: 'delivered' | 'retry' | 'dead';
    if (outcome.ok) {
      next = { state: 'delivered', last_status: outcome.status, last_error: null, delivered_at: new Date(finished) };
      result = 'delivered';
    } else {
      const delay = outcome.retryable ? retryDelayMs(this.settings.retry, row.attempts, outcome.retryAfterMs, this.random()) : null;
      next = delay === null
        ? { state: 'dead', last_status: outcome.status ?? null, last_error: outcome.retryable ? `${outcome.error} (gave up after ${row.attempts} tries)` : outcome.error }
        : { state: 'pending', next_attempt_at: new Date(finished + delay), last_status: outcome.status ?? null, last_error: outcome.error };
      result = delay === null ? 'dead' : 'retry';
    }
    try {
      const held = await this.repo.finishAttempt(this.db, row.id, token, attempt, next);
      if (!held) this.logger.warn({ notification_id: row.id }, 'a notification was sent after its claim expired; another replica may send it again under the same idempotency key');
    } catch (error) {
      // The claim expires and the row is sent again (same webhook-id / dedup_key): never lost.
      this.logger.warn({ err: error, notification_id: row.id }, 'recording a notification attempt failed; it is retried when its claim expires');
    }
    this.observer.attempt(row.channel_type, result, durationMs / 1000);
    if (result === 'dead') this.logger.warn({ notification_id: row.id, channel_id: row.channel_id, channel_type: row.channel_type, attempts: row.attempts, error: attempt.error }, 'notification is dead: it will not be retried');
  }

  private async send(row: NotificationRow): Promise<SendOutcome> {
    const channel = await this.channels.get(this.db, row.org_id, row.channel_id);
    if (!channel) return { ok: false, retryable: false, error: `Channel ${row.channel_id} no longer exists.` };
    let config: ReturnType<typeof channelSendConfig>;
    try {
      config = channelSendConfig(channel);
    } catch (error) {
      // A wrong or missing key is the operator's to fix (docs/security.md): retried with backoff, so a restart with the right key still delivers.
      if (error instanceof PharosError && error.code === 'secret_undecryptable') return { ok: false, retryable: true, error: `secret_undecryptable: ${error.message}` };
      throw error;
    }
    if (!config) return { ok: false, retryable: false, error: `Channel ${row.channel_id} has no known type.` };
    const message = row.message as unknown as NotificationMessage;
    return sendThrough(this.senders, config.type as ChannelType, config.config, message, {
      timeoutMs: this.settings.sendTimeoutMs, now: this.now,
      ...(this.settings.dispatcher ? { dispatcher: this.settings.dispatcher } : {}),
      ...(this.settings.smtpCa ? { smtpCa: this.settings.smtpCa } : {}),
    });
  }
}
