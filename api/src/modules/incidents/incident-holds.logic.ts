import type { NodeKey } from '../dependencies/failure-graph.ts';

// Pure: which notifications of an incident's alerts are held back and which are released
// (docs/incidents.md, "Who is paged"). Pages go to the root cause's owner: while the root cause's
// own alert pages, the alerts of nodes that depend on it are recorded, not sent. Suppress
// notifications, never monitoring or state; anything held that still fires when the reason ends is
// sent then.

export type HoldReason = 'root_cause_paging' | 'awaiting_root_cause_alert';

export interface IncidentAlertView {
  alertId: string;
  node: NodeKey | null;
  state: 'firing' | 'resolved';
  notification: 'sent' | 'held' | 'released';
  holdReason: HoldReason | null;
  holdUntil: number | null;
  /** Added by this batch and not routed yet: the only alerts a hold can still stop. */
  fresh: boolean;
}

export interface HoldInput {
  rootCause: NodeKey | null;
  /** The root cause is failing now (its monitors say so), with or without an alert of its own. */
  rootFailing: boolean;
  alerts: readonly IncidentAlertView[];
  /** Whether the node's failure depends on the root cause (failureReach(node) holds it). */
  dependsOnRoot: (node: NodeKey) => boolean;
  now: number;
  /** How long a dependent waits for the root cause's own alert before it is sent anyway. */
  graceMs: number;
}

export interface HoldDecision {
  hold: Array<{ alertId: string; reason: HoldReason; until: number | null }>;
  /** Held alerts whose reason changed (the root cause's alert fired: no deadline any more). */
  rehold: Array<{ alertId: string; reason: HoldReason; until: number | null }>;
  release: Array<{ alertId: string; why: string }>;
}

/**
 * Decides holds for one incident. A fresh firing alert of a node that depends on the root cause is
 * held while the root cause's own alert pages (no deadline), or, while the root cause fails without
 * an alert that paged yet, for at most `graceMs` (its alert usually fires a check later). A held
 * alert is released (sent) when the reason ends: the root cause's alert resolved, the root cause
 * changed to a node it does not depend on, the root cause recovered, or the grace ran out. Alerts of
 * the root cause itself, and alerts outside the graph, are never held.
 */
export function decideHolds(input: HoldInput): HoldDecision {
  const { rootCause } = input;
  const rootPaging = rootCause !== null && input.alerts.some((a) => a.node === rootCause && a.state === 'firing' && a.notification !== 'held');
  const out: HoldDecision = { hold: [], rehold: [], release: [] };
  for (const a of input.alerts) {
    if (a.state !== 'firing') continue;
    const dependent = rootCause !== null && a.node !== null && a.node !== rootCause && input.dependsOnRoot(a.node);
    if (a.fresh && a.notification === 'sent') {
      if (dependent && rootPaging) out.hold.push({ alertId: a.alertId, reason: 'root_cause_paging', until: null });
      else if (dependent && input.rootFailing) out.hold.push({ alertId: a.alertId, reason: 'awaiting_root_cause_alert', until: input.now + input.graceMs });
      continue;
    }
    if (a.notification !== 'held') continue;
    if (!dependent) out.release.push({ alertId: a.alertId, why: rootCause === null ? 'no root cause is named any more' : a.node === rootCause ? 'it is the root cause now' : 'it does not depend on the root cause any more' });
    else if (rootPaging) {
      if (a.holdReason !== 'root_cause_paging') out.rehold.push({ alertId: a.alertId, reason: 'root_cause_paging', until: null });
    } else if (a.holdReason === 'root_cause_paging') out.release.push({ alertId: a.alertId, why: "the root cause's alert resolved while this one still fires" });
    else if (!input.rootFailing) out.release.push({ alertId: a.alertId, why: 'the root cause recovered while this one still fires' });
    else if (a.holdUntil !== null && a.holdUntil <= input.now) out.release.push({ alertId: a.alertId, why: "the root cause's own alert did not fire within the grace period" });
  }
  return out;
}
