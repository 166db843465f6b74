import type { ResultStatus } from '../../contract/result.schema.ts';
import type { State } from '../../contract/state.schema.ts';
import type { Db } from '../../db/database.ts';
import { evaluateSlot, initialSlot, monitorState, worstState } from './state.machine.ts';
import { slotStateKey, type CauseChange, type SlotStateRow, type StateRepository, type TransitionRecord } from './state.repository.ts';

/** What the evaluator needs to know of a monitor. */
export interface MonitorFacts {
  id: string;
  serviceId: string;
  /** The dependency edge the monitor checks; its state follows the monitor's as well. */
  dependencyId: string | null;
  enabled: boolean;
  failureThreshold: number;
  recoveryThreshold: number;
  minFailedRegions: number;
  regions: readonly string[];
}

/** An observation to apply to a slot: a check result, or a heartbeat verdict. */
export interface Observation {
  monitorId: string;
  region: string;
  resultId: string;
  at: Date;
  status: ResultStatus;
  error?: string | undefined;
}

export interface AppliedState {
  transitions: TransitionRecord[];
  /** Slots that are failing but not yet down, after this batch. */
  wantConfirmation: Array<{ monitorId: string; region: string }>;
}

/** Where a rebalance left the slots it considered. */
export interface SlotPlacement {
  /** Every slot the rebalance considered. */
  slots: ReadonlyArray<{ monitorId: string; region: string }>;
  /** Of those, the slots no live runner can take. */
  unplaced: ReadonlyArray<{ monitorId: string; region: string }>;
  /** The monitors considered; absent: every monitor of the organization. */
  monitorIds?: readonly string[] | undefined;
}

const keyOf = slotStateKey;

/**
 * Turns observations into slot, monitor and service states inside the caller's transaction.
 * Late observations (older than the slot's last one) are stored but do not rewrite state.
 */
export class StateService {
  constructor(private readonly repo: StateRepository) {}

  /**
   * `locked`: the slot states, already locked in this transaction, of at least the observations'
   * slots (ingest locks them in the statement that stores the results); absent, they are locked here.
   */
  async apply(trx: Db, orgId: string, observations: readonly Observation[], monitors: ReadonlyMap<string, MonitorFacts>, locked?: ReadonlyMap<string, SlotStateRow>): Promise<AppliedState> {
    const bySlot = new Map<string, Observation[]>();
    for (const o of observations) {
      const same = bySlot.get(keyOf(o));
      if (same) same.push(o);
      else bySlot.set(keyOf(o), [o]);
    }
    const slotKeys = [...bySlot.values()].map((list) => ({ monitorId: list[0]!.monitorId, region: list[0]!.region }));
    const stored = locked ?? (await this.repo.lockSlots(trx, slotKeys));
    const transitions: TransitionRecord[] = [];
    const wantConfirmation: AppliedState['wantConfirmation'] = [];
    const saved: SlotStateRow[] = [];
    const changedMonitors = new Map<string, Date>();

    for (const [key, list] of bySlot) {
      const monitor = monitors.get(list[0]!.monitorId);
      if (!monitor) continue;
      list.sort((a, b) => a.at.getTime() - b.at.getTime());
      const first = list[0]!;
      let slot: SlotStateRow = stored.get(key) ?? { ...initialSlot(first.at), monitorId: first.monitorId, region: first.region, lastResultId: null, lastResultAt: null, lastError: null, cause: null };
      let wants = false;
      let applied = false;
      for (const o of list) {
        if (slot.lastResultAt && o.at.getTime() <= slot.lastResultAt.getTime()) continue;
        const step = evaluateSlot(slot, o.status, o.at, { failure_threshold: monitor.failureThreshold, recovery_threshold: monitor.recoveryThreshold });
        if (step.changed) {
          transitions.push({ orgId, subjectType: 'slot', subjectId: o.monitorId, region: o.region, from: slot.state, to: step.next.state, at: o.at, cause: { result_id: o.resultId, status: o.status, ...(o.error ? { error: o.error } : {}) } });
          changedMonitors.set(o.monitorId, o.at);
        }
        slot = { ...slot, ...step.next, lastResultId: o.resultId, lastResultAt: o.at, lastError: o.status === 'up' ? null : (o.error ?? slot.lastError), cause: null };
        wants = step.wantsConfirmation;
        applied = true;
      }
      if (!applied) continue;
      saved.push(slot);
      if (wants) wantConfirmation.push({ monitorId: slot.monitorId, region: slot.region });
      if (!stored.has(key) && !changedMonitors.has(slot.monitorId)) changedMonitors.set(slot.monitorId, slot.lastResultAt ?? first.at);
    }
    await this.repo.saveSlots(trx, orgId, saved);
    const followers = await this.applyMonitors(trx, orgId, changedMonitors, monitors, transitions);
    await this.applyServices(trx, orgId, followers.services, transitions);
    await this.applyEdges(trx, orgId, followers.edges, transitions);
    await this.repo.addTransitions(trx, transitions);
    return { transitions, wantConfirmation };
  }

  /**
   * Records slots no live runner can take as unknown with cause no_runner (a transition when the
   * state changes; monitor and service states follow), clears the cause of slots a runner took
   * (their state proceeds with the first result), and drops such rows of slots that no longer
   * exist. Runs in the rebalance's transaction.
   */
  async recordPlacement(trx: Db, orgId: string, placement: SlotPlacement, monitors: ReadonlyMap<string, MonitorFacts>, at = new Date()): Promise<TransitionRecord[]> {
    const existing = new Set(placement.slots.map(keyOf));
    const unplaced = new Set(placement.unplaced.map(keyOf));
    // Only no_runner is placement's to set and clear; no_data belongs to the no-data sweep and clears with a result.
    const flagged = await this.repo.slotsWithCause(trx, orgId, 'no_runner', placement.monitorIds);
    const flaggedKeys = new Set(flagged.map(keyOf));
    const cleared = flagged.filter((s) => existing.has(keyOf(s)) && !unplaced.has(keyOf(s)));
    await this.repo.clearCause(trx, cleared);
    await this.repo.deleteSlots(trx, flagged.filter((s) => !existing.has(keyOf(s))));
    const causes: CauseChange[] = cleared.map((s) => ({ orgId, monitorId: s.monitorId, region: s.region, cause: null, at }));
    const fresh = placement.unplaced.filter((s) => !flaggedKeys.has(keyOf(s)));
    if (fresh.length === 0) {
      await this.repo.addTransitions(trx, [], causes);
      return [];
    }
    const stored = await this.repo.lockSlots(trx, fresh);
    const transitions: TransitionRecord[] = [];
    const saved: SlotStateRow[] = [];
    const changed = new Map<string, Date>();
    for (const slot of fresh) {
      const before = stored.get(keyOf(slot));
      if (before && before.state !== 'unknown') {
        transitions.push({ orgId, subjectType: 'slot', subjectId: slot.monitorId, region: slot.region, from: before.state, to: 'unknown', at, cause: { reason: 'no_runner' } });
        changed.set(slot.monitorId, at);
      } else causes.push({ orgId, monitorId: slot.monitorId, region: slot.region, cause: 'no_runner', at });
      const base: SlotStateRow = before ?? { ...initialSlot(at), monitorId: slot.monitorId, region: slot.region, lastResultId: null, lastResultAt: null, lastError: null, cause: null };
      saved.push({ ...base, state: 'unknown', since: before?.state === 'unknown' ? before.since : at, failures: 0, degraded: 0, successes: 0, cause: 'no_runner' });
    }
    await this.repo.saveSlots(trx, orgId, saved);
    const followers = await this.applyMonitors(trx, orgId, changed, monitors, transitions);
    await this.applyServices(trx, orgId, followers.services, transitions);
    await this.applyEdges(trx, orgId, followers.edges, transitions);
    await this.repo.addTransitions(trx, transitions, causes);
    return transitions;
  }

  /**
   * Records quiet slots as unknown with cause no_data (a transition when the state changes; monitor
   * and service states follow). Each slot is re-read under its row lock and skipped unless it is
   * still quiet for `thresholdMs(monitorId)` at `at` and has no cause: a result committed since the
   * scan wins. Runs in the caller's transaction; returns the slots marked.
   */
  async recordNoData(
    trx: Db,
    orgId: string,
    quiet: ReadonlyArray<{ monitorId: string; region: string; assignedAt: Date | null; stored: boolean }>,
    monitors: ReadonlyMap<string, MonitorFacts>,
    thresholdMs: (monitorId: string) => number,
    at = new Date(),
  ): Promise<{ marked: Array<{ monitorId: string; region: string }>; transitions: TransitionRecord[] }> {
    const stored = await this.repo.lockSlots(trx, quiet.filter((q) => q.stored));
    const transitions: TransitionRecord[] = [];
    const causes: CauseChange[] = [];
    const updated: SlotStateRow[] = [];
    const inserted: SlotStateRow[] = [];
    const changed = new Map<string, Date>();
    for (const q of quiet) {
      const before = stored.get(keyOf(q));
      if (q.stored && !before) continue; // deleted since the scan
      if (before?.cause) continue;
      const quietSince = Math.max(before?.lastResultAt?.getTime() ?? 0, before?.since.getTime() ?? 0, q.assignedAt?.getTime() ?? 0);
      if (at.getTime() - quietSince <= thresholdMs(q.monitorId)) continue;
      const quietIso = new Date(quietSince).toISOString();
      if (before && before.state !== 'unknown') {
        transitions.push({ orgId, subjectType: 'slot', subjectId: q.monitorId, region: q.region, from: before.state, to: 'unknown', at, cause: { reason: 'no_data', quiet_since: quietIso } });
        changed.set(q.monitorId, at);
      } else causes.push({ orgId, monitorId: q.monitorId, region: q.region, cause: 'no_data', at });
      const base: SlotStateRow = before ?? { ...initialSlot(at), monitorId: q.monitorId, region: q.region, lastResultId: null, lastResultAt: null, lastError: null, cause: null };
      const row: SlotStateRow = { ...base, state: 'unknown', since: before?.state === 'unknown' ? before.since : at, failures: 0, degraded: 0, successes: 0, cause: 'no_data' };
      (before ? updated : inserted).push(row);
    }
    await this.repo.saveSlots(trx, orgId, updated);
    await this.repo.insertSlotsIfAbsent(trx, orgId, inserted);
    const followers = await this.applyMonitors(trx, orgId, changed, monitors, transitions);
    await this.applyServices(trx, orgId, followers.services, transitions);
    await this.applyEdges(trx, orgId, followers.edges, transitions);
    await this.repo.addTransitions(trx, transitions, causes);
    return { marked: [...updated, ...inserted].map((s) => ({ monitorId: s.monitorId, region: s.region })), transitions };
  }

  /** Recomputes monitor states from their slots; returns the services and edges whose monitors changed state. */
  async applyMonitors(trx: Db, orgId: string, changed: ReadonlyMap<string, Date>, monitors: ReadonlyMap<string, MonitorFacts>, transitions: TransitionRecord[]): Promise<{ services: Map<string, Date>; edges: Map<string, Date> }> {
    const ids = [...changed.keys()].sort();
    const current = await this.repo.lockMonitors(trx, ids);
    const slots = await this.repo.slotsOf(trx, ids);
    const assigned = await this.repo.assignedRegions(trx, ids);
    const services = new Map<string, Date>();
    const edges = new Map<string, Date>();
    const slotsByMonitor = new Map<string, typeof slots>();
    for (const s of slots) slotsByMonitor.set(s.monitor_id, [...(slotsByMonitor.get(s.monitor_id) ?? []), s]);
    for (const id of ids) {
      const m = monitors.get(id);
      if (!m) continue;
      const at = changed.get(id)!;
      const own = slotsByMonitor.get(id) ?? [];
      // Regions that count: those configured, or (none configured) those that run it now or just reported.
      const relevant = m.regions.length ? new Set(m.regions) : new Set([...(assigned.get(id) ?? []), ...own.filter((s) => s.last_result_at && new Date(s.last_result_at).getTime() >= at.getTime()).map((s) => s.region)]);
      const regionStates = own.filter((s) => relevant.has(s.region)).map((s) => s.state as State);
      const state = monitorState(regionStates, m.minFailedRegions, m.enabled);
      const before = current.get(id);
      const down = regionStates.filter((s) => s === 'down').length;
      if (!before || before.state !== state) {
        transitions.push({ orgId, subjectType: 'monitor', subjectId: id, region: null, from: before?.state ?? 'unknown', to: state, at, cause: { regions_down: down, regions: regionStates.length } });
        services.set(m.serviceId, at);
        if (m.dependencyId) edges.set(m.dependencyId, at);
      }
      await this.repo.saveMonitor(trx, orgId, id, state, before && before.state === state ? before.since : at, down, regionStates.length);
    }
    return { services, edges };
  }

  /** A service is as bad as its worst enabled monitor. */
  async applyServices(trx: Db, orgId: string, changed: ReadonlyMap<string, Date>, transitions: TransitionRecord[]): Promise<void> {
    const ids = [...changed.keys()].sort();
    const current = await this.repo.lockServices(trx, ids);
    const worst = await this.repo.worstMonitorStates(trx, ids);
    for (const id of ids) {
      const state = worst.get(id) ?? 'unknown';
      const before = current.get(id);
      const at = changed.get(id)!;
      if (before && before.state === state) continue;
      transitions.push({ orgId, subjectType: 'service', subjectId: id, region: null, from: before?.state ?? 'unknown', to: state, at, cause: {} });
      await this.repo.saveService(trx, orgId, id, state, at);
    }
  }

  /**
   * An edge is as bad as the worst enabled monitor that names it, as a service is of its monitors.
   * An edge no enabled monitor names has no state row: it reads as unmonitored (unknown), and
   * leaving a known state for it is a transition to unknown. `without`: monitors to leave out (one
   * being deleted in the same transaction).
   */
  async applyEdges(trx: Db, orgId: string, changed: ReadonlyMap<string, Date>, transitions: TransitionRecord[], without: ReadonlySet<string> = new Set()): Promise<void> {
    const ids = [...changed.keys()].sort();
    if (ids.length === 0) return;
    const current = await this.repo.lockEdges(trx, ids);
    const ends = await this.repo.edgeEnds(trx, orgId, ids);
    const rows = (await this.repo.monitorStatesOfEdges(trx, orgId, ids)).filter((r) => !without.has(r.id));
    for (const id of ids) {
      const end = ends.get(id);
      if (!end) continue; // the edge is gone (its state row went with it)
      const at = changed.get(id)!;
      const before = current.get(id);
      const cause = { from_service_id: end.serviceId, to_service_id: end.dependsOnServiceId };
      const own = rows.filter((r) => r.dependency_id === id);
      if (own.length === 0) {
        if (!before) continue;
        if (before.state !== 'unknown') transitions.push({ orgId, subjectType: 'edge', subjectId: id, region: null, from: before.state, to: 'unknown', at, cause });
        await this.repo.deleteEdge(trx, id);
        continue;
      }
      const state = worstState(own.map((r) => (r.state ?? 'unknown') as State));
      if (before && before.state === state) continue;
      // A newly monitored edge starts unknown without a transition (nothing changed for anyone reading it).
      if (before || state !== 'unknown') transitions.push({ orgId, subjectType: 'edge', subjectId: id, region: null, from: before?.state ?? 'unknown', to: state, at, cause });
      await this.repo.saveEdge(trx, orgId, id, state, at);
    }
  }

  /**
   * Recomputes these edges from their monitors inside the caller's transaction, recording the
   * transitions and their events: after a monitor starts or stops naming an edge, is disabled or
   * enabled, or is deleted (`without` it).
   */
  async recomputeEdges(trx: Db, orgId: string, dependencyIds: Iterable<string>, at = new Date(), without: ReadonlySet<string> = new Set()): Promise<TransitionRecord[]> {
    const transitions: TransitionRecord[] = [];
    // A monitor being deleted: its state rows go with it (cascade) after the edges are locked; lock them first, as ingest does.
    await this.repo.lockMonitorRows(trx, [...without].sort());
    await this.applyEdges(trx, orgId, new Map([...new Set(dependencyIds)].map((id) => [id, at])), transitions, without);
    await this.repo.addTransitions(trx, transitions);
    return transitions;
  }
}
