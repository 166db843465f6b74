import type { NodeKey } from '../dependencies/failure-graph.ts';

// Pure: which notifications of an incident's alerts are held back and which are released
// (docs/incidents.md, "Who is paged"). Pages go to the root cause's owner: while the root cause's
// own alert pages, the alerts of nodes that depend on it are recorded, not sent. Suppress
// notifications, never monitoring or state; anything held that still fires when the reason ends is
// sent then.

export type HoldReason = 'root_cause_paging' | 'awaiting_root_cause_alert' | 'root_cause_resolved' | 'confirming_root_cause';

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
  /** Whether the node itself is failing or degraded now (its alert still firing while it is healthy only lags its states). */
  nodeFailing: (node: NodeKey) => boolean;
  now: number;
  /** How long a dependent waits for the root cause's own alert before it is sent anyway. */
  graceMs: number;
  /**
   * The root cause is a service whose monitored dependency edges are not failing yet, in a young
   * incident: the edge that really failed may be a check away (its probe is on its way), so the
   * root cause's own page waits until `settleUntil` at most.
   */
  rootUnconfirmed: boolean;
  settleUntil: number;
  /**
   * The root cause recovered less than `graceMs` ago: its dependents' states lag until their next
   * checks, so a held alert cannot yet tell "fails on its own" from "has not been checked since".
   */
  rootRecovered: boolean;
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
 * alert is released (sent) at once when it stands on its own: its node is the root cause now, or
 * it fails without depending on the root cause. When the root cause's alert resolves (or the root
 * cause recovers) a held alert still firing is released after `graceMs` more, if it still fires
 * then: a dependent that recovers with its root cause (its alert resolves a check later) is never
 * sent. Alerts of the root cause itself, and alerts outside the graph, are never held.
 */
export function decideHolds(input: HoldInput): HoldDecision {
  const { rootCause, now, graceMs } = input;
  const rootPaging = rootCause !== null && input.alerts.some((a) => a.node === rootCause && a.state === 'firing' && a.notification !== 'held');
  const out: HoldDecision = { hold: [], rehold: [], release: [] };
  const rehold = (a: IncidentAlertView, reason: HoldReason, until: number | null) => {
    if (a.holdReason !== reason) out.rehold.push({ alertId: a.alertId, reason, until });
  };
  for (const a of input.alerts) {
    if (a.state !== 'firing') continue;
    const isRoot = a.node !== null && a.node === rootCause;
    const dependent = rootCause !== null && a.node !== null && !isRoot && input.dependsOnRoot(a.node);
    if (a.fresh && a.notification === 'sent') {
      if (isRoot && input.rootUnconfirmed) out.hold.push({ alertId: a.alertId, reason: 'confirming_root_cause', until: input.settleUntil });
      else if (dependent && rootPaging) out.hold.push({ alertId: a.alertId, reason: 'root_cause_paging', until: null });
      else if (dependent && input.rootFailing) out.hold.push({ alertId: a.alertId, reason: 'awaiting_root_cause_alert', until: now + graceMs });
      continue;
    }
    if (a.notification !== 'held') continue;
    if (isRoot) {
      if (a.holdReason === 'confirming_root_cause' && input.rootUnconfirmed && a.holdUntil !== null && a.holdUntil > now) continue;
      out.release.push({ alertId: a.alertId, why: a.holdReason === 'confirming_root_cause' ? 'its node is confirmed as the root cause' : 'it is the root cause now' });
    } else if (input.rootRecovered && a.holdReason !== 'root_cause_resolved') rehold(a, 'root_cause_resolved', now + graceMs);
    else if (input.rootRecovered && a.holdUntil !== null && a.holdUntil > now) continue;
    else if (!dependent && a.node !== null && input.nodeFailing(a.node)) out.release.push({ alertId: a.alertId, why: 'it fails on its own: it does not depend on the root cause' });
    else if (dependent && rootPaging) rehold(a, 'root_cause_paging', null);
    else if (dependent && input.rootFailing) {
      if (a.holdReason !== 'awaiting_root_cause_alert') rehold(a, 'awaiting_root_cause_alert', now + graceMs);
      else if (a.holdUntil !== null && a.holdUntil <= now) out.release.push({ alertId: a.alertId, why: "the root cause's own alert did not fire within the grace period" });
    } else if (a.holdReason !== 'root_cause_resolved' || a.holdUntil === null) out.rehold.push({ alertId: a.alertId, reason: 'root_cause_resolved', until: now + graceMs });
    else if (a.holdUntil <= now) out.release.push({ alertId: a.alertId, why: 'it still fires after the root cause resolved' });
  }
  return out;
}
