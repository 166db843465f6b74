import { severities } from '../../contract/alerting.schema.ts';
import type { Db } from '../../db/database.ts';
import type { IncidentState } from '../../db/tables.ts';
import { newId } from '../../shared/ids.ts';
import { failureReach, incidentFor, type IncidentView } from '../dependencies/correlation.ts';
import { edgeKey, idOfKey, isFailing, kindOfKey, type FailureGraph, type NodeKey } from '../dependencies/failure-graph.ts';
import { dependenciesOf } from '../dependencies/failure-index.ts';
import { analyzeRootCause } from '../dependencies/root-cause.ts';
import type { EventLogRepository } from '../events/event-log.repository.ts';
import type { StoredEvent } from '../events/event.types.ts';
import { nodeOfAlert } from './alert-node.ts';
import { IncidentCorrelationRepository, type IncidentAlertRow, type IncidentPatch, type IncidentRow, type TimelineEntry } from './incident-correlation.repository.ts';
import { IncidentGraphRepository, type LoadedGraph } from './incident-graph.repository.ts';
import { decideHolds, type HoldReason } from './incident-holds.logic.ts';
import { describeIncident, nodeName, type IncidentDescription } from './incident-description.ts';
import type { IncidentSettings } from './incident-settings.ts';

/** An alert as the router routes it. */
export interface RoutableAlert {
  rule_id: string;
  alert_id: string;
  team_id: string;
  severity: string;
  labels: Record<string, string>;
  value: number | null;
  startsAt: Date;
  annotations?: Record<string, string>;
  /** An informational notice: recorded on its incident's timeline once a route took it. */
  notice?: { incidentId: string; teamId: string; services: string[] };
}

/** What the router does with a batch after correlation. */
export interface CorrelationOutcome {
  /** Firing alerts of this batch that are held back: not routed. */
  held: Set<string>;
  /** Alerts held earlier that still fire and are sent now. */
  release: RoutableAlert[];
  /** Informational notices to impacted teams (routed only where the team's policy asks for them). */
  notices: RoutableAlert[];
  /** Notices whose incident resolved: their resolution goes out. */
  noticesResolved: string[];
}

export const emptyOutcome = (): CorrelationOutcome => ({ held: new Set(), release: [], notices: [], noticesResolved: [] });

type AlertChange = Extract<StoredEvent, { kind: 'alert.state_changed' }>;

interface Working {
  row: IncidentRow;
  alerts: Map<string, IncidentAlertRow>;
  patch: IncidentPatch;
  changes: string[];
  isNew: boolean;
}

const rank = (s: string) => {
  const i = (severities as readonly string[]).indexOf(s);
  return i < 0 ? severities.length : i;
};
/**
 * How long a young incident's root cause, when it has dependencies (a service with dependency
 * edges, or an edge), waits before its page goes out: the probes its failure triggered check its
 * edges and dependencies within a second or two (and theirs in turn), and a page to the wrong team
 * cannot be taken back.
 */
export const ROOT_CAUSE_SETTLE_MS = 5_000;

/** The node has dependencies a probe may still find failing: a service with dependency edges, or an edge (its target). */
function hasDependencies(graph: FailureGraph, node: NodeKey): boolean {
  return dependenciesOf(graph, node).length > 0;
}

/** The node is healthy again (not failing) since less than `withinMs`. */
function recoveredWithin(graph: FailureGraph, node: NodeKey, now: number, withinMs: number): boolean {
  const h = graph.health.get(node);
  return h !== undefined && !isFailing(h) && now - h.since < withinMs;
}

/** `from` depends on `to`, directly or through other nodes, whatever their states (bounded walk). */
function dependsInGraph(graph: FailureGraph, from: NodeKey, to: NodeKey): boolean {
  const seen = new Set<NodeKey>([from]);
  const queue: NodeKey[] = [from];
  while (queue.length && seen.size < 100_000) {
    for (const next of dependenciesOf(graph, queue.shift()!)) {
      if (next === to) return true;
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return false;
}

/** An incident's impact over its life: what was impacted stays listed (as failing, if it ever was) after it recovers. */
function accumulate(before: unknown, now: IncidentDescription['impacted']): IncidentDescription['impacted'] {
  const earlier = (Array.isArray(before) ? before : []) as IncidentDescription['impacted'];
  const byNode = new Map(earlier.map((i) => [i.node, i]));
  for (const i of now) byNode.set(i.node, byNode.get(i.node)?.impact === 'failing' ? { ...i, impact: 'failing' } : i);
  return [...byNode.values()];
}

const same = (a: unknown, b: unknown) => (a instanceof Date || b instanceof Date ? (a === null || b === null ? a === b : new Date(a as Date).getTime() === new Date(b as Date).getTime()) : JSON.stringify(a ?? null) === JSON.stringify(b ?? null));

/** The fields of a patch that differ from the row (an unchanged incident is not written, nor announced). */
function changedFields(row: IncidentRow, patch: IncidentPatch): IncidentPatch {
  return Object.fromEntries(Object.entries(patch).filter(([k, v]) => !same((row as unknown as Record<string, unknown>)[k], v))) as IncidentPatch;
}

/** The notice of an incident to a team: a pseudo-alert id, stable per incident and team. */
export const noticeId = (incidentId: string, teamId: string) => `notice:${incidentId}:${teamId}`;

/**
 * The incident correlator (docs/incidents.md): runs inside the notification router's batch, before
 * routing, so a held page is never sent. A firing alert joins the open incident its graph node is
 * connected to (correlation.ts) or opens one; every open incident's probable root cause is
 * recomputed from the graph and the states (root-cause.ts), with a timeline entry when it changes;
 * dependents' pages are held while the root cause pages and released when that ends; incidents
 * move investigating → identified → monitoring → resolved.
 */
export class IncidentCorrelator {
  private readonly repo = new IncidentCorrelationRepository();
  private readonly graphs = new IncidentGraphRepository();

  constructor(
    private readonly events: EventLogRepository,
    private readonly settingsOf: (db: Db, orgId: string) => Promise<IncidentSettings>,
  ) {}

  async handle(trx: Db, orgId: string, events: readonly StoredEvent[], nowMs: number): Promise<CorrelationOutcome> {
    const out = emptyOutcome();
    const alertEvents = events.filter((e): e is AlertChange => e.kind === 'alert.state_changed' && (e.payload.to === 'firing' || (e.payload.to === 'resolved' && e.payload.from === 'firing')));
    const stateChanged = events.some((e) => e.kind === 'state.transition' && e.payload.subject_type !== 'slot');
    const due = events.some((e) => e.kind === 'incident.changed' && e.payload.change === 'due');
    // Incidents resolved (by a person) while pages were held: what still fires is sent.
    const closed = [...new Set(events.flatMap((e) => (e.kind === 'incident.changed' && e.payload.state === 'resolved' && e.payload.change !== 'due' ? [e.payload.incident_id] : [])))];
    if (alertEvents.length === 0 && !stateChanged && !due && closed.length === 0) return out;
    const released = await this.releaseClosed(trx, orgId, closed, new Date(nowMs), out);
    const openRows = await this.repo.openIncidents(trx, orgId);
    if (alertEvents.length === 0 && openRows.length === 0) {
      if (released.length) await this.repo.addTimeline(trx, released);
      return out;
    }

    const now = new Date(nowMs);
    const settings = await this.settingsOf(trx, orgId);
    const loaded = await this.graphs.load(trx, orgId, now);
    const alertRows = await this.repo.alertsOf(trx, openRows.map((r) => r.id));
    const working = new Map<string, Working>(openRows.map((row) => [row.id, { row, alerts: new Map(), patch: {}, changes: [], isNew: false }]));
    for (const a of alertRows) working.get(a.incident_id)!.alerts.set(a.alert_id, a);
    const timeline: TimelineEntry[] = [];
    const fresh = new Set<string>();
    const entry = (w: Working, kind: string, payload: Record<string, unknown>, at = now) => {
      timeline.push({ incidentId: w.row.id, orgId, at, kind, payload });
      w.changes.push(kind);
    };
    const nodeOf = new Map<string, NodeKey | null>();
    const node = (a: Pick<IncidentAlertRow, 'alert_id' | 'subject_kind' | 'subject_id' | 'labels'>) => {
      if (!nodeOf.has(a.alert_id)) nodeOf.set(a.alert_id, nodeOfAlert(loaded, a.subject_kind && a.subject_id ? { kind: a.subject_kind, id: a.subject_id } : null, a.labels as Record<string, string>));
      return nodeOf.get(a.alert_id)!;
    };
    const windowMs = settings.correlation_window_seconds * 1000;

    for (const e of alertEvents) {
      const p = e.payload;
      if (p.to === 'firing') {
        if ([...working.values()].some((w) => w.alerts.get(p.alert_id)?.state === 'firing')) continue;
        const subject = p.subject ?? null;
        const at = e.at.getTime();
        nodeOf.set(p.alert_id, nodeOfAlert(loaded, subject, p.labels));
        const alertNode = nodeOf.get(p.alert_id)!;
        const views: IncidentView[] = [...working.values()].map((w) => ({
          id: w.row.id, openedAt: new Date(w.row.opened_at).getTime(),
          alerts: [...w.alerts.values()].map((a) => ({ alertId: a.alert_id, node: node(a), firingSince: new Date(a.firing_since).getTime(), resolvedAt: a.resolved_at ? new Date(a.resolved_at).getTime() : null })),
          rootCause: ((w.patch.root_cause ?? w.row.root_cause) as { node?: NodeKey } | null)?.node ?? null,
        }));
        let w = working.get(incidentFor(loaded.graph, { alertId: p.alert_id, node: alertNode, firingSince: at, resolvedAt: null }, views, windowMs) ?? '');
        if (!w) {
          const number = await this.repo.nextNumber(trx, orgId);
          const row = await this.repo.insertIncident(trx, {
            id: newId('incident'), org_id: orgId, number, title: p.labels.alertname ?? p.rule_id, severity: p.severity, team_id: p.team_id,
            opened_at: now, first_failure_at: e.at, last_alert_at: e.at, service_ids: [], team_ids: [p.team_id], auto_resolve: settings.auto_resolve,
          });
          w = { row, alerts: new Map(), patch: {}, changes: [], isNew: true };
          working.set(row.id, w);
          entry(w, 'opened', { alert_id: p.alert_id, rule: p.labels.alertname ?? p.rule_id }, e.at);
        }
        const row: IncidentAlertRow = {
          incident_id: w.row.id, alert_id: p.alert_id, org_id: orgId, rule_id: p.rule_id, rule_name: p.labels.alertname ?? p.rule_id, team_id: p.team_id, severity: p.severity,
          subject_kind: subject?.kind ?? null, subject_id: subject?.id ?? null, labels: p.labels, state: 'firing', firing_since: e.at, resolved_at: null,
          notification: 'sent', hold_reason: null, hold_until: null, released_at: null,
        };
        await this.repo.insertAlert(trx, row);
        const prev = w.alerts.get(p.alert_id);
        w.alerts.set(p.alert_id, { ...row, notification: prev?.notification === 'held' ? 'sent' : row.notification });
        w.patch.last_alert_at = e.at;
        fresh.add(p.alert_id);
        entry(w, prev ? 'alert_refired' : 'alert_added', { alert_id: p.alert_id, rule: row.rule_name, severity: p.severity, ...(alertNode ? { node: alertNode, subject: nodeName(loaded.graph, alertNode) } : {}), labels: p.labels }, e.at);
      } else {
        for (const w of working.values()) {
          const a = w.alerts.get(p.alert_id);
          if (!a || a.state !== 'firing') continue;
          w.alerts.set(p.alert_id, { ...a, state: 'resolved', resolved_at: e.at });
          await this.repo.updateAlert(trx, w.row.id, p.alert_id, { state: 'resolved', resolved_at: e.at });
          entry(w, 'alert_resolved', { alert_id: p.alert_id, rule: a.rule_name, was: a.notification }, e.at);
          }
      }
    }

    for (const w of working.values()) await this.settle(trx, orgId, w, loaded, settings, now, fresh, out, entry, node);
    await this.mergeSameRoot(trx, [...working.values()], now, out, entry);
    await this.repo.addTimeline(trx, [...released, ...timeline]);
    for (const w of working.values()) w.patch = changedFields(w.row, w.patch);
    const changed = [...working.values()].filter((w) => w.changes.length > 0 || Object.keys(w.patch).length > 0);
    for (const w of changed) await this.repo.updateIncident(trx, w.row.id, w.patch, now);
    await this.events.append(
      trx,
      changed.map((w) => ({ orgId, kind: 'incident.changed' as const, at: now, payload: { incident_id: w.row.id, number: w.row.number, state: (w.patch.state ?? w.row.state) as IncidentState, change: [...new Set(w.changes)].join(',') || 'updated' } })),
    );
    return out;
  }

  /**
   * Open incidents that turned out to share their root cause become one: alerts can open an
   * incident of their own before the failure that connects them is seen (a caller's check fails a
   * moment before its dependency's). The younger ones' alerts move into the oldest, which lists
   * their services and teams; each younger one resolves with a timeline entry naming the one it
   * was merged into (and its informational notices resolve).
   */
  private async mergeSameRoot(trx: Db, incidents: Working[], now: Date, out: CorrelationOutcome, entry: (w: Working, kind: string, payload: Record<string, unknown>, at?: Date) => void): Promise<void> {
    const byRoot = new Map<string, Working[]>();
    for (const w of incidents) {
      const state = w.patch.state ?? w.row.state;
      const root = ((w.patch.root_cause !== undefined ? w.patch.root_cause : w.row.root_cause) as { node?: string } | null)?.node;
      if (state === 'resolved' || !root) continue;
      byRoot.set(root, [...(byRoot.get(root) ?? []), w]);
    }
    for (const group of byRoot.values()) {
      if (group.length < 2) continue;
      group.sort((a, b) => new Date(a.row.opened_at).getTime() - new Date(b.row.opened_at).getTime() || a.row.number - b.row.number);
      const [target, ...sources] = group as [Working, ...Working[]];
      for (const source of sources) {
        const moved = await this.repo.moveAlerts(trx, source.row.id, target.row.id);
        for (const a of source.alerts.values()) target.alerts.set(a.alert_id, { ...a, incident_id: target.row.id });
        source.alerts.clear();
        const services = (w: Working) => w.patch.service_ids ?? w.row.service_ids;
        const teams = (w: Working) => w.patch.team_ids ?? w.row.team_ids;
        target.patch.service_ids = [...new Set([...services(target), ...services(source)])].sort();
        target.patch.team_ids = [...new Set([...teams(target), ...teams(source)])].sort();
        const earlier = (a: Date | string, b: Date | string) => (new Date(a).getTime() <= new Date(b).getTime() ? new Date(a) : new Date(b));
        target.patch.first_failure_at = earlier(target.patch.first_failure_at ?? target.row.first_failure_at, source.row.first_failure_at);
        target.patch.severity = [target.patch.severity ?? target.row.severity, source.patch.severity ?? source.row.severity].sort((a, b) => rank(a) - rank(b))[0]!;
        entry(target, 'merged', { incident_id: source.row.id, number: source.row.number, alerts: moved });
        entry(source, 'resolved', { from: source.patch.state ?? source.row.state, to: 'resolved', auto: true, merged_into: { incident_id: target.row.id, number: target.row.number }, reason: `merged into incident #${target.row.number}: the same root cause` });
        source.patch.state = 'resolved';
        source.patch.resolved_at = now;
        for (const teamId of await this.repo.noticedTeams(trx, source.row.id)) out.noticesResolved.push(noticeId(source.row.id, teamId));
      }
    }
  }

  /** Records that an informational notice went to a team (a route that asks for notices took it). */
  async noticeSent(trx: Db, orgId: string, notice: NonNullable<RoutableAlert['notice']>, at: Date): Promise<void> {
    await this.repo.addTimeline(trx, [{ incidentId: notice.incidentId, orgId, at, kind: 'notice_sent', payload: { team_id: notice.teamId, services: notice.services } }]);
  }

  /** Sends the held pages of resolved incidents whose alerts still fire; returns their timeline entries. */
  private async releaseClosed(trx: Db, orgId: string, incidentIds: readonly string[], now: Date, out: CorrelationOutcome): Promise<TimelineEntry[]> {
    const held = (await this.repo.alertsOf(trx, incidentIds)).filter((a) => a.notification === 'held' && a.state === 'firing');
    const entries: TimelineEntry[] = [];
    for (const a of held) {
      const incident = await this.repo.incidentState(trx, a.incident_id);
      if (incident !== 'resolved') continue;
      await this.repo.updateAlert(trx, a.incident_id, a.alert_id, { notification: 'released', released_at: now, hold_until: null });
      entries.push({ incidentId: a.incident_id, orgId, at: now, kind: 'notification_released', payload: { alert_id: a.alert_id, rule: a.rule_name, team_id: a.team_id, why: 'the incident was resolved while this alert still fires' } });
      out.release.push({ rule_id: a.rule_id, alert_id: a.alert_id, team_id: a.team_id, severity: a.severity, labels: a.labels as Record<string, string>, value: null, startsAt: new Date(a.firing_since) });
    }
    return entries;
  }

  /** Root cause, state, holds and notices of one open incident after this batch's alerts. */
  private async settle(
    trx: Db, orgId: string, w: Working, loaded: LoadedGraph, settings: IncidentSettings, now: Date, fresh: ReadonlySet<string>, out: CorrelationOutcome,
    entry: (w: Working, kind: string, payload: Record<string, unknown>, at?: Date) => void,
    node: (a: IncidentAlertRow) => NodeKey | null,
  ): Promise<void> {
    const alerts = [...w.alerts.values()];
    const firing = alerts.filter((a) => a.state === 'firing');
    const { graph } = loaded;
    const previous = (w.row.root_cause as IncidentDescription['rootCause'] | null) ?? null;
    let described: IncidentDescription | undefined;
    const failingNow = (n: NodeKey) => { const h = graph.health.get(n); return isFailing(h) || h?.state === 'degraded'; };
    const nodes = [...new Set(firing.map(node).filter((n): n is NodeKey => n !== null))];
    // Alerts lag states by an evaluation: while no node of the incident fails any more, the last
    // analysis stands (the alerts are about to resolve), rather than "no root cause".
    if (firing.length > 0 && (nodes.some(failingNow) || previous === null)) {
      described = describeIncident(loaded, analyzeRootCause(graph, nodes), alerts.map((a) => ({ team_id: a.team_id, node: node(a), severity: a.severity, rule_name: a.rule_name })));
      // A root cause that just recovered keeps its place while what depended on it catches up (its
      // dependents' checks recover at their next interval): no new root cause among them, no page.
      if (previous && described.rootCause && described.rootCause.node !== previous.node && recoveredWithin(graph, previous.node, now.getTime(), settings.root_cause_grace_seconds * 1000) && dependsInGraph(graph, described.rootCause.node, previous.node)) described = undefined;
    }
    if (described) {
      const root = described.rootCause;
      if ((root?.node ?? null) !== (previous?.node ?? null)) {
        entry(w, 'root_cause', root ? { ...root, ...(previous ? { previous: previous.node } : {}) } : { node: null, previous: previous?.node ?? null, description: 'No probable root cause: no failing node explains the failures (latency alone is never named).' });
        if (root) w.patch.team_id = root.team_id;
      }
      Object.assign(w.patch, {
        root_cause: root, candidates: described.candidates, impacted: accumulate(w.row.impacted, described.impacted), evidence: described.evidence,
        service_ids: [...new Set([...w.row.service_ids, ...described.serviceIds])].sort(), team_ids: [...new Set([...w.row.team_ids, ...described.teamIds, ...alerts.map((a) => a.team_id)])].sort(),
        severity: alerts.map((a) => a.severity).sort((a, b) => rank(a) - rank(b))[0] ?? w.row.severity, title: described.title,
      } satisfies IncidentPatch);
      if (!root && w.isNew) w.patch.team_id = w.row.team_id;
    }

    // The incident's state moves with what happens, never against a person's choice in between:
    // identified when a root cause is first named (or changes), back from monitoring when an alert
    // fires again, monitoring when its last firing alert resolves, resolved after the quiet time.
    const state = (to: IncidentState, reason: string) => {
      const from = (w.patch.state ?? w.row.state) as IncidentState;
      if (from === to) return;
      w.patch.state = to;
      entry(w, to === 'resolved' ? 'resolved' : 'state', { from, to, reason, ...(to === 'resolved' ? { auto: true } : {}) });
    };
    const rootNow = described ? described.rootCause : previous;
    const current = w.row.state;
    const firedNow = alerts.some((a) => fresh.has(a.alert_id));
    const resolvedNow = w.changes.includes('alert_resolved');
    const rootNamedNow = rootNow !== null && rootNow.node !== (previous?.node ?? null);
    if (firing.length > 0) {
      if (current === 'monitoring' && firedNow) {
        state(rootNow ? 'identified' : 'investigating', 'an alert fires again');
        w.patch.monitoring_since = null;
      } else if (current === 'investigating' && rootNamedNow) state('identified', 'the probable root cause is named');
      if ((w.patch.state ?? current) === 'identified' && !w.row.identified_at) w.patch.identified_at = now;
    } else if ((current === 'investigating' || current === 'identified') && resolvedNow) {
      state('monitoring', 'every alert resolved');
      w.patch.monitoring_since = now;
    } else if (current === 'monitoring' && w.row.auto_resolve && settings.auto_resolve && w.row.monitoring_since && now.getTime() - new Date(w.row.monitoring_since).getTime() >= settings.resolve_after_seconds * 1000) {
      state('resolved', `no alert fired for ${settings.resolve_after_seconds}s after every alert resolved`);
      w.patch.resolved_at = now;
      for (const teamId of await this.repo.noticedTeams(trx, w.row.id)) out.noticesResolved.push(noticeId(w.row.id, teamId));
    }

    // Holds: pages go to the root cause's owner.
    const rootNode = rootNow?.node ?? null;
    const reach = new Map<NodeKey, ReadonlySet<NodeKey>>();
    const settleUntil = new Date(w.row.opened_at).getTime() + ROOT_CAUSE_SETTLE_MS;
    const decision = decideHolds({
      rootCause: rootNode, rootFailing: rootNode !== null && isFailing(graph.health.get(rootNode)), now: now.getTime(), graceMs: settings.root_cause_grace_seconds * 1000,
      rootUnconfirmed: rootNode !== null && now.getTime() < settleUntil && hasDependencies(graph, rootNode), settleUntil,
      rootRecovered: rootNode !== null && recoveredWithin(graph, rootNode, now.getTime(), settings.root_cause_grace_seconds * 1000),
      dependsOnRoot: (n) => {
        if (!reach.has(n)) reach.set(n, failureReach(graph, n));
        return rootNode !== null && reach.get(n)!.has(rootNode);
      },
      nodeFailing: failingNow,
      alerts: alerts.map((a) => ({ alertId: a.alert_id, node: node(a), state: a.state, notification: a.notification, holdReason: a.hold_reason as HoldReason | null, holdUntil: a.hold_until ? new Date(a.hold_until).getTime() : null, fresh: fresh.has(a.alert_id) })),
    });
    const newlyHeldTeams = new Set<string>();
    for (const h of [...decision.hold, ...decision.rehold]) {
      const a = w.alerts.get(h.alertId)!;
      const isNew = decision.hold.includes(h);
      await this.repo.updateAlert(trx, w.row.id, h.alertId, { notification: 'held', hold_reason: h.reason, hold_until: h.until === null ? null : new Date(h.until) });
      w.alerts.set(h.alertId, { ...a, notification: 'held', hold_reason: h.reason, hold_until: h.until === null ? null : new Date(h.until) });
      if (isNew) {
        out.held.add(h.alertId);
        newlyHeldTeams.add(a.team_id);
        entry(w, 'notification_held', { alert_id: h.alertId, rule: a.rule_name, team_id: a.team_id, reason: h.reason, ...(h.until !== null ? { until: new Date(h.until).toISOString() } : {}), root_cause: rootNode });
      }
    }
    for (const r of decision.release) {
      const a = w.alerts.get(r.alertId)!;
      await this.repo.updateAlert(trx, w.row.id, r.alertId, { notification: 'released', released_at: now, hold_until: null });
      w.alerts.set(r.alertId, { ...a, notification: 'released', released_at: now, hold_until: null });
      entry(w, 'notification_released', { alert_id: r.alertId, rule: a.rule_name, team_id: a.team_id, why: r.why });
      out.release.push({ rule_id: a.rule_id, alert_id: a.alert_id, team_id: a.team_id, severity: a.severity, labels: a.labels as Record<string, string>, value: null, startsAt: new Date(a.firing_since) });
    }

    // At most one informational notice per impacted team (other than the owner's), where its policy asks.
    const owner = (w.patch.team_id ?? w.row.team_id) ?? null;
    const teams = [...newlyHeldTeams].filter((t) => t !== owner);
    if (teams.length && rootNow) {
      const noticed = await this.repo.noticedTeams(trx, w.row.id);
      for (const teamId of teams.filter((t) => !noticed.has(t))) {
        const heldOfTeam = [...w.alerts.values()].filter((a) => a.team_id === teamId && a.notification === 'held');
        const services = [...new Set(heldOfTeam.map((a) => (a.labels as Record<string, string>).service ?? (node(a) ? nodeName(graph, node(a)!) : undefined)).filter((s): s is string => !!s))];
        const teamLabel = alerts.find((a) => a.team_id === teamId)?.labels as Record<string, string> | undefined;
        out.notices.push({
          rule_id: w.row.id, alert_id: noticeId(w.row.id, teamId), team_id: teamId, severity: 'info', value: null, startsAt: now,
          labels: { alertname: 'dependency-incident', severity: 'info', team: teamLabel?.team ?? teamId, incident: `#${w.row.number}`, ...(services.length ? { service: services.join(', ') } : {}), root_cause: rootNow.name },
          notice: { incidentId: w.row.id, teamId, services },
          annotations: { message: `Incident #${w.row.number}: ${services.length ? services.join(', ') : 'your services'} are impacted by ${rootNow.description}. The owning team (${rootNow.team_name}) is paged; your alerts are held back while it works on it.` },
        });
      }
    }
  }
}
