import type { ResultStatus } from '../../contract/result.schema.ts';
import type { State } from '../../contract/state.schema.ts';
import type { Db } from '../../db/database.ts';
import { evaluateSlot, initialSlot, monitorState, worstState } from './state.machine.ts';
import type { SlotStateRow, StateRepository, TransitionRecord } from './state.repository.ts';

/** What the evaluator needs to know of a monitor. */
export interface MonitorFacts {
  id: string;
  serviceId: string;
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

/**
 * Turns observations into slot, monitor and service states inside the caller's transaction.
 * Late observations (older than the slot's last one) are stored but do not rewrite state.
 */
export class StateService {
  constructor(private readonly repo: StateRepository) {}

  async apply(trx: Db, orgId: string, observations: readonly Observation[], monitors: ReadonlyMap<string, MonitorFacts>): Promise<AppliedState> {
    const bySlot = new Map<string, Observation[]>();
    for (const o of observations) bySlot.set(`${o.monitorId}@${o.region}`, [...(bySlot.get(`${o.monitorId}@${o.region}`) ?? []), o]);
    const slotKeys = [...bySlot.values()].map((list) => ({ monitorId: list[0]!.monitorId, region: list[0]!.region }));
    const stored = await this.repo.lockSlots(trx, slotKeys);
    const transitions: TransitionRecord[] = [];
    const wantConfirmation: AppliedState['wantConfirmation'] = [];
    const saved: SlotStateRow[] = [];
    const changedMonitors = new Map<string, Date>();

    for (const [key, list] of bySlot) {
      const monitor = monitors.get(list[0]!.monitorId);
      if (!monitor) continue;
      list.sort((a, b) => a.at.getTime() - b.at.getTime());
      const first = list[0]!;
      let slot: SlotStateRow = stored.get(key) ?? { ...initialSlot(first.at), monitorId: first.monitorId, region: first.region, lastResultId: null, lastResultAt: null, lastError: null };
      let wants = false;
      let applied = false;
      for (const o of list) {
        if (slot.lastResultAt && o.at.getTime() <= slot.lastResultAt.getTime()) continue;
        const step = evaluateSlot(slot, o.status, o.at, { failure_threshold: monitor.failureThreshold, recovery_threshold: monitor.recoveryThreshold });
        if (step.changed) {
          transitions.push({ orgId, subjectType: 'slot', subjectId: o.monitorId, region: o.region, from: slot.state, to: step.next.state, at: o.at, cause: { result_id: o.resultId, status: o.status, ...(o.error ? { error: o.error } : {}) } });
          changedMonitors.set(o.monitorId, o.at);
        }
        slot = { ...slot, ...step.next, lastResultId: o.resultId, lastResultAt: o.at, lastError: o.status === 'up' ? null : (o.error ?? slot.lastError) };
        wants = step.wantsConfirmation;
        applied = true;
      }
      if (!applied) continue;
      saved.push(slot);
      if (wants) wantConfirmation.push({ monitorId: slot.monitorId, region: slot.region });
      if (!stored.has(key) && !changedMonitors.has(slot.monitorId)) changedMonitors.set(slot.monitorId, slot.lastResultAt ?? first.at);
    }
    await this.repo.saveSlots(trx, orgId, saved);
    const serviceChanges = await this.applyMonitors(trx, orgId, changedMonitors, monitors, transitions);
    await this.applyServices(trx, orgId, serviceChanges, transitions);
    await this.repo.addTransitions(trx, transitions);
    return { transitions, wantConfirmation };
  }

  /** Recomputes monitor states from their slots; returns services whose monitors changed state. */
  async applyMonitors(trx: Db, orgId: string, changed: ReadonlyMap<string, Date>, monitors: ReadonlyMap<string, MonitorFacts>, transitions: TransitionRecord[]): Promise<Map<string, Date>> {
    const ids = [...changed.keys()].sort();
    const current = await this.repo.lockMonitors(trx, ids);
    const slots = await this.repo.slotsOf(trx, ids);
    const assigned = await this.repo.assignedRegions(trx, ids);
    const services = new Map<string, Date>();
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
      }
      await this.repo.saveMonitor(trx, orgId, id, state, before && before.state === state ? before.since : at, down, regionStates.length);
    }
    return services;
  }

  /** A service is as bad as its worst enabled monitor. */
  async applyServices(trx: Db, orgId: string, changed: ReadonlyMap<string, Date>, transitions: TransitionRecord[]): Promise<void> {
    const ids = [...changed.keys()].sort();
    const current = await this.repo.lockServices(trx, ids);
    const rows = await this.repo.monitorStatesOfServices(trx, ids);
    for (const id of ids) {
      const state = worstState(rows.filter((r) => r.service_id === id).map((r) => (r.state ?? 'unknown') as State));
      const before = current.get(id);
      const at = changed.get(id)!;
      if (before && before.state === state) continue;
      transitions.push({ orgId, subjectType: 'service', subjectId: id, region: null, from: before?.state ?? 'unknown', to: state, at, cause: {} });
      await this.repo.saveService(trx, orgId, id, state, at);
    }
  }
}
