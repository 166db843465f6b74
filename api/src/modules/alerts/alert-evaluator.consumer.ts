import type { Db } from '../../db/database.ts';
import type { EventConsumer } from '../events/event.consumer.ts';
import type { StoredEvent } from '../events/event.types.ts';
import type { AlertEvaluationService } from './alert-evaluation.service.ts';
import type { AlertInstanceRepository } from './alert-instance.repository.ts';

type ChangedSubject = { type: 'monitor' | 'service'; id: string };

/**
 * What a batch of events asks the evaluator to look at: the monitors and services whose state
 * changed or whose health metrics were recorded (as `monitor:<id>` / `service:<id>`), and the rules
 * that were created or changed.
 */
export function changesOf(events: readonly StoredEvent[]): { subjects: Map<string, ChangedSubject>; rules: Set<string> } {
  const subjects = new Map<string, ChangedSubject>();
  const rules = new Set<string>();
  const add = (type: ChangedSubject['type'], id: string) => subjects.set(`${type}:${id}`, { type, id });
  for (const e of events) {
    switch (e.kind) {
      case 'state.transition':
        add(e.payload.subject_type === 'service' ? 'service' : 'monitor', e.payload.subject_id);
        break;
      case 'metrics.recorded':
        for (const id of e.payload.monitor_ids) add('monitor', id);
        break;
      case 'slot.cause_changed':
        add('monitor', e.payload.monitor_id);
        break;
      case 'alert_rule.changed':
        rules.add(e.payload.rule_id);
        break;
      case 'alert.state_changed':
        break;
    }
  }
  return { subjects, rules };
}

/**
 * The alert evaluator as a consumer of the event log. A batch of state transitions (and of recorded
 * health metrics, and of rule changes) re-evaluates, inside the batch's transaction (so the cursor
 * moves with the alert changes it caused and a crash between them loses nothing):
 * - every rule that was created or changed, whole;
 * - every rule that names an affected monitor or service (alert_rule_references), whole;
 * - every selector rule over an affected kind of subject (alert_rule_traits), for the affected
 *   subjects only: the other subjects' instances did not change, and the tick evaluates them all.
 */
export function alertEvaluatorConsumer(evaluation: AlertEvaluationService, instances: AlertInstanceRepository, now: () => number = Date.now): EventConsumer {
  return {
    name: 'alert-evaluator',
    start: 'latest',
    async handle(trx: Db, orgId: string, events: readonly StoredEvent[]): Promise<void> {
      const { subjects, rules } = changesOf(events);
      if (subjects.size === 0 && rules.size === 0) return;
      const named = new Set([...rules, ...(await instances.rulesNaming(trx, orgId, [...subjects.values()]))]);
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
