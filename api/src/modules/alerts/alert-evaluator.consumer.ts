import type { Db } from '../../db/database.ts';
import type { EventConsumer } from '../events/event.consumer.ts';
import type { StoredEvent } from '../events/event.types.ts';
import type { AlertEvaluationService } from './alert-evaluation.service.ts';
import type { AlertInstanceRepository } from './alert-instance.repository.ts';

/** The monitors and services whose state a batch of events changed, as `monitor:<id>` / `service:<id>`. */
export function changedSubjects(events: readonly StoredEvent[]): Map<string, { type: 'monitor' | 'service'; id: string }> {
  const subjects = new Map<string, { type: 'monitor' | 'service'; id: string }>();
  for (const e of events) {
    if (e.kind !== 'state.transition') continue;
    const type = e.payload.subject_type === 'service' ? 'service' : 'monitor';
    subjects.set(`${type}:${e.payload.subject_id}`, { type, id: e.payload.subject_id });
  }
  return subjects;
}

/**
 * The alert evaluator as a consumer of the event log. A batch of state transitions re-evaluates,
 * inside the batch's transaction (so the cursor moves with the alert changes it caused and a crash
 * between them loses nothing):
 * - every rule that names an affected monitor or service (alert_rule_references), whole;
 * - every selector rule over an affected kind of subject (alert_rule_selectors), for the affected
 *   subjects only: the other subjects' instances did not change, and the tick evaluates them all.
 */
export function alertEvaluatorConsumer(evaluation: AlertEvaluationService, instances: AlertInstanceRepository, now: () => number = Date.now): EventConsumer {
  return {
    name: 'alert-evaluator',
    start: 'latest',
    async handle(trx: Db, orgId: string, events: readonly StoredEvent[]): Promise<void> {
      const subjects = changedSubjects(events);
      if (subjects.size === 0) return;
      const named = new Set(await instances.rulesNaming(trx, orgId, [...subjects.values()]));
      const kinds = [...new Set([...subjects.values()].map((s) => s.type))];
      const selecting = (await instances.rulesSelecting(trx, orgId, kinds)).filter((id) => !named.has(id));
      const scope = { subjects: new Set(subjects.keys()) };
      // The clock is read per rule, as the tick does: a batch can take a while, and an instance must
      // not be stamped earlier than the results that changed it.
      for (const ruleId of [...named].sort()) await evaluation.evaluateIn(trx, orgId, ruleId, now());
      for (const ruleId of selecting.sort()) await evaluation.evaluateIn(trx, orgId, ruleId, now(), scope);
    },
  };
}
