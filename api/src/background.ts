import type { Db } from './db/database.ts';
import type { JobLeaseRepository } from './modules/jobs/job-lease.repository.ts';
import { FailureStreak } from './observability/failure-streak.ts';
import type { Logger } from './observability/logger.ts';

/** A periodic job of the control plane (partition upkeep, lease reaping, heartbeat sweeps). */
export interface BackgroundJob {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
  /**
   * The run at process start happens on every replica, without the lease (for work that is
   * idempotent and that a restarted replica should not wait a lease time for).
   */
  firstRunEverywhere?: boolean;
}

/** A loop that runs on every replica for the life of the process (the event consumers). */
export interface BackgroundLoop {
  start(): void;
  stop(): Promise<void>;
}

/** Where Background takes its leases: jobs then run on one replica at a time. */
export interface JobLeases {
  db: Db;
  repository: JobLeaseRepository;
  /** This process, unique among the replicas (and across its restarts). */
  holder: string;
}

/**
 * How long a claim lasts: a bit more than the period, so the holder renews it at each tick and a
 * replica that stopped without releasing it is replaced within about two periods.
 */
export const leaseMs = (everyMs: number): number => everyMs + Math.min(Math.max(everyMs / 2, 1_000), 30_000);

/**
 * Runs jobs on their intervals, never two runs of one job at once. With leases, a tick runs the
 * job only when this process holds (or takes) the job's row in job_leases, so N replicas run each
 * job once per period; the jobs stay safe to overlap (a run longer than its lease), as each
 * coordinates through PostgreSQL (advisory locks, row locks). A failing run is logged and the job
 * runs again at its next tick; a failure never stops the process. stop() releases the leases.
 * Loops (the event consumers) start and stop with the jobs and run on every replica.
 */
export class Background {
  private timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly streaks = new Map<string, FailureStreak>();

  constructor(
    private readonly jobs: readonly BackgroundJob[],
    private readonly logger: Logger,
    private readonly leases?: JobLeases,
    private readonly loops: readonly BackgroundLoop[] = [],
  ) {}

  start(): void {
    for (const loop of this.loops) loop.start();
    for (const job of this.jobs) {
      let first = true;
      const tick = () => {
        if (this.running.has(job.name)) return;
        const unleased = first && job.firstRunEverywhere === true;
        first = false;
        const run = Promise.resolve()
          .then(() => (unleased ? job.run() : this.runLeased(job)))
          .then(
            () => this.streakOf(job.name).succeeded(),
            (error: unknown) => this.streakOf(job.name).failed(error),
          );
        this.running.set(job.name, run);
        void run.finally(() => this.running.delete(job.name));
      };
      tick();
      this.timers.push(setInterval(tick, job.everyMs).unref());
    }
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await Promise.all([...this.running.values(), ...this.loops.map((loop) => loop.stop())]);
    const leases = this.leases;
    if (leases) await Promise.allSettled(this.jobs.map((job) => leases.repository.release(leases.db, job.name, leases.holder)));
  }

  // The lease is renewed before the run and after it, so a run longer than a period keeps it.
  private async runLeased(job: BackgroundJob): Promise<void> {
    const leases = this.leases;
    if (!leases) return void (await job.run());
    if (!(await leases.repository.claim(leases.db, job.name, leases.holder, leaseMs(job.everyMs)))) return;
    try {
      await job.run();
    } finally {
      await leases.repository.claim(leases.db, job.name, leases.holder, leaseMs(job.everyMs));
    }
  }

  private streakOf(job: string): FailureStreak {
    let streak = this.streaks.get(job);
    if (!streak) {
      streak = new FailureStreak(this.logger, { fields: { job }, unavailable: 'background job skipped: database unavailable', failed: 'background job failed', recovered: 'background job recovered' });
      this.streaks.set(job, streak);
    }
    return streak;
  }
}
