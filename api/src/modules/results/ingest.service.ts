import type { ResultBatchOutcome } from '../../contract/runner-protocol.schema.ts';
import { CheckResult } from '../../contract/result.schema.ts';
import type { RunnerPrincipal } from '../../auth/principal.ts';
import type { Db } from '../../db/database.ts';
import type { Validator } from '../../http/validator.ts';
import { retryTransientConflicts } from '../../db/db-errors.ts';
import { newId } from '../../shared/ids.ts';
import { DependencyRepository } from '../dependencies/dependency.repository.ts';
import { EventLogRepository } from '../events/event-log.repository.ts';
import { MonitorRepository } from '../monitors/monitor.repository.ts';
import { RunnerRepository, type RunnerRow } from '../runner/runner.repository.ts';
import type { WakeupBus } from '../runner/wakeup.bus.ts';
import { monitorFacts } from '../monitors/monitor-spec.ts';
import type { AppliedState, MonitorFacts, StateService } from '../state/state.service.ts';
import { slotStateKey } from '../state/state.repository.ts';
import { IngestRepository } from './ingest.repository.ts';
import type { PartitionManager } from './partition.manager.ts';
import type { ResultRepository, StoredResultInput } from './result.repository.ts';

type Rejection = ResultBatchOutcome['rejected'][number];

// A runner's clock and the control plane's may differ a little; ownership windows allow for it.
const CLOCK_SLACK_MS = 5_000;
const FUTURE_LIMIT_MS = 10 * 60_000;
/** Most neighbour checks one result batch asks for (a wide failure probes a bounded neighbourhood). */
const PROBES_PER_BATCH = 20;

/** Slots of this batch that began failing: a first failure (confirmation wanted) or a slot gone down. */
function failingSlots(applied: AppliedState): Array<{ monitorId: string; region: string }> {
  const out = new Map<string, { monitorId: string; region: string }>();
  for (const w of applied.wantConfirmation) out.set(`${w.monitorId}@${w.region}`, w);
  for (const t of applied.transitions) if (t.subjectType === 'slot' && t.to === 'down' && t.region) out.set(`${t.subjectId}@${t.region}`, { monitorId: t.subjectId, region: t.region });
  return [...out.values()];
}

/**
 * Result ingest: validates each result against the contract and against slot ownership (the
 * runner owned the monitor in its region when the check started), stores new results once, adds
 * them to the rollups, advances state, asks for confirmation checks of first failures, and records
 * in the event log which monitors reported health metrics.
 */
export class IngestService {
  constructor(
    private readonly db: Db,
    private readonly validator: Validator,
    private readonly results: ResultRepository,
    private readonly state: StateService,
    private readonly partitions: PartitionManager,
    private readonly bus: WakeupBus,
    private readonly runners: RunnerRepository = new RunnerRepository(),
    private readonly monitors: MonitorRepository = new MonitorRepository(),
    private readonly events: EventLogRepository = new EventLogRepository(),
    private readonly dependencies: DependencyRepository = new DependencyRepository(),
    private readonly batchReads: IngestRepository = new IngestRepository(),
  ) {}

  /**
   * The batch's outcome for the runner, and whether the batch appended to the event log (state
   * transitions, health metrics recorded): a batch that changed no state gives the log's consumers
   * nothing to read, so the composition root nudges them only after one that did.
   */
  async ingest(principal: RunnerPrincipal, runner: RunnerRow, raw: readonly unknown[]): Promise<{ outcome: ResultBatchOutcome; appendedEvents: boolean }> {
    const rejected: Rejection[] = [];
    const candidates: Array<{ index: number; result: CheckResult }> = [];
    const now = Date.now();
    raw.forEach((value, index) => {
      const errors = this.validator.errors(CheckResult, value);
      const id = typeof (value as { id?: unknown })?.id === 'string' ? (value as { id: string }).id : undefined;
      if (errors.length) return void rejected.push({ ...(id ? { id } : {}), index, code: 'invalid_result', message: errors.map((e) => `${e.pointer} ${e.message}`).join(' ') });
      const result = value as CheckResult;
      const started = Date.parse(result.started_at);
      if (result.region !== runner.region) return void rejected.push({ id: result.id, index, code: 'not_assigned', message: `The runner runs in region "${runner.region}", not "${result.region}".` });
      if (started > now + FUTURE_LIMIT_MS) return void rejected.push({ id: result.id, index, code: 'invalid_result', message: 'started_at is in the future; check the runner host clock (NTP).' });
      if (started < this.partitions.oldestAccepted(now)) return void rejected.push({ id: result.id, index, code: 'invalid_result', message: `started_at is older than the ${this.partitions.retentionDays}-day result retention.` });
      candidates.push({ index, result });
    });

    const monitorIds = [...new Set(candidates.map((c) => c.result.monitor_id))];
    // The batch's monitors with the runner's ownership periods of each: one statement.
    const monitors = await this.batchReads.monitorsOfBatch(this.db, principal.orgId, runner.id, runner.region, monitorIds);
    const facts = new Map(monitors.map((m) => [m.id, monitorFacts(m)]));
    const periods = new Map(monitors.map((m) => [m.id, m.owned.map(([from, to]) => ({ from: from - CLOCK_SLACK_MS, to: to === null ? Infinity : to + CLOCK_SLACK_MS }))]));
    const owned = (monitorId: string, at: number) => (periods.get(monitorId) ?? []).some((p) => p.from <= at && at <= p.to);

    const accepted: StoredResultInput[] = [];
    const seen = new Set<string>();
    // The same id twice in one batch is one result sent twice: the first is stored, the repeat counts
    // as a duplicate (otherwise both were reported new and both were added to the rollups).
    let repeats = 0;
    for (const { index, result } of candidates) {
      if (!facts.has(result.monitor_id)) rejected.push({ id: result.id, index, code: 'unknown_monitor', message: `Monitor ${result.monitor_id} does not exist (it may have been deleted).` });
      else if (!owned(result.monitor_id, Date.parse(result.started_at))) rejected.push({ id: result.id, index, code: 'not_assigned', message: `Monitor ${result.monitor_id} was not assigned to runner ${runner.id} when this check started.` });
      else if (seen.has(result.id)) repeats += 1;
      else {
        seen.add(result.id);
        accepted.push({ orgId: principal.orgId, runnerId: runner.id, result });
      }
    }
    if (accepted.length === 0) return { outcome: { accepted: [], duplicates: 0, rejected }, appendedEvents: false };

    const times = accepted.map((a) => Date.parse(a.result.started_at));
    await this.partitions.ensure(Math.min(...times), Math.max(...times));
    const wake = new Set<string>();
    // A batch is one transaction: rolled back whole for a deadlock or serialization conflict, and run again.
    const { fresh, appendedEvents } = await retryTransientConflicts(() => this.db.transaction().execute(async (trx) => {
      const { fresh: newIds, slots, steady } = await this.results.insertWithRollups(trx, accepted);
      const stored = accepted.filter((a) => newIds.has(a.result.id));
      // Slots that stayed up were moved by the store statement; the others are evaluated here.
      const evaluated = steady.size ? stored.filter(({ result: r }) => !steady.has(slotStateKey({ monitorId: r.monitor_id, region: r.region }))) : stored;
      const applied = await this.state.apply(
        trx,
        principal.orgId,
        evaluated.map(({ result: r }) => ({ monitorId: r.monitor_id, region: r.region, resultId: r.id, at: new Date(r.started_at), status: r.status, error: r.error ? `${r.error.code}: ${r.error.message}` : undefined })),
        facts,
        slots,
      );
      for (const want of applied.wantConfirmation) {
        const target = await this.requestConfirmation(trx, principal.orgId, want.monitorId, want.region);
        if (target) wake.add(target);
      }
      for (const target of await this.probeNeighbours(trx, principal.orgId, failingSlots(applied), facts)) wake.add(target);
      // Health-endpoint metrics change metric(…) rules without any state changing: say so in the log.
      const measured = [...new Set(stored.filter((a) => a.result.metrics && Object.keys(a.result.metrics).length > 0).map((a) => a.result.monitor_id))];
      if (measured.length) await this.events.append(trx, [{ orgId: principal.orgId, kind: 'metrics.recorded', at: new Date(), payload: { monitor_ids: measured.sort() } }]);
      // state.apply appends an event per transition and nothing else.
      return { fresh: stored.length, appendedEvents: applied.transitions.length > 0 || measured.length > 0 };
    }));
    this.bus.notify(wake);
    return { outcome: { accepted: accepted.map((a) => a.result.id), duplicates: accepted.length - fresh + repeats, rejected }, appendedEvents };
  }

  /**
   * Probes: a service monitor that starts failing asks for an immediate check of its service's edge
   * monitors and of the monitors of the services it depends on, and a failing edge monitor for its
   * target's monitors, so the failing edge or dependency (or the healthy target) is known within a
   * check's time rather than at the next interval, before the incident names a root cause; a
   * dependency found failing probes its own dependencies in turn. A slot already down or with a
   * check waiting is left alone.
   */
  private async probeNeighbours(trx: Db, orgId: string, failing: ReadonlyArray<{ monitorId: string; region: string }>, facts: ReadonlyMap<string, MonitorFacts>): Promise<string[]> {
    if (failing.length === 0) return [];
    const servicesOfFailing = [...new Set(failing.flatMap((f) => { const m = facts.get(f.monitorId); return m && !m.dependencyId ? [m.serviceId] : []; }))];
    const edges = [...new Set(failing.flatMap((f) => { const m = facts.get(f.monitorId); return m?.dependencyId ? [m.dependencyId] : []; }))];
    // Targets: what failing edges point at, and what the failing services depend on (is the dependency itself down?).
    const targets = [...new Set([...(await this.dependencies.targetsOf(trx, orgId, edges)), ...(await this.dependencies.targetsOfServices(trx, orgId, servicesOfFailing))])];
    const probes = await this.monitors.probeTargets(trx, orgId, { servicesOfFailing, targetsOfFailingEdges: targets, except: failing.map((f) => f.monitorId), limit: PROBES_PER_BATCH });
    const region = failing[0]!.region;
    const woken: string[] = [];
    for (const monitorId of probes) {
      const rows = await this.runners.confirmationTargets(trx, monitorId);
      const target = rows.find((r) => r.region === region && !r.pending && r.state !== 'down') ?? rows.find((r) => !r.pending && r.state !== 'down');
      if (!target) continue;
      await this.runners.requestConfirmation(trx, { id: newId('confirmation'), org_id: orgId, monitor_id: monitorId, runner_id: target.runner_id, region: target.region, for_region: target.region, reason: `probe: a neighbour failed in ${region}` });
      woken.push(target.runner_id);
    }
    return woken;
  }

  /**
   * Asks for an immediate check of a failing monitor, from another region whose view is not down yet
   * when there is one (is it down from elsewhere too?), else from the failing region itself.
   */
  private async requestConfirmation(trx: Db, orgId: string, monitorId: string, failingRegion: string): Promise<string | undefined> {
    const rows = await this.runners.confirmationTargets(trx, monitorId);
    const others = rows.filter((r) => r.region !== failingRegion && r.state !== 'down' && !r.pending);
    const same = rows.find((r) => r.region === failingRegion && !r.pending);
    const target = others.sort((a, b) => a.region.localeCompare(b.region))[0] ?? same;
    if (!target) return undefined;
    await this.runners.requestConfirmation(trx, { id: newId('confirmation'), org_id: orgId, monitor_id: monitorId, runner_id: target.runner_id, region: target.region, for_region: failingRegion, reason: `failure in ${failingRegion}` });
    return target.runner_id;
  }
}
