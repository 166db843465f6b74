import { Type, type Static } from '@sinclair/typebox';
import { ClosedMap, Id, StringEnum, Timestamp, labelKey } from './common.schema.ts';
import { severities } from './alerting.schema.ts';

export const alertStates = ['inactive', 'pending', 'firing', 'resolved'] as const;

const Labels = ClosedMap(labelKey, Type.String(), { maxProperties: 100, description: 'The rule\'s labels, alertname, severity, team, and the subject\'s service and monitor.' });
const Annotations = ClosedMap(labelKey, Type.String(), { maxProperties: 20, description: 'runbook_url and message of the rule.' });
const Measurement = Type.Object({ expression: Type.String(), value: Type.Union([Type.Number(), Type.Null()]) });

/** An alert: one instance of a rule for one subject. */
export const Alert = Type.Object({
  id: Id,
  rule_id: Id,
  team_id: Id,
  severity: StringEnum(severities),
  state: StringEnum(alertStates),
  labels: Labels,
  annotations: Annotations,
  since: Timestamp,
  active_since: Type.Union([Timestamp, Type.Null()], { description: 'When the condition became true (pending or firing).' }),
  pending_since: Type.Union([Timestamp, Type.Null()]),
  firing_since: Type.Union([Timestamp, Type.Null()], { description: 'When it last started firing.' }),
  resolved_at: Type.Union([Timestamp, Type.Null()]),
  last_evaluated_at: Timestamp,
  last_outcome: StringEnum(['true', 'false', 'no_data', 'error'] as const),
  value: Type.Union([Type.Number(), Type.Null()], { description: 'The first measured number of the last evaluation (ms for durations, percentage points for percentages).' }),
  measurements: Type.Array(Measurement),
});

export const AlertHistoryEntry = Type.Object({
  from: StringEnum(alertStates),
  to: StringEnum(alertStates),
  at: Timestamp,
  reason: Type.String({ description: 'condition_met, for_elapsed, condition_cleared, keep_firing_elapsed, no_data_timeout, rule_disabled or subject_gone.' }),
  value: Type.Union([Type.Number(), Type.Null()]),
});

export const AlertDetail = Type.Object({ ...Alert.properties, history: Type.Array(AlertHistoryEntry, { description: 'Every change of state, oldest first.' }) });

const LabelPair = Type.String({ maxLength: 300, pattern: '^[^:]+:.*$', errorMessage: 'Must be key:value, e.g. label=service:checkout.' });

export const AlertListQuery = Type.Object(
  {
    state: Type.Optional(StringEnum(alertStates)),
    team_id: Type.Optional(Id),
    rule_id: Type.Optional(Id),
    severity: Type.Optional(StringEnum(severities)),
    label: Type.Optional(Type.Union([LabelPair, Type.Array(LabelPair, { maxItems: 20 })], { description: 'key:value; repeat to require several labels.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'next_cursor of the previous page.' })),
  },
  { additionalProperties: false },
);

export const AlertRuleStatus = Type.Object({
  rule_id: Id,
  enabled: Type.Boolean(),
  last_evaluated_at: Type.Union([Timestamp, Type.Null()], { description: 'Null until the rule was first evaluated.' }),
  evaluation_ms: Type.Union([Type.Number(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why the last evaluation could not decide, e.g. a query that failed; null when it could.' }),
  no_data_reason: Type.Union([StringEnum(['no_data', 'unknown_input', 'warming_up'] as const), Type.Null()], {
    description: 'Why the last evaluation had no data, for the first subject without: no_data (nothing measured in the window), unknown_input (a state is unknown), warming_up (an anomaly baseline is still learning, so the rule cannot fire yet); null when every subject had data.',
  }),
  instances: Type.Array(Alert),
});

export type Alert = Static<typeof Alert>;
export type AlertDetail = Static<typeof AlertDetail>;
export type AlertRuleStatus = Static<typeof AlertRuleStatus>;
export type AlertListQuery = Static<typeof AlertListQuery>;
