import { EventEmitter } from 'node:events';

/**
 * Wakes long polls of runners served by this process as soon as their assignments change or a
 * confirmation is requested. It is only a shortcut: a poll also re-reads PostgreSQL every
 * `recheckMs`, so replicas that did not see the event catch up within that time.
 */
export class WakeupBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /** Wakes every waiter of these runners. */
  notify(runnerIds: Iterable<string>): void {
    for (const id of runnerIds) this.emitter.emit(id);
  }

  /** Resolves on a notification for the runner, after `ms`, or when the signal aborts. */
  wait(runnerId: string, ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.emitter.off(runnerId, done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.emitter.once(runnerId, done);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
