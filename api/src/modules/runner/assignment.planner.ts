import { createHash } from 'node:crypto';
import type { MonitorSpec } from '../monitors/monitor-spec.ts';
import { groupBy } from '../../shared/group-by.ts';

// Pure assignment planning: which live runner owns each monitor×region slot. Sticky (a slot stays
// with its runner while that runner is live, eligible and not overloaded) and balanced (new and
// orphaned slots go to the least-loaded eligible runner, overloaded runners shed slots).

export interface PlannedSlot {
  monitorId: string;
  region: string;
  /** Labels a runner must carry (from run_from.zone / run_from.labels). */
  selector: Record<string, string>;
  type: string;
}

export interface PlannerRunner {
  id: string;
  region: string;
  labels: Record<string, string>;
  capabilities: readonly string[];
  /** The runner's token says it also serves the general pool although its labels name a zone. */
  servesGeneralPool?: boolean;
}

export const slotKey = (monitorId: string, region: string) => `${monitorId}@${region}`;

/**
 * Whether a runner may own a slot. A monitor that names no zone belongs to the general pool of its
 * region and never runs from inside a zone (a zone is a network namespace that may not reach what a
 * general monitor checks), unless the zone runner's token says it also serves the general pool.
 */
export const canRun = (slot: PlannedSlot, runner: PlannerRunner): boolean =>
  runner.region === slot.region &&
  runner.capabilities.includes(slot.type) &&
  Object.entries(slot.selector).every(([k, v]) => runner.labels[k] === v) &&
  (slot.selector.zone !== undefined || !runner.labels.zone || runner.servesGeneralPool === true);

/** What a monitor's spec says about where it runs (the fields the planner reads). */
export type PlacementSpec = Pick<MonitorSpec, 'enabled' | 'regions' | 'runFrom'>;

/**
 * Slots of one monitor: every listed region; none listed, every region with a live runner that can
 * run it, or (no such runner anywhere) every region with live runners, so the gap is reported.
 */
export function monitorSlots(id: string, type: string, spec: PlacementSpec, live: readonly PlannerRunner[]): PlannedSlot[] {
  if (!spec.enabled || type === 'heartbeat') return [];
  const selector = { ...spec.runFrom.labels, ...(spec.runFrom.zone ? { zone: spec.runFrom.zone } : {}) };
  if (spec.regions.length) return spec.regions.map((region) => ({ monitorId: id, region, selector, type }));
  const able = new Set(live.filter((r) => canRun({ monitorId: id, region: r.region, selector, type }, r)).map((r) => r.region));
  const regions = able.size ? able : new Set(live.map((r) => r.region));
  return [...regions].sort().map((region) => ({ monitorId: id, region, selector, type }));
}

/** Slots that no live runner can take (no runner of the region, zone, labels or capability). */
export function unplaceable(slots: readonly PlannedSlot[], runners: readonly PlannerRunner[]): PlannedSlot[] {
  return slots.filter((slot) => !runners.some((r) => canRun(slot, r)));
}

// Rendezvous hash: a stable tie-break, so equal loads do not reshuffle slots between plans.
const score = (slot: string, runner: string) => createHash('sha1').update(`${slot}|${runner}`).digest().readUInt32BE(0);

/**
 * slot key → runner id for every slot some live runner can take; slots no runner can take are absent.
 * With `otherLoad` the slots are a subset (monitors that just changed): each runner starts with the
 * number of other slots it owns, and no runner is asked to shed slots.
 */
export function planAssignments(slots: readonly PlannedSlot[], runners: readonly PlannerRunner[], current: ReadonlyMap<string, string>, otherLoad?: ReadonlyMap<string, number>): Map<string, string> {
  const plan = new Map<string, string>();
  const load = new Map(runners.map((r) => [r.id, otherLoad?.get(r.id) ?? 0]));
  const byRegion = groupBy(slots, (slot) => slot.region);

  for (const [region, regionSlots] of byRegion) {
    const regionRunners = runners.filter((r) => r.region === region);
    if (regionRunners.length === 0) continue;
    const candidates = new Map(regionSlots.map((s) => [slotKey(s.monitorId, s.region), regionRunners.filter((r) => canRun(s, r))]));
    // A runner's fair share: each slot split evenly between the runners that can take it. Pools of
    // one region differ (a zone runner takes no general slots), so one cap for the region would make
    // the general runners shed and re-take slots from each other on every plan.
    const share = new Map(regionRunners.map((r) => [r.id, 0]));
    for (const options of candidates.values()) for (const r of options) share.set(r.id, share.get(r.id)! + 1 / options.length);
    const cap = (runner: string) => (otherLoad ? Number.POSITIVE_INFINITY : Math.ceil(share.get(runner)! - 1e-9));
    const sorted = [...regionSlots].sort((a, b) => slotKey(a.monitorId, a.region).localeCompare(slotKey(b.monitorId, b.region)));
    const pending: PlannedSlot[] = [];
    // Keep current owners while they are live, eligible and under the cap.
    for (const slot of sorted) {
      const key = slotKey(slot.monitorId, slot.region);
      const owner = current.get(key);
      const options = candidates.get(key)!;
      if (owner && options.some((r) => r.id === owner) && load.get(owner)! < cap(owner)) {
        plan.set(key, owner);
        load.set(owner, load.get(owner)! + 1);
      } else if (options.length > 0) pending.push(slot);
    }
    // The rest to the least-loaded eligible runner.
    for (const slot of pending) {
      const key = slotKey(slot.monitorId, slot.region);
      let best: PlannerRunner | undefined;
      for (const r of candidates.get(key)!) {
        if (!best || load.get(r.id)! < load.get(best.id)! || (load.get(r.id) === load.get(best.id) && score(key, r.id) > score(key, best.id))) best = r;
      }
      plan.set(key, best!.id);
      load.set(best!.id, load.get(best!.id)! + 1);
    }
  }
  return plan;
}
