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
  runnerId: string | undefined;
  stopping: boolean;
}

/**
 * Pure verdict: healthy while the runner has polled successfully within two leases. One missed
 * lease can be a slow API; two mean the control plane has given our monitors to someone else.
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
  const limit = 2 * facts.leaseSeconds * 1000;
  if (age > limit) {
    return {
      status: 503,
      body: { status: 'stale', reason: `no successful poll for ${Math.round(age / 1000)} s (limit: 2 × lease = ${limit / 1000} s)`, ...base },
    };
  }
  return { status: 200, body: { status: 'ok', ...base } };
}

/** Mutable health facts the loops update; `verdict()` applies judgeHealth at the current time. */
export class RunnerHealth {
  #lastPollAt: number | undefined;
  #leaseSeconds: number | undefined;
  #runnerId: string | undefined;
  #stopping = false;

  constructor(private readonly now: () => number = Date.now) {}

  registered(runnerId: string, leaseSeconds: number): void {
    this.#runnerId = runnerId;
    this.#leaseSeconds = leaseSeconds;
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
    return judgeHealth({ now: this.now(), lastPollAt: this.#lastPollAt, leaseSeconds: this.#leaseSeconds, runnerId: this.#runnerId, stopping: this.#stopping });
  }
}
