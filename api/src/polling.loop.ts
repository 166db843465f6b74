import { AsyncResource } from 'node:async_hooks';
import type { BackgroundLoop } from './background.ts';
import { FailureStreak, type FailureStreakLog } from './observability/failure-streak.ts';
import type { Logger } from './observability/logger.ts';

/**
 * Runs `pass` on every replica until stopped: again at once while it reports work done, else after
 * `pollMs` or when nudged. A failing pass is logged once per streak and retried at the next poll;
 * it never stops the loop or the process.
 */
export class PollingLoop implements BackgroundLoop {
  private stopped = true;
  private stopRequested = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private nudged = false;
  private readonly streak: FailureStreak;
  // The loop runs in the async context of start(), never in that of a request that nudged it.
  private readonly detached = AsyncResource.bind((work: () => Promise<void>) => work());

  constructor(
    readonly name: string,
    private readonly pass: () => Promise<number>,
    logger: Logger,
    private readonly pollMs: number,
    log: FailureStreakLog = { fields: { loop: name }, unavailable: `${name} paused: database unavailable`, failed: `${name} failed; it is retried`, recovered: `${name} recovered` },
  ) {
    this.streak = new FailureStreak(logger, log);
  }

  /** True once stop() was called on the running loop: a pass in progress may end early (a pass run directly, without start(), never is). */
  get stopping(): boolean {
    return this.stopRequested;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopRequested = false;
    this.loop = this.detached(() => this.run());
  }

  async stop(): Promise<void> {
    if (this.loop) this.stopRequested = true;
    this.stopped = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  /** Asks for a pass now. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.nudged = false;
      let done = 0;
      try {
        done = await this.pass();
        this.streak.succeeded();
      } catch (error) {
        this.streak.failed(error);
      }
      if (this.stopped || this.nudged || done > 0) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(finish, this.pollMs);
        function finish() {
          clearTimeout(timer);
          resolve();
        }
        this.wake = finish;
      });
      this.wake = undefined;
    }
  }
}
