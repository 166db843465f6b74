/** What /healthz answers. */
export interface HealthVerdict {
  status: 200 | 503;
  body: {
    status: 'ok' | 'starting' | 'stale' | 'stopping';
    reason?: string;
    runner_id?: string;
    last_successful_poll_at?: string;
    lease_seconds?: number;
  };
}

export interface HealthFacts {
  now: number;
  /** Epoch ms of the last successful poll, if any. */
  lastPollAt: number | undefined;
  leaseSeconds: number | undefined;
  /** The long poll's wait: an idle poll legitimately answers only after this long. */
  pollWaitSeconds: number;
  runnerId: string | undefined;
  stopping: boolean;
}

/**
 * Pure verdict: healthy while the last successful poll answered within 2 × lease plus the poll
 * wait. An idle long poll answers only after its wait (the API renews the lease meanwhile), so the
 * wait is added; beyond it, two missed leases mean the control plane has given our monitors away.
 */
export function judgeHealth(facts: HealthFacts): HealthVerdict {
  const base = {
    ...(facts.runnerId ? { runner_id: facts.runnerId } : {}),
    ...(facts.lastPollAt !== undefined ? { last_successful_poll_at: new Date(facts.lastPollAt).toISOString() } : {}),
    ...(facts.leaseSeconds !== undefined ? { lease_seconds: facts.leaseSeconds } : {}),
  };
  if (facts.stopping) return { status: 503, body: { status: 'stopping', reason: 'the runner is shutting down', ...base } };
  if (facts.lastPollAt === undefined || facts.leaseSeconds === undefined) {
    return { status: 503, body: { status: 'starting', reason: 'no successful poll of the control plane yet', ...base } };
  }
  const age = facts.now - facts.lastPollAt;
  const limit = (2 * facts.leaseSeconds + facts.pollWaitSeconds) * 1000;
  if (age > limit) {
    return {
      status: 503,
      body: { status: 'stale', reason: `no successful poll for ${Math.round(age / 1000)} s (limit: 2 × lease + poll wait = ${limit / 1000} s)`, ...base },
    };
  }
  return { status: 200, body: { status: 'ok', ...base } };
}

/** Mutable health facts the loops update; `verdict()` applies judgeHealth at the current time. */
export class RunnerHealth {
  #lastPollAt: number | undefined;
  #leaseSeconds: number | undefined;
  #pollWaitSeconds = 0;
  #runnerId: string | undefined;
  #stopping = false;

  constructor(private readonly now: () => number = Date.now) {}

  registered(runnerId: string, leaseSeconds: number, pollWaitSeconds: number): void {
    this.#runnerId = runnerId;
    this.#leaseSeconds = leaseSeconds;
    this.#pollWaitSeconds = pollWaitSeconds;
  }

  pollSucceeded(): void {
    this.#lastPollAt = this.now();
  }

  stopping(): void {
    this.#stopping = true;
  }

  /** Epoch ms of the last successful poll. */
  get lastPollAt(): number | undefined {
    return this.#lastPollAt;
  }

  verdict(): HealthVerdict {
    return judgeHealth({ now: this.now(), lastPollAt: this.#lastPollAt, leaseSeconds: this.#leaseSeconds, pollWaitSeconds: this.#pollWaitSeconds, runnerId: this.#runnerId, stopping: this.#stopping });
  }
}
