import type { Logger } from '../../observability/logger.ts';
import type { AlertEvaluationService } from './alert-evaluation.service.ts';
import type { AlertInstanceRepository } from './alert-instance.repository.ts';
import type { Db } from '../../db/database.ts';

/** Most rules one tick evaluates; the least recently evaluated go first, so every rule gets its turn. */
export const defaultRulesPerTick = 500;
/** How often the tick evaluates a rule over states only (its changes arrive as events; this is the safety net). */
export const stateRulePeriodMs = 60_000;

/**
 * The periodic evaluation (a leased background job): rules whose conditions change with time
 * alone (`for`, keep_firing_for, windows sliding, metrics ageing, no data) are evaluated without
 * waiting for an event, at every tick; rules over states only, whose changes come as events, once
 * a minute. One rule's failure is logged and does not stop the others.
 */
export function alertEvaluationTick(db: Db, evaluation: AlertEvaluationService, instances: AlertInstanceRepository, logger: Logger, options: { tickMs: number; rulesPerTick?: number }) {
  return async (): Promise<number> => {
    const now = Date.now();
    // A rule the consumer evaluated a moment ago is not due again at this tick.
    const cutoffs = { timeCutoff: new Date(now - options.tickMs * 0.8), stateCutoff: new Date(now - stateRulePeriodMs) };
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
