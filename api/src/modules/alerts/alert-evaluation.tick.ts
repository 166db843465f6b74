import type { Logger } from '../../observability/logger.ts';
import type { AlertEvaluationService } from './alert-evaluation.service.ts';
import type { AlertInstanceRepository } from './alert-instance.repository.ts';
import type { Db } from '../../db/database.ts';

/** Most rules one tick evaluates; the least recently evaluated go first, so every rule gets its turn. */
export const defaultRulesPerTick = 500;

/**
 * The periodic evaluation (a leased background job): rules whose conditions change with time
 * alone (`for`, keep_firing_for, windows sliding, no data) are evaluated without waiting for an
 * event. One rule's failure is logged and does not stop the others.
 */
export function alertEvaluationTick(db: Db, evaluation: AlertEvaluationService, instances: AlertInstanceRepository, logger: Logger, rulesPerTick = defaultRulesPerTick) {
  return async (): Promise<number> => {
    const due = await instances.rulesDue(db, rulesPerTick);
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
