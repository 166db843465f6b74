/**
 * A runner killed between two long polls has no poll open whose cut would tell: its previous
 * answer was sent, its next poll not made yet. So the connection an answer went out on is watched
 * for a moment (a runner polls again within milliseconds); if the client ends or breaks it before
 * the runner's next poll, the runner is treated as if a poll had been cut. The mark of the answer's
 * last lease renewal is also handed to the next poll, so a poll cut before its own first renewal
 * still has a mark to presume the runner gone by.
 */
export class BetweenPolls {
  private readonly watching = new Map<string, { mark: string; stop: () => void }>();

  constructor(private readonly windowMs = 2_000) {}

  /** The runner polls again: stop watching it; the mark of its previous poll's last renewal. */
  resume(runnerId: string): string | undefined {
    const entry = this.watching.get(runnerId);
    entry?.stop();
    return entry?.mark;
  }

  /** Watch `connection` until the runner polls again or the window ends; `dropped` if it ends first. */
  watch(runnerId: string, mark: string, connection: AbortSignal, dropped: (mark: string) => void): void {
    this.resume(runnerId);
    if (connection.aborted) return dropped(mark);
    const onEnd = () => {
      stop();
      dropped(mark);
    };
    const timer = setTimeout(() => stop(), this.windowMs);
    timer.unref();
    const stop = () => {
      clearTimeout(timer);
      connection.removeEventListener('abort', onEnd);
      if (this.watching.get(runnerId)?.stop === stop) this.watching.delete(runnerId);
    };
    connection.addEventListener('abort', onEnd, { once: true });
    this.watching.set(runnerId, { mark, stop });
  }

  /** Runners watched right now (tests). */
  get size(): number {
    return this.watching.size;
  }
}
