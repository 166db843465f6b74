import { slotKey } from './assignment.planner.ts';

// Pure: which slots taken over from a runner that is gone are checked at once by their new owner.

/**
 * How far ahead of its next phase a taken-over slot counts as due. Runs are phase-aligned (every
 * runner derives a monitor's phase from its id), so a slot last checked at `last` is next due at
 * about `last + interval`. If that moment passes before the new owner has applied the assignment,
 * its scheduler starts at the following phase and the check is skipped for a whole interval. The
 * slack covers the time from the plan to the new owner's engine (a wake-up on the same replica is
 * milliseconds, another replica's poll re-reads every 500 ms) and a result's scheduling lateness
 * (`last` is when the check started, a little after its phase). A phase that comes within the slack
 * after the takeover costs one extra check; a phase missed would cost an interval.
 */
export const takeoverSlackMs = 2_000;

export interface TakenSlot {
  monitor_id: string;
  region: string;
}

/**
 * The slots whose check came due while their runner was gone (or comes due before the new owner
 * can schedule it): `lastAt` holds when each slot's latest stored result started (absent: never),
 * `intervalMs` each monitor's interval.
 */
export function overdueTakeovers<T extends TakenSlot>(
  taken: readonly T[],
  lastAt: ReadonlyMap<string, number>,
  intervalMs: ReadonlyMap<string, number>,
  now: number,
  slackMs: number = takeoverSlackMs,
): T[] {
  return taken.filter((slot) => {
    const last = lastAt.get(slotKey(slot.monitor_id, slot.region));
    const interval = intervalMs.get(slot.monitor_id);
    if (last === undefined || interval === undefined) return true;
    return now + slackMs - last >= interval;
  });
}
