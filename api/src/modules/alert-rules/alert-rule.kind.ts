import { AlertRule, AlertRuleInput } from '../../contract/alerting.schema.ts';
import { resolveTeam } from '../resources/references.ts';
import type { SpecKind } from '../resources/spec-kind.ts';

/** Alert rules: an expression over states and measurements, owned by a team. */
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
  async place(ctx, doc) {
    const team = await resolveTeam(ctx, String(doc.team_id));
    return { teamId: team.id, type: String(doc.severity ?? 'error') };
  },
};
