import type { AssertionOutcome, CheckError, ResultStatus } from '../../../api/src/contract/index.ts';
import type { FailureCode } from '../checks/check.errors.ts';

export interface VerdictInput {
  outcomes: readonly AssertionOutcome[];
  /** HTTP status of the final response; undefined for checks without one. */
  statusCode?: number;
  /** Apply the implicit "2xx/3xx is up" rule (HTTP checks without a status_code assertion). */
  defaultStatusRule: boolean;
  responseTimeMs: number;
  degradedThresholdMs?: number;
}

export interface Verdict {
  status: ResultStatus;
  error?: CheckError;
}

/**
 * Turns assertion outcomes into up / degraded / down. Order matters: an unexpected HTTP status
 * says more than the assertions that fail because of it, a down assertion outweighs a degraded
 * one, and slowness only matters for a check that otherwise passed.
 */
export function decideVerdict(input: VerdictInput): Verdict {
  if (input.defaultStatusRule && input.statusCode !== undefined && !(input.statusCode >= 200 && input.statusCode < 400)) {
    return down('http_error', `unexpected HTTP status ${input.statusCode}`);
  }
  const failedDown = input.outcomes.filter((o) => !o.passed && o.severity === 'down');
  if (failedDown.length > 0) return down('assertion_failed', describe(failedDown));
  const failedDegraded = input.outcomes.filter((o) => !o.passed);
  if (failedDegraded.length > 0) return degraded('assertion_failed', describe(failedDegraded));
  if (input.degradedThresholdMs !== undefined && input.responseTimeMs > input.degradedThresholdMs) {
    return degraded('slow_response', `took ${Math.round(input.responseTimeMs)} ms, over the ${input.degradedThresholdMs} ms degraded threshold`);
  }
  return { status: 'up' };
}

/** True when the assertions already judge the status code, so the implicit 2xx/3xx rule stays out. */
export function hasStatusAssertion(outcomes: readonly { source: string }[]): boolean {
  return outcomes.some((o) => o.source === 'status_code');
}

function describe(failed: readonly AssertionOutcome[]): string {
  const parts = failed.slice(0, 5).map((o) => {
    const subject = o.path ? `${o.source} ${o.path}` : o.source;
    const expected = o.target === undefined ? '' : ` ${o.target.slice(0, 100)}`;
    return `${subject} ${o.operator}${expected} (actual: ${o.actual === undefined ? 'absent' : o.actual.slice(0, 100)})`;
  });
  const more = failed.length > 5 ? ` and ${failed.length - 5} more` : '';
  // The contract caps messages at 2,000 characters.
  return `${failed.length} assertion(s) failed: ${parts.join('; ')}${more}`.slice(0, 2000);
}

function down(code: FailureCode, message: string): Verdict {
  return { status: 'down', error: { code, message } };
}

function degraded(code: FailureCode, message: string): Verdict {
  return { status: 'degraded', error: { code, message } };
}
