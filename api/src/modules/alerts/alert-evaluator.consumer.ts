import type { Db } from '../../db/database.ts';
import type { EventConsumer } from '../events/event.consumer.ts';
import type { StoredEvent } from '../events/event.types.ts';
import type { AlertEvaluationService, AlertStateChange } from './alert-evaluation.service.ts';
import type { AlertInstanceRepository } from './alert-instance.repository.ts';
import { SlotCauseReaders } from './slot-cause.rules.ts';

type ChangedSubject = { type: 'monitor' | 'service' | 'edge'; id: string };
type Subjects = Map<string, ChangedSubject>;

/**
 * What a batch of events asks the evaluator to look at: the monitors, services and dependency
 * edges whose state changed, the monitors whose unknown slots only changed cause, the monitors that
 * only reported health metrics, as `monitor:<id>` / `service:<id>` / `edge:<dependency id>`, and the
 * rules that were created or changed. A slot's transition is its monitor's. Many events about one
 * subject are one entry.
 */
export function changesOf(events: readonly StoredEvent[]): { states: Subjects; causes: Map<string, { type: 'monitor'; id: string }>; metrics: Subjects; rules: Set<string> } {
  const states: Subjects = new Map();
  const causes = new Map<string, { type: 'monitor'; id: string }>();
  const metrics: Subjects = new Map();
  const rules = new Set<string>();
  const add = (to: Subjects, type: ChangedSubject['type'], id: string) => to.set(`${type}:${id}`, { type, id });
  for (const e of events) {
    switch (e.kind) {
      case 'state.transition':
        add(states, e.payload.subject_type === 'service' || e.payload.subject_type === 'edge' ? e.payload.subject_type : 'monitor', e.payload.subject_id);
        break;
      case 'slot.cause_changed':
        causes.set(`monitor:${e.payload.monitor_id}`, { type: 'monitor', id: e.payload.monitor_id });
        break;
      case 'metrics.recorded':
        for (const id of e.payload.monitor_ids) add(metrics, 'monitor', id);
        break;
      case 'alert_rule.changed':
        rules.add(e.payload.rule_id);
        break;
      case 'alert.state_changed':
        break;
    }
  }
  for (const key of states.keys()) {
    metrics.delete(key);
    causes.delete(key);
  }
  return { states, causes, metrics, rules };
}

/** Which events an evaluator consumer takes: state changes and rule changes, or recorded health metrics. */
export type EvaluatorFeed = 'states' | 'metrics';

/**
 * The alert evaluator as a consumer of the event log, in two feeds (two consumers). A batch re-evaluates, inside the batch's
 * transaction (so the cursor moves with the alert changes it caused and a crash between them loses
 * nothing):
 * - every rule that was created or changed, whole;
 * - every rule that names a monitor, service or edge whose state changed (alert_rule_references), whole;
 *   for a monitor that only reported health metrics, only such rules that are time-based (a rule
 *   over states does not change with a metric);
 * - every selector rule over an affected kind of subject (alert_rule_traits), for the affected
 *   subjects only (time-based ones only for metrics): the other subjects' instances did not change,
 *   and the tick evaluates them all;
 * - for a monitor whose unknown slots only changed cause, only the rules above that read the cause
 *   (no_data(…)): the placement of a fleet writes one such event per slot, and no other rule can
 *   change with them (slot-cause.rules.ts).
 * The batch's alert state changes are appended to the log once, at the end.
 */
export function alertEvaluatorConsumer(evaluation: Pick<AlertEvaluationService, 'evaluateIn' | 'flushChanges'>, instances: AlertInstanceRepository, feed: EvaluatorFeed = 'states', now: () => number = Date.now): EventConsumer {
  const causeReaders = new SlotCauseReaders();
  return {
    name: feed === 'states' ? 'alert-evaluator' : 'alert-metric-evaluator',
    start: 'latest',
    async handle(trx: Db, orgId: string, events: readonly StoredEvent[]): Promise<void> {
      const all = changesOf(events);
      // Each feed is its own consumer (its own cursor and loop): a burst of metric evaluations never
      // delays the evaluation of a state change, the one a page waits for.
      const states = feed === 'states' ? all.states : new Map<string, ChangedSubject>();
      const metrics = feed === 'metrics' ? all.metrics : new Map<string, ChangedSubject>();
      const rules = feed === 'states' ? all.rules : new Set<string>();
      const causes = feed === 'states' ? all.causes : new Map<string, { type: 'monitor'; id: string }>();
      if (states.size === 0 && causes.size === 0 && metrics.size === 0 && rules.size === 0) return;
      const byCause = await causeReaders.rulesFor(trx, orgId, instances, [...causes.values()]);
      const whole = new Set([...rules, ...byCause.naming, ...(await instances.rulesNaming(trx, orgId, [...states.values()])), ...(await instances.rulesNaming(trx, orgId, [...metrics.values()], true))]);
      const scoped = new Map<string, Set<string>>();
      const addScoped = (ids: string[], subjects: Subjects) => {
        // An array, not subjects.keys(): an iterator would be spent by the first rule.
        const keys = [...subjects.keys()];
        for (const id of ids) if (!whole.has(id)) scoped.set(id, new Set([...(scoped.get(id) ?? []), ...keys]));
      };
      const kinds = (s: Subjects) => [...new Set([...s.values()].map((x) => x.type))];
      addScoped(await instances.rulesSelecting(trx, orgId, kinds(states)), states);
      addScoped(await instances.rulesSelecting(trx, orgId, kinds(metrics), true), metrics);
      addScoped(byCause.selecting, causes);
      const changes: AlertStateChange[] = [];
      // The clock is read per rule, as the tick does: a batch can take a while, and an instance must
      // not be stamped earlier than the results that changed it.
      for (const ruleId of [...whole].sort()) await evaluation.evaluateIn(trx, orgId, ruleId, now(), undefined, changes);
      for (const [ruleId, subjects] of [...scoped].sort(([a], [b]) => (a < b ? -1 : 1))) await evaluation.evaluateIn(trx, orgId, ruleId, now(), { subjects }, changes);
      await evaluation.flushChanges(trx, changes);
    },
  };
}
