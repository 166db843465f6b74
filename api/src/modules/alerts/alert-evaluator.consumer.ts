import { analyzeAlertExpression } from '../../contract/alert-expression/index.ts';
import type { Db } from '../../db/database.ts';
import type { EventConsumer } from '../events/event.consumer.ts';
import type { StoredEvent } from '../events/event.types.ts';
import type { AlertEvaluationService } from './alert-evaluation.service.ts';
import type { AlertInstanceRepository } from './alert-instance.repository.ts';

/** Whether an expression fans out over a selector (memoised by text: rules rarely change). */
function selectorTest(): (expression: string) => boolean {
  const memo = new Map<string, boolean>();
  return (expression) => {
    let has = memo.get(expression);
    if (has === undefined) {
      const analyzed = analyzeAlertExpression(expression);
      has = analyzed.ok && analyzed.expression.selector !== null;
      if (memo.size > 10_000) memo.clear();
      memo.set(expression, has);
    }
    return has;
  };
}

/**
 * The alert evaluator as a consumer of the event log: a batch of state transitions re-evaluates
 * the rules that name an affected monitor or service (alert_rule_references) and every rule of the
 * organization with a selector (it may match the subject), inside the batch's transaction, so the
 * cursor moves with the alert changes it caused and a crash between them loses nothing.
 */
export function alertEvaluatorConsumer(evaluation: AlertEvaluationService, instances: AlertInstanceRepository, now: () => number = Date.now): EventConsumer {
  const hasSelector = selectorTest();
  return {
    name: 'alert-evaluator',
    start: 'latest',
    async handle(trx: Db, orgId: string, events: readonly StoredEvent[]): Promise<void> {
      const subjects = new Map<string, { type: 'monitor' | 'service'; id: string }>();
      for (const e of events) {
        if (e.kind !== 'state.transition') continue;
        const type = e.payload.subject_type === 'service' ? 'service' : 'monitor';
        subjects.set(`${type}:${e.payload.subject_id}`, { type, id: e.payload.subject_id });
      }
      if (subjects.size === 0) return;
      const named = await instances.rulesNaming(trx, orgId, [...subjects.values()]);
      const selecting = (await instances.rulesOfOrg(trx, orgId)).filter((r) => hasSelector(String((r.spec as { expression?: unknown }).expression ?? ''))).map((r) => r.id);
      // The clock is read per rule, as the tick does: a batch can take a while, and an instance must
      // not be stamped earlier than the results that changed it.
      for (const ruleId of [...new Set([...named, ...selecting])].sort()) await evaluation.evaluateIn(trx, orgId, ruleId, now());
    },
  };
}
