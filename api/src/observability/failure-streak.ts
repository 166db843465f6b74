import { isDatabaseUnavailable } from '../db/db-errors.ts';
import type { Logger } from './logger.ts';

// While something keeps failing (the database is down for a minute, say), its failure is logged once
// at the start and then at most this often, and its recovery is logged once.
const REPEAT_LOG_MS = 60_000;

/** What a failure streak logs: the fields naming what failed and the three messages. */
export interface FailureStreakLog {
  fields: Record<string, unknown>;
  unavailable: string;
  failed: string;
  recovered: string;
}

/** Logs a run of failures of one repeating piece of work without flooding the log. */
export class FailureStreak {
  private since = 0;
  private loggedAt = 0;
  private failures = 0;

  constructor(
    private readonly logger: Logger,
    private readonly log: FailureStreakLog,
  ) {}

  /** One more failure: logged at the first one and then at most once a minute. */
  failed(error: unknown): void {
    const now = Date.now();
    if (!this.since) this.since = now;
    this.failures++;
    if (now - this.loggedAt < REPEAT_LOG_MS) return;
    this.loggedAt = now;
    const fields = { err: error, ...this.log.fields, failures: this.failures, failing_for_ms: now - this.since };
    // A database outage is expected to pass and is reported everywhere else too: a warning, not an error.
    if (isDatabaseUnavailable(error)) this.logger.warn(fields, this.log.unavailable);
    else this.logger.error(fields, this.log.failed);
  }

  /** A success: ends the streak, logging the recovery if there was one. */
  succeeded(): void {
    if (!this.since) return;
    this.logger.info({ ...this.log.fields, failures: this.failures, failing_for_ms: Date.now() - this.since }, this.log.recovered);
    this.since = 0;
    this.loggedAt = 0;
    this.failures = 0;
  }
}
