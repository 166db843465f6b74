import { AlertRule, AlertRuleInput } from '../../contract/alerting.schema.ts';
import { alertExpressionErrors } from '../../contract/alert-expression/index.ts';
import { messageTemplateErrors } from '../../contract/message-template.ts';
import { resolveTeam } from '../resources/references.ts';
import type { SpecKind } from '../resources/spec-kind.ts';
import { storeRuleReferences } from './alert-rule-references.ts';
import { AlertInstanceRepository } from '../alerts/alert-instance.repository.ts';
import { endedByDeletion, eventLogSink } from '../alerts/alert-events.ts';
import { EventLogRepository } from '../events/event-log.repository.ts';

/**
 * Alert rules: an expression over states and measurements, owned by a team. The expression is
 * parsed and type-checked (422 with line and column), then its names are resolved among the team's
 * monitors, services and SLOs and stored as references (422 naming unknown ones). The message
 * template is parsed too (422 with line and column for an unclosed tag or an unknown variable).
 */
export const alertRuleKind: SpecKind = {
  type: 'alert_rule',
  label: 'Alert rule',
  path: 'alert-rules',
  tag: 'Alerting',
  table: 'alert_rules',
  idKind: 'alert_rule',
  input: AlertRuleInput,
  output: AlertRule,
  filters: [],
  rules: (doc) => [...alertExpressionErrors(String(doc.expression)), ...(typeof doc.message === 'string' ? messageTemplateErrors(doc.message) : [])],
  async place(ctx, doc) {
    const team = await resolveTeam(ctx, String(doc.team_id));
    return { teamId: team.id, type: String(doc.severity ?? 'error') };
  },
  async afterWrite(ctx, row) {
    const team = await resolveTeam(ctx, row.team_id);
    await storeRuleReferences(ctx, row, team, String((row.spec as Record<string, unknown>).expression));
    // The evaluator takes the rule up as soon as this commits (not at its turn in the tick).
    await new EventLogRepository().append(ctx.trx, [{ orgId: row.org_id, kind: 'alert_rule.changed', at: new Date(), payload: { rule_id: row.id } }]);
  },
  // The rule's alerts go with it; their end (a firing alert's resolution) is written to the event log first.
  async beforeDelete(ctx, row) {
    const ended = endedByDeletion(await new AlertInstanceRepository().instancesOfRule(ctx.trx, row.org_id, row.id), new Date());
    if (ended.length) await eventLogSink(new EventLogRepository())(ctx.trx, ended);
  },
};
