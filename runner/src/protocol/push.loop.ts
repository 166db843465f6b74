import type { Logger } from 'pino';
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
}

/** The contract's largest batch. */
const contractMaxBatch = 1000;
const neverAborted = new AbortController().signal;

type Attempt = 'sent' | 'retry_now' | 'retry_later' | 'aborted';

/**
 * Sends buffered results to the control plane: one batch in flight at a time, sent the moment
 * results exist (no timer when the buffer was empty: detection latency is the point), the next
 * batch right after the answer, so batches grow by themselves under load. A result leaves the
 * buffer only when the API answered for it (accepted or rejected); failures keep it for a retry.
 */
export class PushLoop {
  #wake: (() => void) | undefined;
  #batchLimit = contractMaxBatch;
  #failingSince: number | undefined;
  #lastError: unknown;
  #backoffPause: RequestSignal | undefined;
  /** Runner ids the API no longer knows: their results are sent under the current registration. */
  readonly #forgotten = new Set<string>();
  readonly #backoff: Backoff;

  constructor(private readonly options: PushLoopOptions) {
    this.#backoff = options.backoff ?? new Backoff();
  }

  /** Call after every buffer.push: wakes the loop when it was idle. Cheap; never throws. */
  notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
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
        await this.#idle(signal);
        continue;
      }
      const outcome = await this.#attempt(signal);
      if (outcome === 'aborted') return;
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

  #idle(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', done);
        this.#wake = undefined;
        resolve();
      };
      this.#wake = done;
      signal.addEventListener('abort', done, { once: true });
      // A result may have arrived between the depth check and now.
      if (this.options.buffer.depth > 0) done();
    });
  }

  /**
   * The oldest results that share one runner id: results kept across a restart (spool) carry the
   * registration that owned their slots when they ran, and ingest checks ownership against it.
   */
  #nextBatch(current: string): { runnerId: string; batch: QueuedResult['result'][] } {
    const runner = this.options.session.current;
    const limit = Math.min(this.#batchLimit, runner?.max_batch ?? contractMaxBatch, contractMaxBatch);
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
