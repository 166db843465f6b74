// Pure: when a notification group is due and what its flush sends (docs/alerting.md, "Grouping" and
// "Delivery guarantees"). No I/O; table-tested in api/test/notification-group.test.ts. Times are
// epoch milliseconds.
//
// Alertmanager's timing: a new group waits group_wait before its first notification (so alerts
// that fire together arrive together); after that, changes (a new alert, a resolution) go out at
// most every group_interval; an unchanged group that is still firing is repeated every
// repeat_interval. Pharos' invariants on top:
// - muting (silences, maintenance, mute time windows) suppresses a firing notification, never a
//   resolution: an alert that was notified firing always gets its resolution sent;
// - an alert that resolves before it was ever notified is dropped from the group, not sent;
// - a muted alert is recorded once as suppressed, and notified when the muting ends while it fires.

export interface GroupAlertState {
  instanceId: string;
  state: 'firing' | 'resolved';
  notifiedFiringAt: number | null;
  notifiedResolvedAt: number | null;
  suppressedAt: number | null;
}

export interface GroupTiming {
  createdAt: number;
  lastFlushAt: number | null;
  lastFiringSentAt: number | null;
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
}

/** What one flush does. */
export interface FlushPlan {
  /** The notification to write to the outbox (one row per channel), or none. */
  send: { kind: 'firing' | 'resolved'; firing: string[]; resolved: string[] } | null;
  /** Firing alerts muted for the first time: recorded as suppressed. */
  suppress: string[];
  /** Alerts now notified firing. */
  notifiedFiring: string[];
  /** Alerts whose notice is withdrawn: muted while firing when the group was told everything resolved (notified again once unmuted). */
  unnotified: string[];
  /** Alerts leaving the group: resolutions sent, and resolutions of alerts never notified. */
  remove: string[];
  /** When to flush next (null: the group is empty and goes away). */
  nextFlushAt: number | null;
}

/** When a group is due after a change at `now` (an alert joined, fired again or resolved). */
export function dueAfterChange(g: GroupTiming, now: number): number {
  if (g.lastFlushAt === null) return g.createdAt + g.groupWaitMs;
  return Math.max(now, g.lastFlushAt + g.groupIntervalMs);
}

/** Plans the flush of a due group at `now`; `muted` tells whether a firing alert is muted now. */
export function planFlush(g: GroupTiming, alerts: readonly GroupAlertState[], muted: (instanceId: string) => boolean, now: number): FlushPlan {
  const firing = alerts.filter((a) => a.state === 'firing');
  const open = firing.filter((a) => !muted(a.instanceId));
  const mutedFiring = firing.filter((a) => muted(a.instanceId));
  const fresh = open.filter((a) => a.notifiedFiringAt === null);
  const toResolve = alerts.filter((a) => a.state === 'resolved' && a.notifiedFiringAt !== null && a.notifiedResolvedAt === null);
  const neverSent = alerts.filter((a) => a.state === 'resolved' && a.notifiedFiringAt === null);
  const suppress = mutedFiring.filter((a) => a.notifiedFiringAt === null && a.suppressedAt === null).map((a) => a.instanceId);
  const repeatDue = g.lastFiringSentAt !== null && now >= g.lastFiringSentAt + g.repeatIntervalMs && open.some((a) => a.notifiedFiringAt !== null);

  let send: FlushPlan['send'] = null;
  let unnotified: string[] = [];
  if (fresh.length || toResolve.length || repeatDue) {
    if (open.length) send = { kind: 'firing', firing: open.map((a) => a.instanceId), resolved: toResolve.map((a) => a.instanceId) };
    else {
      send = { kind: 'resolved', firing: [], resolved: toResolve.map((a) => a.instanceId) };
      // The receiver now holds the group as resolved; a muted alert still firing is told again once unmuted.
      unnotified = mutedFiring.filter((a) => a.notifiedFiringAt !== null).map((a) => a.instanceId);
    }
  }
  const remove = [...toResolve, ...neverSent].map((a) => a.instanceId);
  const firingSentAt = send?.kind === 'firing' ? now : g.lastFiringSentAt;

  let nextFlushAt: number | null = null;
  if (firing.length) {
    const candidates: number[] = [];
    // Still firing and notified: repeat. Muted: look again each group_interval, to notice the muting end.
    if (open.length && firingSentAt !== null) candidates.push(firingSentAt + g.repeatIntervalMs);
    if (mutedFiring.length) candidates.push(now + g.groupIntervalMs);
    nextFlushAt = candidates.length ? Math.min(...candidates) : now + g.groupIntervalMs;
  }
  return { send, suppress, notifiedFiring: fresh.map((a) => a.instanceId), unnotified, remove, nextFlushAt };
}
