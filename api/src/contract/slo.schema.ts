import { Type, type Static } from '@sinclair/typebox';
import type { FieldError } from './errors.ts';
import { Description, Id, Meta, Name, StringEnum, Tags } from './common.schema.ts';

/** What an objective measures: time not down (uptime) or the share of checks faster than a threshold (latency). */
export const sloObjectives = ['uptime', 'latency'] as const;

/** Windows an objective is judged over: rolling (ending now) or calendar (current month / quarter, UTC). */
export const sloWindows = ['rolling_7d', 'rolling_28d', 'rolling_30d', 'calendar_month', 'calendar_quarter'] as const;

export const SloInput = Type.Object(
  {
    name: Name,
    team_id: Id,
    description: Type.Optional(Description),
    monitor_id: Type.Optional(Id),
    service_id: Type.Optional(Id),
    objective: StringEnum(sloObjectives, { description: 'uptime: share of counted time not down; latency: share of checks answering within latency_threshold_ms.' }),
    target_percent: Type.Number({ exclusiveMinimum: 0, maximum: 100, description: 'The objective, e.g. 99.9; the error budget is 100 − target_percent.' }),
    latency_threshold_ms: Type.Optional(Type.Integer({ minimum: 1, maximum: 600000, description: 'Latency objectives only: a check counts as good when it answers within this many milliseconds.' })),
    window: Type.Optional(StringEnum(sloWindows, { default: 'rolling_30d', description: 'Window the objective is judged over: rolling_7d, rolling_28d, rolling_30d, calendar_month or calendar_quarter (UTC).' })),
    tags: Type.Optional(Tags),
  },
  { additionalProperties: false, description: 'Subject: monitor_id or service_id; neither means every service of the team.' },
);
export const Slo = Type.Object({ ...Meta, ...SloInput.properties });

export type SloInput = Static<typeof SloInput>;
export type Slo = Static<typeof Slo>;

/** Cross-field rules of an SLO document. Pure: the API and the Terraform provider both use them. */
export function sloErrors(s: SloInput): FieldError[] {
  const errors: FieldError[] = [];
  if (s.monitor_id !== undefined && s.service_id !== undefined) {
    errors.push({ pointer: '/service_id', message: 'Set monitor_id or service_id, not both; without either the objective covers every service of the team.' });
  }
  if (s.objective === 'latency' && s.latency_threshold_ms === undefined) {
    errors.push({ pointer: '/latency_threshold_ms', message: 'A latency objective needs latency_threshold_ms, e.g. 500.' });
  }
  if (s.objective === 'uptime' && s.latency_threshold_ms !== undefined) {
    errors.push({ pointer: '/latency_threshold_ms', message: 'latency_threshold_ms applies to latency objectives only; remove it or set objective = "latency".' });
  }
  return errors;
}
