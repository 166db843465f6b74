import type { Logger } from 'pino';
import type { Assignments } from '../../../api/src/contract/index.ts';
import type { Engine } from '../engine.ts';
import type { LoadTestManager } from '../load-test/load-test.manager.ts';
import { Backoff, pause } from './backoff.policy.ts';
import type { ProtocolClient } from './protocol.client.ts';
import { ProtocolError, isFatal } from './protocol.errors.ts';
import { describeError, retryAfterMs, type RunnerSession } from './runner.session.ts';

export interface PollLoopOptions {
  client: ProtocolClient;
  session: RunnerSession;
  engine: Pick<Engine, 'setMonitors' | 'upsertMonitor' | 'removeMonitor' | 'runNow'>;
  logger: Logger;
  /** Receives the load-test shares and aborts of each answer (runners with the load_test capability). */
  loadTests?: Pick<LoadTestManager, 'apply'>;
  onPollSucceeded: () => void;
  onPollError: () => void;
  backoff?: Backoff;
}

/**
 * Applies one answer of the assignment feed to the engine. A monitor the engine cannot take is
 * logged and skipped: one bad document must not stop the others (or crash the runner in a loop).
 */
export function applyAssignments(engine: PollLoopOptions['engine'], answer: Assignments, logger: Logger): void {
  const each = <T>(items: readonly T[], apply: (item: T) => void, idOf: (item: T) => string): void => {
    for (const item of items) {
      try {
        apply(item);
      } catch (err) {
        logger.error({ monitor_id: idOf(item), error: (err as Error).message }, 'assignment not applied');
      }
    }
  };
  if (answer.full) {
    try {
      engine.setMonitors(answer.monitors);
    } catch (err) {
      // setMonitors removes the absent monitors first, then upserts: finish the upserts one by one.
      logger.error({ error: (err as Error).message }, 'full assignment set not applied at once; applying monitor by monitor');
      each(answer.monitors, (m) => engine.upsertMonitor(m), (m) => m.id);
    }
  } else {
    each(answer.monitors, (m) => engine.upsertMonitor(m), (m) => m.id);
    each(answer.removed, (id) => engine.removeMonitor(id), (id) => id);
  }
  if (answer.full || answer.monitors.length > 0 || answer.removed.length > 0) {
    logger.info({ revision: answer.revision, full: answer.full, monitors: answer.monitors.length, removed: answer.removed.length }, 'assignments applied');
  }
  for (const confirmation of answer.confirmations) {
    // Not awaited: the next poll must not wait for a check. The result reaches the sink like any other.
    engine.runNow(confirmation.monitor_id, { confirmation: true }).then(
      (result) => logger.debug({ monitor_id: confirmation.monitor_id, status: result.status, result_id: result.id }, 'confirmation check done'),
      (err: Error) => logger.warn({ monitor_id: confirmation.monitor_id, reason: confirmation.reason, error: err.message }, 'confirmation check not run'),
    );
  }
}

/**
 * Long-polls the assignment feed until `signal` aborts. Polls again at once after an answer; on
 * errors backs off (capped at a few seconds) while the engine keeps its schedule. Registers again
 * when the API has forgotten the runner. Rejects only on fatal errors.
 */
export async function runPollLoop(options: PollLoopOptions, signal: AbortSignal): Promise<void> {
  const { client, session, engine, logger } = options;
  const backoff = options.backoff ?? new Backoff();
  let revision = 0;
  let failingSince: number | undefined;
  let unknownInARow = 0;

  while (!signal.aborted) {
    const runner = session.current ?? (await session.register(signal));
    try {
      const answer = await client.pollAssignments({ runnerId: runner.runner_id, revision, waitSeconds: runner.poll_wait_seconds }, signal);
      applyAssignments(engine, answer, logger);
      options.loadTests?.apply(answer.load_tests, answer.aborted_load_tests);
      revision = answer.revision;
      options.onPollSucceeded();
      unknownInARow = 0;
      if (failingSince !== undefined) {
        logger.info({ outage_ms: Date.now() - failingSince, attempts: backoff.attempts }, 'polling the control plane again');
        failingSince = undefined;
      }
      backoff.reset();
    } catch (err) {
      if (signal.aborted || (err instanceof ProtocolError && err.code === 'aborted')) return;
      if (isFatal(err)) throw err;
      if (err instanceof ProtocolError && err.code === 'runner_unknown') {
        // A second 404 right after registering again means something is off: do not spin.
        if (unknownInARow++ > 0 && !(await pause(backoff.next(), signal))) return;
        await session.reRegister(runner.runner_id, signal);
        revision = 0; // a new runner id starts from the full set
        continue;
      }
      options.onPollError();
      failingSince ??= Date.now();
      const delay = Math.max(backoff.next(), retryAfterMs(err));
      const level = backoff.attempts === 1 || backoff.attempts % 30 === 0 ? 'warn' : 'debug';
      logger[level]({ error: describeError(err), retry_in_ms: delay, attempt: backoff.attempts }, 'poll failed; checks keep running on the last assignments');
      await pause(delay, signal);
    }
  }
}
