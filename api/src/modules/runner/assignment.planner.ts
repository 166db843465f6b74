import { createHash } from 'node:crypto';

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
}

export const slotKey = (monitorId: string, region: string) => `${monitorId}@${region}`;

const eligible = (slot: PlannedSlot, runner: PlannerRunner) =>
  runner.region === slot.region &&
  runner.capabilities.includes(slot.type) &&
  Object.entries(slot.selector).every(([k, v]) => runner.labels[k] === v);

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
  const byRegion = new Map<string, PlannedSlot[]>();
  for (const slot of slots) byRegion.set(slot.region, [...(byRegion.get(slot.region) ?? []), slot]);

  for (const [region, regionSlots] of byRegion) {
    const regionRunners = runners.filter((r) => r.region === region);
    if (regionRunners.length === 0) continue;
    const cap = otherLoad ? Number.POSITIVE_INFINITY : Math.ceil(regionSlots.length / regionRunners.length);
    const candidates = new Map(regionSlots.map((s) => [slotKey(s.monitorId, s.region), regionRunners.filter((r) => eligible(s, r))]));
    const sorted = [...regionSlots].sort((a, b) => slotKey(a.monitorId, a.region).localeCompare(slotKey(b.monitorId, b.region)));
    const pending: PlannedSlot[] = [];
    // Keep current owners while they are live, eligible and under the cap.
    for (const slot of sorted) {
      const key = slotKey(slot.monitorId, slot.region);
      const owner = current.get(key);
      const options = candidates.get(key)!;
      if (owner && options.some((r) => r.id === owner) && load.get(owner)! < cap) {
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
