import { PharosError } from '../../contract/errors.ts';
import { RUNNER_PROTOCOL_VERSION, type Assignments, type RunnerRegistered, type RunnerRegistration } from '../../contract/runner-protocol.schema.ts';
import type { RunnerPrincipal } from '../../auth/principal.ts';
import type { Db } from '../../db/database.ts';
import type { Logger } from '../../observability/logger.ts';
import type { SpecRow } from '../../db/tables.ts';
import { newId } from '../../shared/ids.ts';
import { monitorKind } from '../monitors/monitor.kind.ts';
import { monitorSecrets } from '../monitors/monitor.secrets.ts';
import { presentSpec } from '../resources/spec.service.ts';
import type { AssignmentService } from './assignment.service.ts';
import { BetweenPolls } from './between-polls.watch.ts';
import type { RunnerRepository, RunnerRow } from './runner.repository.ts';
import type { WakeupBus } from './wakeup.bus.ts';

/** What the feed asks of load tests (modules/load-tests/load-test.feed.ts) for runners with the load_test capability. */
export interface LoadTestFeedPort {
  serves(runner: { capabilities: readonly string[] }): boolean;
  due(db: Db, runnerId: string): Promise<boolean>;
  assignments(db: Db, runnerId: string): Promise<Pick<Assignments, 'load_tests' | 'aborted_load_tests'>>;
}

export interface RunnerSettings {
  leaseSeconds: number;
  pollWaitSeconds: number;
  maxBatch: number;
  /** How often a waiting poll re-reads PostgreSQL (changes made by other replicas). */
  recheckMs: number;
  /**
   * A runner whose long poll's connection closes before the answer is presumed gone this many
   * seconds later unless it polls again (0: only the lease counts).
   */
  disconnectGraceSeconds: number;
}

export const defaultRunnerSettings: RunnerSettings = { leaseSeconds: 10, pollWaitSeconds: 20, maxBatch: 250, recheckMs: 500, disconnectGraceSeconds: 3 };

/** Registration, the long-poll assignment feed and deregistration of runners. */
export class RunnerService {
  private readonly lastReap = new Map<string, number>();
  private readonly betweenPolls = new BetweenPolls();

  constructor(
    private readonly db: Db,
    private readonly runners: RunnerRepository,
    private readonly assignments: AssignmentService,
    private readonly bus: WakeupBus,
    private readonly settings: RunnerSettings,
    private readonly logger: Logger,
    private readonly loadTests?: LoadTestFeedPort,
  ) {}

  async register(principal: RunnerPrincipal, body: RunnerRegistration): Promise<RunnerRegistered> {
    if (body.protocol_version !== RUNNER_PROTOCOL_VERSION) {
      throw new PharosError('incompatible_runner', `This control plane speaks runner protocol ${RUNNER_PROTOCOL_VERSION}, the runner speaks ${body.protocol_version}; run a runner version that matches the control plane.`);
    }
    const id = newId('runner');
    await this.runners.insert(this.db, {
      id, org_id: principal.orgId, runner_token_id: principal.id, region: principal.region, labels: principal.labels,
      version: body.version, hostname: body.hostname ?? null, capabilities: body.capabilities, leaseSeconds: this.settings.leaseSeconds,
    });
    // Joins the organization's next coalesced replan (no connection held while it waits its turn),
    // and answers once placed, or after a third of the lease: a replan of a large fleet on a busy
    // database can outlast the lease, which would lapse before the runner's first poll renews it.
    await this.assignments.rebalanceSoon(principal.orgId, (this.settings.leaseSeconds * 1000) / 3);
    return {
      runner_id: id, region: principal.region, labels: principal.labels, protocol_version: RUNNER_PROTOCOL_VERSION,
      lease_seconds: this.settings.leaseSeconds, poll_wait_seconds: this.settings.pollWaitSeconds, max_batch: this.settings.maxBatch,
    };
  }

  /** The runner row behind a runner id, checked against the calling token. */
  async own(principal: RunnerPrincipal, runnerId: string): Promise<RunnerRow> {
    const runner = await this.runners.get(this.db, principal.orgId, runnerId);
    if (!runner || runner.runner_token_id !== principal.id) {
      throw new PharosError('not_found', `Runner ${runnerId} is not registered with this token; register again (POST /v1/runner/register).`);
    }
    return runner;
  }

  async deregister(principal: RunnerPrincipal, runnerId: string): Promise<void> {
    await this.own(principal, runnerId);
    this.betweenPolls.resume(runnerId);
    await this.runners.stop(this.db, principal.orgId, runnerId);
    await this.assignments.rebalanceSoon(principal.orgId);
  }

  /**
   * Long poll: answers when the runner's assignments changed, a confirmation is due, or after `wait` s.
   * `signal` aborts when the connection closes before the answer was sent (a runner killed, its
   * host rebooted, a proxy hanging up): the runner is then presumed gone after the disconnect grace.
   * `connection` (the connection the poll came on) is watched after the answer, until the next poll:
   * a runner killed between two polls is presumed gone the same way.
   */
  async poll(principal: RunnerPrincipal, q: { runner_id: string; revision?: number; wait?: number }, signal: AbortSignal, baseUrl: string, connection?: AbortSignal): Promise<Assignments> {
    const known = q.revision ?? 0;
    // Until this poll's first renewal, the previous poll's mark stands for it.
    let seenMark: string | undefined = this.betweenPolls.resume(q.runner_id);
    await this.own(principal, q.runner_id);
    if (known > 0) await this.runners.acknowledge(this.db, q.runner_id, known);
    const deadline = Date.now() + Math.min(q.wait ?? this.settings.pollWaitSeconds, 60) * 1000;
    let lastRenew = 0;
    let renewing: Promise<unknown> = Promise.resolve();
    // Also after this method returned: the answer may still be on its way when the connection closes.
    signal.addEventListener('abort', () => void renewing.then(() => (seenMark === undefined ? undefined : this.dropped(principal.orgId, q.runner_id, seenMark))), { once: true });
    for (;;) {
      if (signal.aborted) throw new PharosError('request_timeout', 'The runner closed its long poll before the answer.');
      if (Date.now() - lastRenew >= 1000) {
        const renewal = this.runners.renew(this.db, q.runner_id, this.settings.leaseSeconds);
        renewing = renewal.catch(() => undefined);
        const { wasLive, seenMark: mark } = await renewal;
        seenMark = mark;
        // A runner back from a lapsed lease (e.g. after an API outage) takes slots again. The replan
        // is scheduled, not awaited: a poll waiting for a long replan would not renew its lease
        // meanwhile, lapse again and ask for the next replan (slots thrashing between runners).
        if (!wasLive) this.assignments.schedule(principal.orgId);
        lastRenew = Date.now();
      }
      await this.reapLapsed(principal.orgId);
      const runner = (await this.runners.get(this.db, principal.orgId, q.runner_id))!;
      const confirmationDue = await this.runners.hasPendingConfirmation(this.db, q.runner_id);
      // A load-test share handed to this runner, or one it runs stopped, answers at once.
      const loadTestDue = this.loadTests?.serves(runner) ? await this.loadTests.due(this.db, runner.id) : false;
      // Aborted: no answer is built, so waiting confirmations stay for the runner's next poll.
      if (signal.aborted) throw new PharosError('request_timeout', 'The runner closed its long poll before the answer.');
      if (known === 0 || runner.revision !== known || confirmationDue || loadTestDue || Date.now() >= deadline) {
        // The lease is renewed while the answer is built: a full feed of 10,000 monitors read from a
        // busy primary took longer than the lease at 100,000 monitors, the runner lapsed, its slots
        // moved away and back with every poll.
        const keep = setInterval(() => {
          const renewal = this.runners.renew(this.db, q.runner_id, this.settings.leaseSeconds);
          renewing = renewal.catch(() => undefined);
          renewal.then(({ seenMark: mark }) => (seenMark = mark), () => undefined);
        }, Math.max(1000, (this.settings.leaseSeconds * 1000) / 3));
        let answer: Assignments;
        try {
          answer = await this.answer(runner, known, baseUrl);
        } finally {
          clearInterval(keep);
        }
        await renewing;
        if (connection && seenMark !== undefined) this.betweenPolls.watch(q.runner_id, seenMark, connection, (mark) => void this.dropped(principal.orgId, q.runner_id, mark));
        return answer;
      }
      await this.bus.wait(q.runner_id, Math.min(this.settings.recheckMs, deadline - Date.now()), signal);
    }
  }

  /**
   * The connection of a long poll closed before its answer. The drop is written to the runner's row
   * (any replica's reaper acts on it) as a lease ending after the grace, unless the runner polled
   * again since this poll's last renewal; this replica also reaps at the grace's end, so the slots
   * move at once instead of at the reaper's next tick. A runner that polls within the grace renews
   * its full lease and keeps its slots. Never throws: on failure the full lease still applies.
   */
  private async dropped(orgId: string, runnerId: string, seenMark: string): Promise<void> {
    const grace = this.settings.disconnectGraceSeconds;
    if (grace <= 0 || grace >= this.settings.leaseSeconds) return;
    try {
      if (!(await this.runners.presumeGone(this.db, runnerId, seenMark, grace))) return;
      this.logger.info({ runner_id: runnerId, grace_seconds: grace }, 'runner long poll dropped: presumed gone unless it polls again within the grace');
      // The lease was set from PostgreSQL's clock before this timer started, so it has ended when it fires.
      setTimeout(() => void this.reapAfterGrace(orgId), grace * 1000 + 20).unref();
    } catch (error) {
      this.logger.warn({ err: error, runner_id: runnerId }, 'long poll drop not recorded; the runner keeps its slots until its lease ends');
    }
  }

  private async reapAfterGrace(orgId: string): Promise<void> {
    try {
      if (await this.runners.hasLapsedOwners(this.db, orgId)) this.assignments.schedule(orgId);
    } catch (error) {
      this.logger.warn({ err: error, org_id: orgId }, 'reaping after a dropped long poll failed; the lease reaper retries');
    }
  }

  // Every poll doubles as a watchdog: slots of runners whose lease lapsed move within about a second.
  // The replan is scheduled, not awaited: a poll never waits on the organization's assignment lock
  // (a large replan holds it for seconds) and never holds a pooled connection while another does.
  private async reapLapsed(orgId: string): Promise<void> {
    const last = this.lastReap.get(orgId) ?? 0;
    if (Date.now() - last < 1000) return;
    this.lastReap.set(orgId, Date.now());
    if (await this.runners.hasLapsedOwners(this.db, orgId)) this.assignments.schedule(orgId);
  }

  private async answer(runner: RunnerRow, known: number, baseUrl: string): Promise<Assignments> {
    const full = known === 0 || known > runner.revision || known < runner.acked_revision;
    // Only this feed returns secret headers, and only for monitors whose slot this runner owns
    // (both queries below join slot_assignments on the runner's id).
    const present = (row: SpecRow) => monitorSecrets.merge(presentSpec(monitorKind, row, baseUrl), row.secrets as Record<string, unknown> | null);
    let monitors: Record<string, unknown>[];
    let removed: string[] = [];
    if (full) {
      monitors = (await this.runners.ownedMonitors(this.db, runner.id)).map(present);
    } else {
      const changes = await this.runners.changesSince(this.db, runner.id, known);
      const upserts = [...changes].filter(([, c]) => c === 'upsert').map(([id]) => id);
      const rows = await this.runners.ownedMonitors(this.db, runner.id, upserts);
      monitors = rows.map(present);
      const kept = new Set(rows.map((r) => r.id));
      removed = [...changes.keys()].filter((id) => !kept.has(id));
    }
    const confirmations = await this.runners.takeConfirmations(this.db, runner.id);
    // Only runners that registered the load_test capability see the load-test fields.
    const loadTests = this.loadTests?.serves(runner) ? await this.loadTests.assignments(this.db, runner.id) : {};
    return {
      revision: runner.revision,
      full,
      monitors: monitors as Assignments['monitors'],
      removed,
      confirmations: confirmations.map((c) => ({ monitor_id: c.monitor_id, requested_at: c.requested_at.toISOString(), reason: c.reason })),
      ...loadTests,
      lease_expires_at: new Date(Date.now() + this.settings.leaseSeconds * 1000).toISOString(),
    };
  }
}
