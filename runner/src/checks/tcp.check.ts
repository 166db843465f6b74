import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Timings } from '../../../api/src/contract/index.ts';
import { CheckFailure, toCheckFailure } from './check.errors.ts';
import type { Check } from './check.types.ts';
import { failedOutcome, judgedOutcome, startClock } from './outcome.builder.ts';

/** TCP check: up when a connection to host:port is accepted within the budget. */
export function createTcpCheck(): Check<'tcp'> {
  return {
    type: 'tcp',
    async run(monitor, ctx) {
      const clock = startClock();
      const config = monitor.tcp;
      if (!config) return failedOutcome(clock, new CheckFailure('invalid_monitor', 'tcp monitor without a "tcp" block'), ctx);
      try {
        const timings = await connect(config.host.replace(/^\[(.*)\]$/, '$1'), config.port, ctx.signal);
        return judgedOutcome(clock, monitor, { responseTimeMs: timings.total_ms }, { timings });
      } catch (err) {
        return failedOutcome(clock, err, ctx);
      }
    },
  };
}

function connect(host: string, port: number, signal: AbortSignal): Promise<Timings> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(toCheckFailure(signal.reason, signal));
    const start = performance.now();
    let lookedUpAt: number | undefined;
    const socket = net.connect({ host, port });
    const onAbort = (): void => settle(toCheckFailure(signal.reason, signal));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('lookup', () => (lookedUpAt = performance.now()));
    socket.once('connect', () => {
      const now = performance.now();
      const timings: Timings = { connect_ms: round(now - (lookedUpAt ?? start)), total_ms: round(now - start) };
      if (lookedUpAt !== undefined) timings.dns_ms = round(lookedUpAt - start);
      settle(undefined, timings);
    });
    socket.once('error', (err) => settle(toCheckFailure(err, signal)));

    function settle(err: CheckFailure | undefined, timings?: Timings): void {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err) reject(err);
      else resolve(timings as Timings);
    }
  });
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
