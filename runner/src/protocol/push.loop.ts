import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { CheckResult } from '../../../api/src/contract/index.ts';
import type { QueuedResult, ResultQueue } from '../results/result.queue.ts';
import { Backoff, pause } from './backoff.policy.ts';
import type { ProtocolClient } from './protocol.client.ts';
import { ProtocolError, isFatal } from './protocol.errors.ts';
import { requestSignal, type RequestSignal } from './request.signal.ts';
import { describeError, retryAfterMs, type RunnerSession } from './runner.session.ts';

export interface PushLoopOptions {
  client: ProtocolClient;
  session: RunnerSession;
  buffer: ResultQueue;
  logger: Logger;
  onPushError: () => void;
  onPushed?: (accepted: number, rejected: number) => void;
  backoff?: Backoff;
  /**
   * How long a result whose status repeats its monitor's previous one may wait to share a batch
   * (PHAROS_RUNNER_PUSH_INTERVAL_MS); 0 sends every result at once. Status changes, failures, a
   * monitor's first result and confirmation runs never wait.
   */
  flushIntervalMs?: number;
}

/** Default of PushLoopOptions.flushIntervalMs. */
export const defaultPushIntervalMs = 300;

/** The contract's largest batch. */
const contractMaxBatch = 1000;
const neverAborted = new AbortController().signal;

type Attempt = 'sent' | 'retry_now' | 'retry_later' | 'aborted';

/**
 * Sends buffered results to the control plane, one batch in flight at a time. A result that
 * changes what the control plane knows or may act on (its monitor's status differs from that
 * monitor's previous result, any down result — consecutive failures count towards
 * failure_threshold —, the first result of a monitor, a confirmation run) is sent at once, with
 * whatever else is buffered: detection latency is the point. Results that only repeat an up or
 * degraded status wait up to flushIntervalMs so that they go out together: one push per interval (or per full batch)
 * instead of one per check. A result leaves the buffer only when the API answered for it
 * (accepted or rejected); failures keep it for a retry.
 */
export class PushLoop {
  #wake: (() => void) | undefined;
  /** Something buffered must go out now. */
  #urgent = false;
  /** When the oldest waiting repeat result is due (performance.now() ms); undefined: none waits. */
  #dueAt: number | undefined;
  /** Each monitor's last status seen by notify(), to tell a change from a repeat. */
  readonly #lastStatus = new Map<string, CheckResult['status']>();
  readonly #intervalMs: number;
  #batchLimit = contractMaxBatch;
  #failingSince: number | undefined;
  #lastError: unknown;
  #backoffPause: RequestSignal | undefined;
  /** Runner ids the API no longer knows: their results are sent under the current registration. */
  readonly #forgotten = new Set<string>();
  readonly #backoff: Backoff;

  constructor(private readonly options: PushLoopOptions) {
    this.#backoff = options.backoff ?? new Backoff();
    this.#intervalMs = Math.max(0, options.flushIntervalMs ?? defaultPushIntervalMs);
  }

  /**
   * Call after every buffer.push, with the result pushed: wakes the loop when that result must go
   * out now (or the batch is full), else makes sure it goes out within the flush interval. Without
   * a result, whatever is buffered is sent at once. Cheap; never throws.
   */
  notify(result?: CheckResult): void {
    if (result === undefined || this.#intervalMs === 0 || this.#changes(result)) this.#urgent = true;
    else if (this.#dueAt === undefined) this.#dueAt = performance.now() + this.#intervalMs;
    else if (this.options.buffer.depth < this.#limit()) return; // already waiting for the interval
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /**
   * Forgets a monitor this runner no longer runs (the engine's onMonitorRemoved), so the memory of
   * last statuses follows the assignment set instead of growing with every monitor ever seen. If
   * the monitor comes back, its first result goes out at once, as a first result does.
   */
  forget(monitorId: string): void {
    this.#lastStatus.delete(monitorId);
  }

  /** Monitors whose last status is remembered (for tests and introspection). */
  get remembered(): number {
    return this.#lastStatus.size;
  }

  /** True when the control plane should hear this result without delay; remembers its status. */
  #changes(result: CheckResult): boolean {
    const previous = this.#lastStatus.get(result.monitor_id);
    if (previous !== result.status) this.#lastStatus.set(result.monitor_id, result.status);
    return previous !== result.status || result.status === 'down' || result.confirmation === true;
  }

  /** Results due now: something urgent, a full batch, or a repeat result that waited its interval. */
  #due(): boolean {
    if (this.#urgent || this.options.buffer.depth >= this.#limit()) return true;
    // Results nobody announced (read back from the spool, or left after a retry) go at once.
    if (this.#dueAt === undefined) return true;
    return performance.now() >= this.#dueAt;
  }

  #limit(): number {
    return Math.min(this.#batchLimit, this.options.session.current?.max_batch ?? contractMaxBatch, contractMaxBatch);
  }

  /**
   * The API answered something else (a poll): if we are backing off after failed pushes, retry
   * now instead of at the end of the backoff, so a buffer drains as soon as the API is back.
   */
  nudge(): void {
    this.#backoffPause?.abort();
  }

  /** Pushes until `signal` aborts; rejects only on fatal errors. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (this.options.buffer.depth === 0) {
        this.#urgent = false;
        this.#dueAt = undefined;
        await this.#idle(signal, undefined);
        continue;
      }
      if (!this.#due()) {
        await this.#idle(signal, this.#dueAt);
        continue;
      }
      // What is buffered now goes in this batch; results arriving while it is in flight set these again.
      this.#urgent = false;
      this.#dueAt = undefined;
      const outcome = await this.#attempt(signal);
      if (outcome === 'aborted') return;
      // Unsent results were due already: retry them without waiting for another interval.
      if (outcome !== 'sent') this.#urgent = true;
      if (outcome === 'retry_later') {
        const backoffPause = requestSignal(signal);
        this.#backoffPause = backoffPause;
        await pause(this.#delay(), backoffPause.signal);
        backoffPause.dispose();
        this.#backoffPause = undefined;
      }
    }
  }

  /**
   * Sends what is buffered, within `timeoutMs` (used once at shutdown). Resolves with the number
   * of results still unsent; never rejects for transient errors.
   */
  async flush(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    const { buffer } = this.options;
    while (buffer.depth > 0 && Date.now() < deadline) {
      const outcome = await this.#attempt(AbortSignal.timeout(Math.max(1, deadline - Date.now())));
      if (outcome === 'aborted') break;
      if (outcome === 'retry_later') await pause(Math.min(this.#delay(), Math.max(0, deadline - Date.now())), neverAborted);
    }
    return buffer.depth;
  }

  #delay(): number {
    return Math.max(this.#backoff.next(), retryAfterMs(this.#lastError));
  }

  /** Waits for notify(), the abort, or `until` (performance.now() ms) when given. */
  #idle(signal: AbortSignal, until: number | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        signal.removeEventListener('abort', done);
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      this.#wake = done;
      signal.addEventListener('abort', done, { once: true });
      if (until !== undefined) timer = setTimeout(done, Math.max(0, until - performance.now()));
      // A result may have arrived between the depth check and now.
      else if (this.options.buffer.depth > 0) done();
    });
  }

  /**
   * The oldest results that share one runner id: results kept across a restart (spool) carry the
   * registration that owned their slots when they ran, and ingest checks ownership against it.
   */
  #nextBatch(current: string): { runnerId: string; batch: QueuedResult['result'][] } {
    const limit = this.#limit();
    const owner = (e: QueuedResult): string => (this.#forgotten.has(e.runnerId) ? current : e.runnerId);
    const queued = this.options.buffer.peek(limit);
    if (queued.length === 0) return { runnerId: current, batch: [] };
    const runnerId = owner(queued[0]!);
    const batch: QueuedResult['result'][] = [];
    for (const e of queued) {
      if (owner(e) !== runnerId) break;
      batch.push(e.result);
    }
    return { runnerId, batch };
  }

  async #attempt(signal: AbortSignal): Promise<Attempt> {
    const { session, buffer, client, logger } = this.options;
    const runner = session.current;
    if (!runner) return 'retry_later';
    const { runnerId, batch } = this.#nextBatch(runner.runner_id);
    if (batch.length === 0) return 'sent';
    // More than one batch was due (a full batch, or results of another registration): no waiting.
    if (batch.length < buffer.depth) this.#urgent = true;
    try {
      const outcome = await client.pushResults(runnerId, batch, signal);
      const done = new Set(outcome.accepted);
      for (const rejection of outcome.rejected) {
        const id = rejection.id ?? batch[rejection.index]?.id;
        if (id !== undefined) done.add(id);
        logger.warn({ result_id: id, monitor_id: batch[rejection.index]?.monitor_id, code: rejection.code, message: rejection.message }, 'result rejected by the control plane; dropped');
      }
      const removed = buffer.acknowledge(done);
      this.options.onPushed?.(outcome.accepted.length, outcome.rejected.length);
      logger.debug({ sent: batch.length, accepted: outcome.accepted.length, duplicates: outcome.duplicates, rejected: outcome.rejected.length, depth: buffer.depth }, 'results pushed');
      if (removed === 0) {
        // The API answered for none of what we sent: back off rather than resend in a hot loop.
        this.options.onPushError();
        logger.warn({ sent: batch.length }, 'the control plane acknowledged none of the pushed results; retrying later');
        return 'retry_later';
      }
      if (this.#failingSince !== undefined) {
        logger.info({ outage_ms: Date.now() - this.#failingSince, attempts: this.#backoff.attempts, depth: buffer.depth }, 'pushing results again');
        this.#failingSince = undefined;
      }
      this.#backoff.reset();
      this.#lastError = undefined;
      return 'sent';
    } catch (err) {
      if (err instanceof ProtocolError && err.code === 'aborted') return 'aborted';
      if (isFatal(err)) throw err;
      if (err instanceof ProtocolError && err.code === 'runner_unknown') {
        this.#forgotten.add(runnerId);
        if (runnerId !== runner.runner_id) {
          logger.warn({ runner_id: runnerId, current_runner_id: runner.runner_id }, 'the control plane no longer knows the registration these results were produced under; sending them under the current one');
          return 'retry_now';
        }
        try {
          await session.reRegister(runner.runner_id, signal);
        } catch (again) {
          if (again instanceof ProtocolError && again.code === 'aborted') return 'aborted';
          throw again;
        }
        return 'retry_now';
      }
      this.#lastError = err;
      this.options.onPushError();
      if (err instanceof ProtocolError && err.code === 'payload_too_large' && batch.length > 1) {
        this.#batchLimit = Math.ceil(batch.length / 2);
        logger.warn({ batch_limit: this.#batchLimit }, 'batch too large for the control plane; sending smaller batches');
        return 'retry_now';
      }
      this.#failingSince ??= Date.now();
      const attempts = this.#backoff.attempts + 1;
      const level = attempts === 1 || attempts % 30 === 0 ? 'warn' : 'debug';
      logger[level]({ error: describeError(err), depth: buffer.depth, attempt: attempts }, 'push failed; results stay buffered and are retried');
      return 'retry_later';
    }
  }
}
