import type { Logger } from 'pino';
import type { RunnerRegistered, RunnerRegistration } from '../../../api/src/contract/index.ts';
import { LOAD_TEST_CAPABILITY } from '../../../api/src/contract/load-test.schema.ts';
import { Backoff, pause } from './backoff.policy.ts';
import type { ProtocolClient } from './protocol.client.ts';
import { ProtocolError, isFatal } from './protocol.errors.ts';

export interface RunnerSessionOptions {
  client: ProtocolClient;
  registration: RunnerRegistration;
  /** PHAROS_REGION: when set, a token of another region is fatal. */
  expectedRegion: string | undefined;
  logger: Logger;
  /** Told about each failed registration attempt (counted with poll errors). */
  onError?: () => void;
  /** Told about each successful registration. */
  onRegistered?: (registered: RunnerRegistered) => void;
  backoff?: Backoff;
}

/**
 * The runner's identity at the control plane. Registers (retrying until the API answers), and
 * registers again when the API has forgotten the runner; concurrent callers (poll and push loop)
 * share one re-registration.
 */
export class RunnerSession {
  #current: RunnerRegistered | undefined;
  #inFlight: Promise<RunnerRegistered> | undefined;
  /** Region of the first registration: results carry it, so it must not change under us. */
  #region: string | undefined;
  /** What the runner registers with; loses `load_test` when the control plane predates load tests. */
  #registration: RunnerRegistration;

  constructor(private readonly options: RunnerSessionOptions) {
    this.#registration = options.registration;
  }

  /** The capabilities the control plane accepted (without `load_test` on a control plane that predates it). */
  get capabilities(): readonly string[] {
    return this.#registration.capabilities;
  }

  /** The current registration, once there is one. */
  get current(): RunnerRegistered | undefined {
    return this.#current;
  }

  /** Registers, retrying transient failures with backoff; rejects on fatal errors or abort. */
  register(signal: AbortSignal): Promise<RunnerRegistered> {
    this.#inFlight ??= this.#registerWithRetry(signal).finally(() => (this.#inFlight = undefined));
    return this.#inFlight;
  }

  /** Registers again because the API answered 404/410 for `staleRunnerId`; a no-op if that already happened. */
  reRegister(staleRunnerId: string, signal: AbortSignal): Promise<RunnerRegistered> {
    if (this.#current && this.#current.runner_id !== staleRunnerId && !this.#inFlight) return Promise.resolve(this.#current);
    this.options.logger.warn({ runner_id: staleRunnerId }, 'the control plane does not know this runner any more; registering again');
    return this.register(signal);
  }

  async #registerWithRetry(signal: AbortSignal): Promise<RunnerRegistered> {
    const { client, logger } = this.options;
    const backoff = this.options.backoff ?? new Backoff();
    for (;;) {
      try {
        const registered = await client.register(this.#registration, signal);
        this.#checkRegion(registered);
        this.#current = registered;
        logger.info(
          {
            runner_id: registered.runner_id,
            region: registered.region,
            labels: registered.labels,
            lease_seconds: registered.lease_seconds,
            poll_wait_seconds: registered.poll_wait_seconds,
            max_batch: registered.max_batch,
            attempts: backoff.attempts + 1,
          },
          'registered with the control plane',
        );
        this.options.onRegistered?.(registered);
        return registered;
      } catch (err) {
        if (isFatal(err) || (err instanceof ProtocolError && err.code === 'aborted') || signal.aborted) throw err;
        if (err instanceof ProtocolError && err.status === 422 && this.#registration.capabilities.includes(LOAD_TEST_CAPABILITY)) {
          // A control plane older than load tests refuses the capability it does not know: keep checking without it.
          this.#registration = { ...this.#registration, capabilities: this.#registration.capabilities.filter((c) => c !== LOAD_TEST_CAPABILITY) };
          logger.warn({ error: describeError(err) }, 'the control plane refused the load_test capability (it predates load tests); registering without it, so this runner runs no load tests');
          continue;
        }
        this.options.onError?.();
        const delay = Math.max(backoff.next(), retryAfterMs(err));
        // First failure and every 30th at warn: an outage of minutes should not flood the log.
        const level = backoff.attempts === 1 || backoff.attempts % 30 === 0 ? 'warn' : 'debug';
        const hint = err instanceof ProtocolError && err.status === 404 ? " (404: is PHAROS_API_URL the control plane's base URL?)" : '';
        logger[level]({ error: describeError(err), retry_in_ms: delay, attempt: backoff.attempts }, `registration failed; retrying${hint}`);
        if (!(await pause(delay, signal))) throw new ProtocolError('aborted', 'registration aborted: shutting down');
      }
    }
  }

  #checkRegion(registered: RunnerRegistered): void {
    const expected = this.options.expectedRegion;
    if (expected !== undefined && registered.region !== expected) {
      throw new ProtocolError(
        'region_mismatch',
        `PHAROS_REGION is "${expected}" but the control plane says this runner token belongs to region "${registered.region}". ` +
          'Use a runner token created for this region, or fix PHAROS_REGION.',
      );
    }
    if (this.#region !== undefined && registered.region !== this.#region) {
      throw new ProtocolError(
        'region_mismatch',
        `The runner token's region changed from "${this.#region}" to "${registered.region}"; restart the runner so its results carry the new region.`,
      );
    }
    this.#region = registered.region;
  }
}

/** Milliseconds a Retry-After asked for (capped so a misbehaving proxy cannot park us for long). */
export function retryAfterMs(err: unknown): number {
  return err instanceof ProtocolError && err.retryAfterSeconds !== undefined ? Math.min(err.retryAfterSeconds, 30) * 1000 : 0;
}

/** A compact, log-friendly form of a protocol failure. */
export function describeError(err: unknown): { code: string; status?: number; message: string } {
  if (err instanceof ProtocolError) return { code: err.code, ...(err.status !== undefined ? { status: err.status } : {}), message: err.message };
  return { code: 'internal_error', message: err instanceof Error ? err.message : String(err) };
}
