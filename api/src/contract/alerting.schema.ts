import { Managed } from './managed-by.schema.ts';
import { Type, type Static } from '@sinclair/typebox';
import { ClosedMap, Description, HeaderValue, Id, Meta, Name, StringEnum, Tags, Timestamp, headerName } from './common.schema.ts';

const Duration = (description: string) =>
  Type.String({
    pattern: '^([0-9]+(ms|s|m|h|d))+$',
    maxLength: 32,
    description: `${description} A duration such as "30s", "5m", "1h30m".`,
    errorMessage: 'Must be a duration: numbers with units ms, s, m, h or d, e.g. "30s", "5m" or "1h30m".',
  });

export const severities = ['critical', 'error', 'warning', 'info'] as const;

/** What an alert does while its expression cannot be decided for lack of data (docs/alert-evaluation.md). */
export const noDataPolicies = ['keep_last', 'ok', 'alerting'] as const;

export const AlertRuleInput = Type.Object(
  {
    name: Name,
    team_id: Id,
    expression: Type.String({ minLength: 1, maxLength: 4096, description: 'Condition in the Pharos alert language (docs/alert-language.md) over states and measurements of the team\'s monitors, services and SLOs, e.g. down(service("checkout")) or p95(monitor("api"), "5m") > 2000. Syntax and types are checked at plan; names are resolved within the rule\'s team at apply.' }),
    for_duration: Type.Optional(Duration('How long the expression must hold before the alert fires; "0s" fires at once.')),
    keep_firing_for: Type.Optional(Duration('How long a firing alert keeps firing after its expression turned false, against flapping; "0s" resolves at once.')),
    no_data: Type.Optional(StringEnum(noDataPolicies, { default: 'keep_last', description: 'While the expression lacks data: keep_last keeps the alert as it is (until no_data_timeout), ok counts it as false, alerting as true.' })),
    no_data_timeout: Type.Optional(Duration('With no_data = keep_last: after this long without data a pending alert goes back to inactive and a firing one resolves; default "15m".')),
    severity: Type.Optional(StringEnum(severities, { default: 'error' })),
    labels: Type.Optional(Tags),
    runbook_url: Type.Optional(Type.String({ format: 'uri', maxLength: 2048 })),
    message: Type.Optional(Type.String({ maxLength: 4000, description: 'Notification text, a logic-less template: {{labels.<key>}}, {{value}}, {{runbook_url}}, {{severity}}, {{alertname}}, {{state}}, {{starts_at}} (docs/alerting.md). An unclosed tag or an unknown variable is refused with its line and column.' })),
    enabled: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);
export const AlertRule = Type.Object({ ...Meta, ...Managed, ...AlertRuleInput.properties });

export const Matcher = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: 63 }),
    operator: StringEnum(['=', '!=', '=~', '!~'] as const, { description: '"=~" and "!~" take a regular expression matched against the whole value.' }),
    value: Type.String({ maxLength: 1024 }),
  },
  { additionalProperties: false },
);

/** Where a routing policy or silence applies: one team's alerts, or the whole organization (org admins only). */
export const policyScopes = ['team', 'organization'] as const;

export const RoutingPolicyInput = Type.Object(
  {
    name: Name,
    scope: Type.Optional(StringEnum(policyScopes, { default: 'team', description: 'team: a policy of team_id\'s routing tree, which receives the alerts labelled with that team. organization: a policy of the organization fallback tree (org admins only; no team_id), which receives the alerts no team policy takes and may name any team\'s channels.' })),
    team_id: Type.Optional(Id),
    parent_id: Type.Optional(Id),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000, default: 100, description: 'Siblings are tried in ascending priority.' })),
    matchers: Type.Optional(Type.Array(Matcher, { maxItems: 20, default: [] })),
    channel_ids: Type.Optional(Type.Array(Id, { maxItems: 20, uniqueItems: true, default: [], description: 'Channels notified of the alerts this policy takes. Empty inherits the parent\'s.' })),
    group_by: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 63 }), { maxItems: 20, uniqueItems: true, default: [], description: 'Labels whose values make one notification group; ["..."] groups by every label. Empty inherits the parent\'s (default ["alertname", "service"]).' })),
    group_wait: Type.Optional(Duration('Wait before the first notification of a new group; unset inherits the parent\'s (default "1s").')),
    group_interval: Type.Optional(Duration('Wait before notifying about new alerts in an existing group; unset inherits the parent\'s (default "5m").')),
    repeat_interval: Type.Optional(Duration('Wait before repeating a notification for a still-firing group; unset inherits the parent\'s (default "4h").')),
    continue: Type.Optional(Type.Boolean({ default: false, description: 'Keep matching siblings after this policy matched.' })),
    mute_time_window_ids: Type.Optional(Type.Array(Id, { maxItems: 20, uniqueItems: true, default: [], description: 'Maintenance windows used as time intervals: while one of them runs, notifications of this route are muted. Empty inherits the parent\'s.' })),
    impact_notices: Type.Optional(Type.Boolean({ description: 'Send one informational notice (severity info) when the team\'s services are impacted by an incident whose root cause another team owns, while their own pages are held back; its resolution follows when the incident resolves. Unset inherits the parent\'s (default false).' })),
  },
  { additionalProperties: false },
);
export const RoutingPolicy = Type.Object({ ...Meta, ...Managed, ...RoutingPolicyInput.properties });

export const channelTypes = ['slack', 'pagerduty', 'datadog', 'webhook', 'email'] as const;

/** "whsec_" + base64 of 24 to 64 bytes (32 to 88 base64 characters with padding), as the Standard Webhooks spec shows secrets. */
export const webhookSecretPattern = '^whsec_(?:[A-Za-z0-9+/]{4}){8,20}(?:[A-Za-z0-9+/]{4}(?:[A-Za-z0-9+/]{2}==)?|[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$';
export type ChannelType = (typeof channelTypes)[number];

/** Secret fields per channel type: write-only, never returned, reported in configured_secrets. */
export const channelSecretFields = {
  slack: ['webhook_url'],
  pagerduty: ['routing_key'],
  datadog: ['api_key'],
  webhook: ['signing_secret'],
  email: ['smtp_password'],
} as const satisfies Record<(typeof channelTypes)[number], readonly string[]>;

const BaseUrl = Type.String({
  format: 'uri',
  maxLength: 2048,
  pattern: '^https?://[^\\s/$.?#][^\\s]*$',
  errorMessage: 'Must start with http:// or https:// followed by a host, e.g. "https://hooks.example.com/pharos".',
});
export const ChannelInput = Type.Object(
  {
    name: Name,
    team_id: Id,
    type: StringEnum(channelTypes),
    description: Type.Optional(Description),
    send_resolved: Type.Optional(Type.Boolean({ default: true })),
    slack: Type.Optional(Type.Object({
      webhook_url: BaseUrl,
      channel: Type.Optional(Type.String({ maxLength: 80 })),
      username: Type.Optional(Type.String({ maxLength: 80 })),
    }, { additionalProperties: false })),
    pagerduty: Type.Optional(Type.Object({
      routing_key: Type.String({ minLength: 1, maxLength: 64, description: 'Events API v2 integration key.' }),
      api_url: Type.Optional(BaseUrl),
    }, { additionalProperties: false })),
    datadog: Type.Optional(Type.Object({
      api_key: Type.String({ minLength: 1, maxLength: 128 }),
      api_url: Type.Optional(BaseUrl),
      tags: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 })),
    }, { additionalProperties: false })),
    webhook: Type.Optional(Type.Object({
      url: BaseUrl,
      signing_secret: Type.Optional(Type.String({
        pattern: webhookSecretPattern,
        maxLength: 256,
        description: 'Standard Webhooks signing secret: "whsec_" followed by the base64 of 24 to 64 random bytes (e.g. `"whsec_" + openssl rand -base64 32`). Requests carry webhook-id, webhook-timestamp and webhook-signature (v1, HMAC-SHA256); see docs/alerting.md.',
        errorMessage: 'Must be a Standard Webhooks secret: "whsec_" followed by the base64 of 24 to 64 random bytes, e.g. the output of `echo whsec_$(openssl rand -base64 32)`.',
      })),
      headers: Type.Optional(ClosedMap(headerName, HeaderValue(4096), { maxProperties: 20, description: 'Extra request headers. Names: RFC 7230 tokens, 1 to 128 characters; values: one line (no CR, LF or NUL), at most 4096 characters.' })),
    }, { additionalProperties: false })),
    email: Type.Optional(Type.Object({
      to: Type.Array(Type.String({ format: 'email' }), { minItems: 1, maxItems: 50 }),
      from: Type.String({ format: 'email' }),
      smtp_host: Type.String({ minLength: 1, maxLength: 253 }),
      smtp_port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, default: 587 })),
      smtp_username: Type.Optional(Type.String({ maxLength: 255 })),
      smtp_password: Type.Optional(Type.String({ maxLength: 255 })),
      starttls: Type.Optional(Type.Boolean({ default: true })),
    }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export const Channel = Type.Object({
  ...Meta,
  ...Managed,
  ...ChannelInput.properties,
  configured_secrets: Type.Array(Type.String(), { description: 'Secret fields that are set, e.g. "slack.webhook_url". Secrets are never returned.' }),
});

export const MaintenanceWindowInput = Type.Object(
  {
    name: Name,
    team_id: Id,
    description: Type.Optional(Description),
    starts_at: Timestamp,
    ends_at: Timestamp,
    recurrence: Type.Optional(Type.Object({
      cron: Type.String({ minLength: 9, maxLength: 120, description: 'Five-field cron expression for each start, e.g. "0 2 * * SUN".' }),
      duration: Duration('Length of each occurrence.'),
      timezone: Type.Optional(Type.String({ maxLength: 64, default: 'UTC', description: 'IANA time zone for the cron expression.' })),
    }, { additionalProperties: false, description: 'Repeat between starts_at and ends_at; without it the window is the single span starts_at..ends_at.' })),
    service_ids: Type.Optional(Type.Array(Id, { maxItems: 200, uniqueItems: true, default: [], description: 'Services covered; empty with empty monitor_ids covers every service of the team.' })),
    monitor_ids: Type.Optional(Type.Array(Id, { maxItems: 500, uniqueItems: true, default: [] })),
    mute_notifications: Type.Optional(Type.Boolean({ default: true })),
    exclude_from_sla: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);
export const MaintenanceWindow = Type.Object({ ...Meta, ...Managed, ...MaintenanceWindowInput.properties });

export const AuditEntry = Type.Object({
  id: Id,
  at: Timestamp,
  actor: Type.Object({ type: Type.String(), id: Type.String(), name: Type.String() }),
  action: StringEnum(['create', 'update', 'delete'] as const),
  resource_type: Type.String(),
  resource_id: Type.String(),
  team_id: Type.Optional(Id),
  request_id: Type.Optional(Type.String()),
  before: Type.Optional(Type.Unknown()),
  after: Type.Optional(Type.Unknown()),
});

export type AlertRuleInput = Static<typeof AlertRuleInput>;
export type RoutingPolicyInput = Static<typeof RoutingPolicyInput>;
export type ChannelInput = Static<typeof ChannelInput>;
export type MaintenanceWindowInput = Static<typeof MaintenanceWindowInput>;
export type AuditEntry = Static<typeof AuditEntry>;
