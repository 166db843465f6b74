/** How `npm start` restarts a child that exited: exponential backoff, capped, forgiven after a stable run. */
export interface RestartPolicy {
  /** Delay before the first restart. */
  initialMs: number;
  /** Longest delay between restarts. */
  maxMs: number;
  /** A child that stayed up this long counts as healthy again: the next restart starts from initialMs. */
  stableMs: number;
}

export const defaultRestartPolicy: RestartPolicy = { initialMs: 1_000, maxMs: 30_000, stableMs: 60_000 };

/**
 * Consecutive failures after an exit: reset to 1 when the child had stayed up for `stableMs`,
 * otherwise one more than before.
 */
export function failuresAfterExit(previousFailures: number, uptimeMs: number, policy: RestartPolicy = defaultRestartPolicy): number {
  return uptimeMs >= policy.stableMs ? 1 : previousFailures + 1;
}

/** Delay before restarting after the `failures`-th consecutive failure (1-based): 1 s, 2 s, 4 s … capped. */
export function restartDelayMs(failures: number, policy: RestartPolicy = defaultRestartPolicy): number {
  const exponent = Math.max(0, Math.min(failures - 1, 30));
  return Math.min(policy.maxMs, policy.initialMs * 2 ** exponent);
}
