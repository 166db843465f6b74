import type { CheckResult } from '../../../api/src/contract/index.ts';
import { CheckFailure, toCheckError } from './check.errors.ts';
import type { CheckOutcome, CheckRegistry, RunnableCheckType, RunnerMonitor } from './check.types.ts';
import { startClock, failedOutcome } from './outcome.builder.ts';
import { createResultIdFactory, type ResultIdFactory } from '../results/result-id.factory.ts';

/** Default whole-check budget from the contract (timeout_seconds). */
export const defaultTimeoutSeconds = 10;
// A check that ignores its signal still gets cut off shortly after the budget.
const hardStopGraceMs = 1000;

export interface ExecuteOptions {
  region: string;
  confirmation?: boolean;
  trustedCa?: readonly string[];
  /** Result id source; one per engine so its random pool is reused (a fresh one per call otherwise). */
  newResultId?: ResultIdFactory;
}

/** Runs one monitor's check within its timeout budget and returns the full wire CheckResult; never throws. */
export async function executeCheck(monitor: RunnerMonitor, registry: CheckRegistry, options: ExecuteOptions): Promise<CheckResult> {
  const outcome = await runWithBudget(monitor, registry, options);
  const newId = options.newResultId ?? createResultIdFactory(16);
  const result: CheckResult = { id: newId(), monitor_id: monitor.id, region: options.region, ...outcome };
  if (options.confirmation) result.confirmation = true;
  return result;
}

async function runWithBudget(monitor: RunnerMonitor, registry: CheckRegistry, options: ExecuteOptions): Promise<CheckOutcome> {
  const clock = startClock();
  const controller = new AbortController();
  const timeoutMs = Math.round((monitor.timeout_seconds ?? defaultTimeoutSeconds) * 1000);
  const deadline = Date.now() + timeoutMs;
  const ctx = { signal: controller.signal, deadline, ...(options.trustedCa ? { trustedCa: options.trustedCa } : {}) };
  if (!isRunnable(monitor.type, registry)) {
    return failedOutcome(clock, new CheckFailure('invalid_monitor', `runners do not execute ${monitor.type} monitors`), ctx);
  }
  const check = registry[monitor.type];
  // One timer per check: the budget timer aborts, and only then arms the hard stop (a check that
  // finishes in time never creates the second timer).
  let timer: NodeJS.Timeout | undefined;
  try {
    const stopped = new Promise<CheckOutcome>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new CheckFailure('timeout', `check exceeded ${timeoutMs} ms`));
        timer = setTimeout(() => resolve(failedOutcome(clock, new CheckFailure('timeout', `check exceeded ${timeoutMs} ms`), ctx)), hardStopGraceMs);
      }, timeoutMs);
    });
    return await Promise.race([check.run(monitor, ctx), stopped]);
  } catch (err) {
    // Checks turn expected failures into outcomes; reaching this is a bug, reported rather than thrown.
    const message = err instanceof Error ? err.message : String(err);
    return { ...failedOutcome(clock, err, ctx), error: toCheckError(new CheckFailure('internal_error', message)) };
  } finally {
    clearTimeout(timer);
  }
}

function isRunnable(type: string, registry: CheckRegistry): type is RunnableCheckType {
  return Object.hasOwn(registry, type);
}
