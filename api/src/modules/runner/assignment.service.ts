import { AsyncResource } from 'node:async_hooks';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { newId } from '../../shared/ids.ts';
import type { Logger } from '../../observability/logger.ts';
import { canRun, monitorSlots, planAssignments, slotKey, unplaceable, type PlacementSpec } from './assignment.planner.ts';
import { monitorFacts, monitorSpec } from '../monitors/monitor-spec.ts';
import type { StateService } from '../state/state.service.ts';
import type { PlacementWarning } from '../../contract/monitor.schema.ts';
import type { RunnerRepository } from './runner.repository.ts';
import { overdueTakeovers } from './takeover.policy.ts';
import type { WakeupBus } from './wakeup.bus.ts';
import { anyOf } from '../../db/any-of.ts';


const poolOf = (spec: PlacementSpec) => {
  const labels = Object.entries(spec.runFrom.labels).filter(([k]) => k !== 'zone').map(([k, v]) => `${k}=${v}`);
  const zone = spec.runFrom.zone ?? spec.runFrom.labels.zone;
  const who = zone ? `runner of zone "${zone}"` : 'general runner (one whose token names no zone, or serves_general_pool = true)';
  return labels.length ? `${who} with labels ${labels.join(', ')}` : who;
};

/**
 * Keeps slot ownership in PostgreSQL in line with the live runners and the monitors. Runs under a
 * transaction-scoped advisory lock per organization, so API replicas never plan concurrently, and
 * records per-runner change logs that the assignment feed serves.
 */
export class AssignmentService {
  private readonly pending = new Map<string, { touched: Set<string>; full: boolean; timer?: NodeJS.Timeout; running?: Promise<void>; waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> }>();
  // A scheduled rebalance runs in the async context the service was built in, never in that of the
  // request that asked for it: a timer inherits its creator's context, and with it the request's
  // ambient transaction (Idempotency-Key writes), which the rebalance must not join.
  private readonly detached = AsyncResource.bind((work: () => void) => work());

  constructor(
    private readonly db: Db,
    private readonly runners: RunnerRepository,
    private readonly state: StateService,
    private readonly bus: WakeupBus,
    private readonly logger: Logger,
    private readonly debounceMs = 20,
  ) {}

  /**
   * Coalesces rebalances requested in quick succession (e.g. terraform creating 300 monitors). With
   * monitor ids only those monitors are placed; without, every slot is reconsidered.
   */
  schedule(orgId: string, touchedMonitorIds?: Iterable<string>): void {
    const entry = this.pending.get(orgId) ?? { touched: new Set<string>(), full: false, waiters: [] };
    if (touchedMonitorIds === undefined) entry.full = true;
    for (const id of touchedMonitorIds ?? []) entry.touched.add(id);
    this.pending.set(orgId, entry);
    if (entry.timer) return;
    entry.timer = setTimeout(() => this.detached(() => {
      entry.timer = undefined;
      const touched = [...entry.touched];
      const full = entry.full;
      const waiters = entry.waiters.splice(0);
      entry.touched.clear();
      entry.full = false;
      const previous = entry.running ?? Promise.resolve();
      const work = previous.then(() => this.rebalance(orgId, touched, !full));
      work.then(() => waiters.forEach((w) => w.resolve()), (error: unknown) => waiters.forEach((w) => w.reject(error)));
      const run: Promise<void> = work
        .catch((error: unknown) => this.logger.error({ err: error, org_id: orgId }, 'rebalance failed'))
        .finally(() => {
          // Only the last run of the chain may forget the entry: an earlier one that did left the
          // runs queued behind it unseen by settle() (a monitor created just before settle() was
          // not placed yet when it returned).
          if (entry.running === run && !entry.timer && entry.touched.size === 0 && !entry.full) this.pending.delete(orgId);
        });
      entry.running = run;
    }), this.debounceMs);
  }

  /**
   * A full rebalance of the organization that the caller waits for without holding a database
   * connection: requests arriving together (a pool of runners starting at once) join one coalesced
   * replan per organization instead of each queueing on the organization's advisory lock with a
   * pooled connection held. Rejects when that replan failed. With `maxWaitMs`, resolves at the
   * latest then (the replan goes on): a caller whose lease runs meanwhile must not wait it out.
   */
  rebalanceSoon(orgId: string, maxWaitMs?: number): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.schedule(orgId);
      this.pending.get(orgId)!.waiters.push({ resolve, reject });
    });
    if (maxWaitMs === undefined) return done;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, maxWaitMs);
      timer.unref();
    });
    done.catch(() => undefined);
    return Promise.race([done, bound]).finally(() => clearTimeout(timer));
  }

  /** Waits for scheduled rebalances (tests and shutdown). */
  async settle(): Promise<void> {
    for (let i = 0; i < 50 && this.pending.size; i++) {
      await new Promise((r) => setTimeout(r, this.debounceMs + 5));
      await Promise.all([...this.pending.values()].map((e) => e.running));
    }
  }

  /**
   * Warnings for a monitor just written: the regions where no live runner can run it. Its slots
   * there are unknown with cause no_runner until such a runner registers.
   */
  async placementWarnings(trx: Db, orgId: string, monitor: { id: string; type: string | null; spec: unknown }): Promise<PlacementWarning[]> {
    const spec = monitorSpec(monitor.spec);
    const type = String(monitor.type);
    if (!spec.enabled || type === 'heartbeat') return [];
    const live = await this.runners.live(trx, orgId);
    const slots = monitorSlots(monitor.id, type, spec, live);
    if (slots.length === 0) {
      return [{ code: 'no_runner', message: `No runner is live in any region, so the monitor does not run yet; it starts when a ${poolOf(spec)} registers.`, regions: [] }];
    }
    const regions = [...new Set(unplaceable(slots, live).map((s) => s.region))].sort();
    if (regions.length === 0) return [];
    // Name the check type only when a runner of the right pool is there but cannot run this type.
    const selector = slots[0]!.selector;
    const lacksType = live.some((r) => regions.includes(r.region) && canRun({ monitorId: monitor.id, region: r.region, selector, type }, { ...r, capabilities: [type] }));
    const capable = lacksType ? ` that runs ${type} checks` : '';
    return [{
      code: 'no_runner',
      message: `No live ${poolOf(spec)}${capable} in ${regions.join(', ')}: the monitor is unknown there (cause no_runner) until one registers. Start such a runner, or change regions or run_from.`,
      regions,
    }];
  }

  /**
   * A slot taken over from a runner that died is probably overdue: its new owner checks it at once
   * (through the confirmation channel) instead of at its next phase, so a dead runner costs the time
   * until it was presumed gone, not a skipped interval (see overdueTakeovers for "due"). Slots moved
   * for balance keep their cadence (phases are derived from monitor ids).
   */
  private async runTakeoversNow(
    trx: Db,
    orgId: string,
    taken: ReadonlyArray<{ monitor_id: string; region: string; runner_id: string }>,
    previousOwner: ReadonlyMap<string, string>,
    liveIds: ReadonlySet<string>,
    monitors: ReadonlyArray<{ id: string; spec: unknown }>,
  ): Promise<void> {
    const orphaned = taken.filter((t) => {
      const before = previousOwner.get(slotKey(t.monitor_id, t.region));
      return before !== undefined && !liveIds.has(before);
    });
    if (orphaned.length === 0) return;
    const interval = new Map(monitors.map((m) => [m.id, monitorSpec(m.spec).intervalSeconds * 1000]));
    const last = await trx.selectFrom('slot_states').select(['monitor_id', 'region', 'last_result_at']).where('monitor_id', '=', anyOf(orphaned.map((o) => o.monitor_id))).execute();
    const lastAt = new Map(last.flatMap((l) => (l.last_result_at ? [[slotKey(l.monitor_id, l.region), new Date(l.last_result_at).getTime()] as const] : [])));
    const due = overdueTakeovers(orphaned, lastAt, interval, Date.now());
    if (due.length === 0) return;
    // One JSON parameter, not eight bind parameters per row: a takeover of a large fleet (10,000
    // monitors × 2 regions) would pass PostgreSQL's 65,535 bind parameters per statement.
    const rows = JSON.stringify(due.map((d) => ({ id: newId('confirmation'), monitor_id: d.monitor_id, runner_id: d.runner_id, region: d.region })));
    await sql`INSERT INTO confirmation_requests (id, org_id, monitor_id, runner_id, region, for_region, reason, requested_at)
              SELECT x.id, ${orgId}, x.monitor_id, x.runner_id, x.region, x.region, ${'taken over from a runner whose lease lapsed'}, now()
              FROM jsonb_to_recordset(${rows}::jsonb) AS x(id text, monitor_id text, runner_id text, region text)`.execute(trx);
  }

  /**
   * A plan of a large fleet runs for tens of seconds after it read the live runners. An owner that was
   * lapsed then but has renewed since (its renewals waited on a saturated primary) keeps its slots:
   * moving them would take every slot from a runner that is running them, and the replan its renewal
   * asked for would move them back. The slots of owners still gone move as planned. The live runners
   * are read again: renewals committed since count (the lease is judged at the same instant, the
   * transaction's `now()`, so only a renewal makes a runner live again). Returns the revived runners.
   */
  private async keepRevived(
    trx: Db,
    orgId: string,
    plan: Map<string, string>,
    slots: ReadonlyArray<{ monitorId: string; region: string }>,
    current: ReadonlyArray<{ monitor_id: string; region: string; runner_id: string }>,
    liveIds: ReadonlySet<string>,
  ): Promise<string[]> {
    const gone = new Set(current.filter((c) => !liveIds.has(c.runner_id)).map((c) => c.runner_id));
    if (gone.size === 0) return [];
    const revived = (await this.runners.live(trx, orgId)).map((r) => r.id).filter((id) => gone.has(id));
    if (revived.length === 0) return revived;
    // Only slots the plan still has: a slot of a deleted region or a disabled monitor goes anyway.
    const wanted = new Set(slots.map((slot) => slotKey(slot.monitorId, slot.region)));
    const keep = new Set(revived);
    for (const c of current) {
      const key = slotKey(c.monitor_id, c.region);
      if (keep.has(c.runner_id) && wanted.has(key)) plan.set(key, c.runner_id);
    }
    this.logger.info({ org_id: orgId, runners: revived }, 'runners renewed their leases while the plan ran: they keep their slots');
    return revived;
  }

  /**
   * Says which runners a plan takes slots from because they are gone (lease lapsed, or stopped), and
   * when each was last seen: a runner that lapses while it still runs (its renewals failed or waited
   * too long) is otherwise visible only as its slots moving.
   */
  private async logGone(trx: Db, orgId: string, released: ReadonlyArray<{ runner_id: string }>, liveIds: ReadonlySet<string>): Promise<void> {
    const counts = new Map<string, number>();
    for (const r of released) if (!liveIds.has(r.runner_id)) counts.set(r.runner_id, (counts.get(r.runner_id) ?? 0) + 1);
    if (counts.size === 0) return;
    const rows = await trx.selectFrom('runners').select(['id', 'region', 'last_seen_at', 'lease_expires_at', 'stopped_at']).where('id', '=', anyOf(counts.keys())).execute();
    for (const r of rows) {
      // A runner that deregistered (stopped) said goodbye; a lapsed one did not.
      const [how, level] = r.stopped_at ? (['stopped', 'info'] as const) : (['lease lapsed', 'warn'] as const);
      this.logger[level]({ org_id: orgId, runner_id: r.id, region: r.region, last_seen_at: r.last_seen_at, lease_expires_at: r.lease_expires_at, slots: counts.get(r.id) }, `runner gone (${how}): its slots move to live runners`);
    }
  }

  /**
   * Recomputes slot ownership. Without `onlyTouched`: every slot of the organization (the runner set
   * changed). With it: only the slots of the `touched` monitors, against the runners' current loads —
   * a monitor edit must not cost a pass over every monitor of the organization.
   */
  async rebalance(orgId: string, touched: readonly string[] = [], onlyTouched = false): Promise<void> {
    const wake = new Set<string>();
    await this.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`pharos-assign:${orgId}`}))`.execute(trx);
      const live = await this.runners.live(trx, orgId);
      const partial = onlyTouched && touched.length > 0;
      let monitorsQuery = trx.selectFrom('monitors').select(['id', 'type', 'service_id', 'dependency_id', 'spec']).where('org_id', '=', orgId);
      if (partial) monitorsQuery = monitorsQuery.where('id', '=', anyOf(touched));
      const monitors = await monitorsQuery.execute();
      const slots = monitors.flatMap((m) => monitorSlots(m.id, String(m.type), monitorSpec(m.spec), live));
      let currentQuery = trx.selectFrom('slot_assignments').select(['monitor_id', 'region', 'runner_id']).where('org_id', '=', orgId);
      if (partial) currentQuery = currentQuery.where('monitor_id', '=', anyOf(touched));
      const current = await currentQuery.execute();
      const currentMap = new Map(current.map((c) => [slotKey(c.monitor_id, c.region), c.runner_id]));
      let otherLoad: Map<string, number> | undefined;
      if (partial) {
        const counts = await trx.selectFrom('slot_assignments').select(['runner_id', (eb) => eb.fn.countAll<string>().as('n')]).where('org_id', '=', orgId).groupBy('runner_id').execute();
        otherLoad = new Map(counts.map((c) => [c.runner_id, Number(c.n)]));
        for (const c of current) otherLoad.set(c.runner_id, (otherLoad.get(c.runner_id) ?? 0) - 1);
      }
      const plan = planAssignments(slots, live, currentMap, otherLoad);
      const liveIds = new Set(live.map((r) => r.id));
      for (const id of await this.keepRevived(trx, orgId, plan, slots, current, liveIds)) liveIds.add(id);

      const changes = new Map<string, Map<string, 'upsert' | 'remove'>>();
      const change = (runner: string, monitor: string, kind: 'upsert' | 'remove') => {
        const forRunner = changes.get(runner) ?? new Map<string, 'upsert' | 'remove'>();
        // A monitor moving between regions of the same runner is impossible (a runner has one region).
        forRunner.set(monitor, kind);
        changes.set(runner, forRunner);
      };
      const released: Array<{ monitor_id: string; region: string; runner_id: string }> = [];
      for (const c of current) {
        if (plan.get(slotKey(c.monitor_id, c.region)) !== c.runner_id) {
          released.push(c);
          change(c.runner_id, c.monitor_id, 'remove');
        }
      }
      const taken: Array<{ monitor_id: string; region: string; runner_id: string }> = [];
      const touchedSet = new Set(touched);
      for (const slot of slots) {
        const key = slotKey(slot.monitorId, slot.region);
        const owner = plan.get(key);
        if (!owner) continue;
        if (currentMap.get(key) !== owner) {
          taken.push({ monitor_id: slot.monitorId, region: slot.region, runner_id: owner });
          change(owner, slot.monitorId, 'upsert');
        } else if (touchedSet.has(slot.monitorId)) change(owner, slot.monitorId, 'upsert');
      }

      if (released.length) {
        const rows = JSON.stringify(released);
        await sql`DELETE FROM slot_assignments s USING jsonb_to_recordset(${rows}::jsonb) AS x(monitor_id text, region text, runner_id text)
                  WHERE s.monitor_id = x.monitor_id AND s.region = x.region AND s.runner_id = x.runner_id`.execute(trx);
        await sql`UPDATE assignment_history h SET to_at = now() FROM jsonb_to_recordset(${rows}::jsonb) AS x(monitor_id text, region text, runner_id text)
                  WHERE h.monitor_id = x.monitor_id AND h.region = x.region AND h.runner_id = x.runner_id AND h.to_at IS NULL`.execute(trx);
      }
      if (taken.length) {
        const rows = JSON.stringify(taken);
        await sql`INSERT INTO slot_assignments (org_id, monitor_id, region, runner_id, assigned_at)
                  SELECT ${orgId}, x.monitor_id, x.region, x.runner_id, now() FROM jsonb_to_recordset(${rows}::jsonb) AS x(monitor_id text, region text, runner_id text)
                  ON CONFLICT (monitor_id, region) DO UPDATE SET runner_id = excluded.runner_id, assigned_at = excluded.assigned_at`.execute(trx);
        await sql`INSERT INTO assignment_history (org_id, monitor_id, region, runner_id, from_at)
                  SELECT ${orgId}, x.monitor_id, x.region, x.runner_id, now() FROM jsonb_to_recordset(${rows}::jsonb) AS x(monitor_id text, region text, runner_id text)`.execute(trx);
      }
      // A slot no runner can take is not left waiting silently: it is unknown with cause no_runner.
      await this.state.recordPlacement(
        trx,
        orgId,
        { slots, unplaced: slots.filter((slot) => !plan.has(slotKey(slot.monitorId, slot.region))), monitorIds: partial ? monitors.map((m) => m.id) : undefined },
        new Map(monitors.map((m) => [m.id, monitorFacts(m)])),
      );
      await this.logGone(trx, orgId, released, liveIds);
      await this.runTakeoversNow(trx, orgId, taken, new Map(released.map((r) => [slotKey(r.monitor_id, r.region), r.runner_id])), liveIds, monitors);
      await this.runners.recordPlanChanges(trx, changes);
      for (const runnerId of changes.keys()) if (liveIds.has(runnerId)) wake.add(runnerId);
      if (released.length || taken.length) this.logger.info({ org_id: orgId, moved_out: released.length, moved_in: taken.length, runners: live.length }, 'slots reassigned');
    });
    this.bus.notify(wake);
  }
}
