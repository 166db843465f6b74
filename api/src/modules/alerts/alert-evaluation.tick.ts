import type { Logger } from '../../observability/logger.ts';
import type { AlertEvaluationService } from './alert-evaluation.service.ts';
import type { AlertInstanceRepository } from './alert-instance.repository.ts';
import type { Db } from '../../db/database.ts';

/** Most rules one tick evaluates; the least recently evaluated go first, so every rule gets its turn. */
export const defaultRulesPerTick = 500;
/** How often the tick evaluates a rule over states only (its changes arrive as events; this is the safety net). */
export const stateRulePeriodMs = 60_000;
/** Time-based rules (windows, metrics, anomalies, SLOs) are evaluated every this many ticks (15 s by default). */
export const timeRuleTicks = 3;

/**
 * The periodic evaluation (a leased background job): rules with an alert the clock moves (pending
 * for its `for`, within keep_firing_for, waiting out a no-data timeout) at every tick; rules whose
 * value moves with time alone (windows sliding, metrics ageing, baselines, SLO figures) every
 * third tick; rules over states only, whose changes come as events, once a minute. One rule's
 * failure is logged and does not stop the others.
 */
export function alertEvaluationTick(db: Db, evaluation: AlertEvaluationService, instances: AlertInstanceRepository, logger: Logger, options: { tickMs: number; rulesPerTick?: number }) {
  return async (): Promise<number> => {
    const now = Date.now();
    // A window moves little in a few seconds, and the results and metrics that move it more arrive
    // as events; a rule evaluated a moment ago (by the consumer) is not due again at this tick.
    const cutoffs = { timeCutoff: new Date(now - options.tickMs * (timeRuleTicks - 0.2)), stateCutoff: new Date(now - stateRulePeriodMs) };
    const due = await instances.rulesDue(db, options.rulesPerTick ?? defaultRulesPerTick, cutoffs);
    for (const rule of due) {
      try {
        // Each rule reads the clock when its turn comes: a tick can take seconds, and an instance
        // stamped with the tick's start would fire or resolve before the result that caused it.
        await evaluation.evaluateRule(rule.org_id, rule.id, Date.now());
      } catch (error) {
        logger.error({ err: error, rule_id: rule.id }, 'alert rule evaluation failed; it is retried at the next tick');
      }
    }
    return due.length;
  };
}
