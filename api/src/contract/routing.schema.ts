import { Managed } from './managed-by.schema.ts';
import { Type, type Static } from '@sinclair/typebox';
import { ClosedMap, Id, Meta, StringEnum, Timestamp, labelKey } from './common.schema.ts';
import { Matcher, policyScopes } from './alerting.schema.ts';

// Silences and the routing test (docs/alerting.md, "Routing" and "Silences and maintenance").

export const silenceStates = ['pending', 'active', 'expired'] as const;

export const SilenceInput = Type.Object(
  {
    scope: Type.Optional(StringEnum(policyScopes, { default: 'team', description: 'team: mutes only alerts of team_id (their team label). organization: mutes alerts of every team (org admins only; no team_id).' })),
    team_id: Type.Optional(Id),
    matchers: Type.Array(Matcher, { minItems: 1, maxItems: 20, description: 'Every matcher must match an alert\'s labels for the silence to mute it.' }),
    starts_at: Type.String({ format: 'date-time', description: 'RFC 3339 time the silence starts (a time in the past starts it at once).' }),
    ends_at: Type.String({ format: 'date-time', description: 'RFC 3339 time the silence ends; must be after starts_at. Set it to now to expire the silence early.' }),
    comment: Type.String({ minLength: 1, maxLength: 1000, description: 'Why the alerts are silenced, e.g. a ticket or change id.' }),
  },
  { additionalProperties: false },
);

export const Principal = Type.Object({
  type: Type.String({ description: 'api_token or user.' }),
  id: Type.String(),
  name: Type.String(),
});

export const Silence = Type.Object({
  ...Meta,
  ...Managed,
  ...SilenceInput.properties,
  scope: StringEnum(policyScopes),
  state: StringEnum(silenceStates, { description: 'pending before starts_at, active until ends_at, expired after.' }),
  created_by: { ...Principal, description: 'Who created the silence (read-only).' },
});

export const RoutingTestInput = Type.Object(
  {
    labels: ClosedMap(labelKey, Type.String({ maxLength: 1024 }), {
      maxProperties: 100,
      description: 'Alert labels as the alert engine sets them: alertname, severity, team (the team name), service, monitor and the rule\'s labels.',
    }),
    team_id: Type.Optional({ ...Id, description: 'Route as an alert of this team: sets the team label to the team\'s name.' }),
    at: Type.Optional(Type.String({ format: 'date-time', description: 'When to check silences and maintenance windows; default now.' })),
  },
  { additionalProperties: false },
);

const ChannelRef = Type.Object({ id: Id, name: Type.String(), type: Type.String(), team_id: Id });
const MutedBy = Type.Object({ kind: StringEnum(['silence', 'maintenance_window', 'mute_time_window'] as const), id: Id, name: Type.Optional(Type.String()) });

export const RoutingTestResult = Type.Object({
  labels: ClosedMap(labelKey, Type.String(), { maxProperties: 101, description: 'The labels routed (team set from team_id).' }),
  at: Timestamp,
  tree: Type.Union([StringEnum(policyScopes), Type.Null()], { description: 'team when a policy of the team\'s tree took the alert, organization when the fallback tree did, null when no policy did.' }),
  routes: Type.Array(
    Type.Object({
      policies: Type.Array(Type.Object({ id: Id, name: Type.String() }), { description: 'The matched path, from the top-level policy to the one that took the alert.' }),
      channels: Type.Array(ChannelRef),
      group_key: Type.String(),
      group_labels: ClosedMap(labelKey, Type.String(), { maxProperties: 101, description: 'The group_by labels of the alert: what its notification group has in common.' }),
      group_by: Type.Array(Type.String(), { description: '["..."] groups by every label.' }),
      group_wait: Type.String(),
      group_interval: Type.String(),
      repeat_interval: Type.String(),
      muted: Type.Boolean(),
      muted_by: Type.Array(MutedBy),
    }),
    { description: 'In the order notifications would go; empty when no policy takes the alert.' },
  ),
  muted: Type.Boolean({ description: 'True when every route is muted (no notification would be sent now).' }),
});

export type SilenceInput = Static<typeof SilenceInput>;
export type RoutingTestInput = Static<typeof RoutingTestInput>;
export type RoutingTestResult = Static<typeof RoutingTestResult>;
