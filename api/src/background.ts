import type { Logger } from './observability/logger.ts';

/** A periodic job of the control plane (partition upkeep, lease reaping, heartbeat sweeps). */
export interface BackgroundJob {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

/**
 * Runs jobs on their intervals, never two runs of one job at once. Jobs are safe to run on every
 * replica at the same time: each coordinates through PostgreSQL (advisory locks, row locks).
 */
export class Background {
  private timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    private readonly jobs: readonly BackgroundJob[],
    private readonly logger: Logger,
  ) {}

  start(): void {
    for (const job of this.jobs) {
      const tick = () => {
        if (this.running.has(job.name)) return;
        const run = job.run().catch((error: unknown) => this.logger.error({ err: error, job: job.name }, 'background job failed'));
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
    await Promise.all(this.running.values());
  }
}
