import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeKey } from '../src/modules/dependencies/failure-graph.ts';
import { decideHolds, type HoldInput, type IncidentAlertView } from '../src/modules/incidents/incident-holds.logic.ts';

// Who is paged while an incident's root cause is known: the root cause's alert always; a dependent's
// alert is held while the root cause pages (or briefly, while it fails without its own alert), and
// sent when it stands on its own or still fires a grace after the root cause resolved.

const root: NodeKey = 'edge:dep_ab';
const a: NodeKey = 'service:svc_a';
const x: NodeKey = 'service:svc_x';
const alert = (alertId: string, node: NodeKey | null, over: Partial<IncidentAlertView> = {}): IncidentAlertView => ({ alertId, node, state: 'firing', notification: 'sent', holdReason: null, holdUntil: null, fresh: false, ...over });
const input = (alerts: IncidentAlertView[], over: Partial<HoldInput> = {}): HoldInput => ({
  rootCause: root, rootFailing: true, alerts, now: 1_000_000, graceMs: 60_000, rootUnconfirmed: false, settleUntil: 0, rootRecovered: false, dependsOnRoot: (n) => n === a, nodeFailing: (n) => n === a || n === root, ...over,
});
const summary = (i: HoldInput) => {
  const d = decideHolds(i);
  return { hold: d.hold.map((h) => `${h.alertId}:${h.reason}:${h.until}`), rehold: d.rehold.map((h) => `${h.alertId}:${h.reason}:${h.until}`), release: d.release.map((r) => r.alertId) };
};

const cases: Array<[string, HoldInput, ReturnType<typeof summary>]> = [
  ['a fresh dependent is held while the root cause pages', input([alert('r', root), alert('d', a, { fresh: true })]), { hold: ['d:root_cause_paging:null'], rehold: [], release: [] }],
  ['the root cause\'s own alert is never held', input([alert('r', root, { fresh: true })]), { hold: [], rehold: [], release: [] }],
  ['a fresh dependent waits a grace for the root cause\'s alert', input([alert('d', a, { fresh: true })]), { hold: ['d:awaiting_root_cause_alert:1060000'], rehold: [], release: [] }],
  ['no hold when the root cause neither pages nor fails', input([alert('d', a, { fresh: true })], { rootFailing: false }), { hold: [], rehold: [], release: [] }],
  ['an alert that does not depend on the root cause is sent', input([alert('r', root), alert('o', x, { fresh: true })]), { hold: [], rehold: [], release: [] }],
  ['an alert outside the graph is sent', input([alert('r', root), alert('n', null, { fresh: true })]), { hold: [], rehold: [], release: [] }],
  ['an alert already sent is not held afterwards', input([alert('r', root), alert('d', a)]), { hold: [], rehold: [], release: [] }],
  ['the root cause\'s alert fired: the wait becomes a hold without deadline', input([alert('r', root), alert('d', a, { notification: 'held', holdReason: 'awaiting_root_cause_alert', holdUntil: 1_060_000 })]), { hold: [], rehold: ['d:root_cause_paging:null'], release: [] }],
  ['the grace ran out without the root cause\'s alert: sent', input([alert('d', a, { notification: 'held', holdReason: 'awaiting_root_cause_alert', holdUntil: 999_000 })]), { hold: [], rehold: [], release: ['d'] }],
  ['the root cause\'s alert resolved: a settle time starts', input([alert('r', root, { state: 'resolved' }), alert('d', a, { notification: 'held', holdReason: 'root_cause_paging' })], { rootFailing: false }), { hold: [], rehold: ['d:root_cause_resolved:1060000'], release: [] }],
  ['still firing after the settle time: sent', input([alert('d', a, { notification: 'held', holdReason: 'root_cause_resolved', holdUntil: 999_000 })], { rootFailing: false }), { hold: [], rehold: [], release: ['d'] }],
  ['within the settle time: still held', input([alert('d', a, { notification: 'held', holdReason: 'root_cause_resolved', holdUntil: 1_001_000 })], { rootFailing: false }), { hold: [], rehold: [], release: [] }],
  ['the held alert\'s node became the root cause: sent at once', input([alert('d', a, { notification: 'held', holdReason: 'root_cause_paging' })], { rootCause: a }), { hold: [], rehold: [], release: ['d'] }],
  ['it fails on its own, not through the root cause: sent at once', input([alert('r', root), alert('d', a, { notification: 'held', holdReason: 'root_cause_paging' })], { dependsOnRoot: () => false }), { hold: [], rehold: [], release: ['d'] }],
  ['a young root cause with unproven edges: its page waits for the probes', input([alert('r', a, { fresh: true })], { rootCause: a, rootUnconfirmed: true, settleUntil: 1_005_000 }), { hold: ['r:confirming_root_cause:1005000'], rehold: [], release: [] }],
  ['the settle time is not over: still waiting', input([alert('r', a, { notification: 'held', holdReason: 'confirming_root_cause', holdUntil: 1_005_000 })], { rootCause: a, rootUnconfirmed: true, settleUntil: 1_005_000 }), { hold: [], rehold: [], release: [] }],
  ['the settle time is over and it is still the root cause: sent', input([alert('r', a, { notification: 'held', holdReason: 'confirming_root_cause', holdUntil: 999_000 })], { rootCause: a, rootUnconfirmed: false }), { hold: [], rehold: [], release: ['r'] }],
  ['the probe found the failing edge: the waiting page is now a dependent\'s, held until the edge\'s alert', input([alert('d', a, { notification: 'held', holdReason: 'confirming_root_cause', holdUntil: 1_005_000 })]), { hold: [], rehold: ['d:awaiting_root_cause_alert:1060000'], release: [] }],
  ['the root cause just recovered: a dependent still failing in its lagging state waits the grace', input([alert('d', x, { notification: 'held', holdReason: 'root_cause_paging' })], { rootFailing: false, rootRecovered: true }), { hold: [], rehold: ['d:root_cause_resolved:1060000'], release: [] }],
  ['the root cause just recovered: within the grace nothing is sent', input([alert('d', x, { notification: 'held', holdReason: 'root_cause_resolved', holdUntil: 1_030_000 })], { rootFailing: false, rootRecovered: true }), { hold: [], rehold: [], release: [] }],
  ['a held alert that resolved stays unsent', input([alert('d', a, { state: 'resolved', notification: 'held', holdReason: 'root_cause_paging' })], { rootFailing: false }), { hold: [], rehold: [], release: [] }],
];
for (const [name, i, expected] of cases) test(`holds: ${name}`, () => assert.deepEqual(summary(i), expected));
