import { Managed } from './managed-by.schema.ts';
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
export const Slo = Type.Object({ ...Meta, ...Managed, ...SloInput.properties });

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

const BurnRate = Type.Union([Type.Number({ minimum: 0 }), Type.Null()]);

/** GET /v1/slos/{id}/status: where an objective stands in its current window. */
export const SloStatus = Type.Object(
  {
    slo_id: Id,
    objective: StringEnum(sloObjectives),
    target_percent: Type.Number(),
    window: Type.Object({
      label: StringEnum(sloWindows),
      from: Type.String({ format: 'date-time', description: 'Start of the window: now − N days, or the start of the current UTC month / quarter.' }),
      to: Type.String({ format: 'date-time', description: 'Now.' }),
    }),
    attained_percent: Type.Union([Type.Number(), Type.Null()], { description: 'uptime: share of counted time not down; latency: share of checks within latency_threshold_ms. Null without data.' }),
    error_budget: Type.Object(
      {
        allowed: Type.Number({ description: 'Budget so far: (100 − target_percent) % of the counted seconds (uptime) or of the checks (latency) in the window.' }),
        consumed: Type.Number({ description: 'Seconds down (uptime) or checks slower than the threshold (latency).' }),
        remaining_percent: Type.Number({ description: 'Share of the budget left; negative once overspent.' }),
      },
      { description: 'Seconds of downtime for uptime objectives, checks for latency objectives.' },
    ),
    burn_rate: Type.Object(
      { '1h': BurnRate, '6h': BurnRate, '24h': BurnRate },
      { description: 'Bad fraction over the last 1 h / 6 h / 24 h divided by the budget fraction; 1 spends the budget exactly over the window. Null without data.' },
    ),
    status: StringEnum(['ok', 'at_risk', 'breached', 'no_data'] as const, { description: 'breached: budget overspent; at_risk: 1 h burn rate > 14.4, 6 h burn rate > 6 or less than 10 % of the budget left; no_data: nothing counted yet.' }),
  },
  { additionalProperties: false },
);
export type SloStatus = Static<typeof SloStatus>;
