import { Type, type Static } from '@sinclair/typebox';
import { Description, Id, StringEnum, Timestamp } from './common.schema.ts';

// Change events: deploys, config changes, feature-flag flips and rollbacks of a service, reported
// by CI/CD through POST /v1/events (docs/incidents.md#change-events). Incident timelines and the
// outage history read them.

export const changeEventKinds = ['deploy', 'config_change', 'feature_flag', 'rollback', 'other'] as const;
export type ChangeEventKind = (typeof changeEventKinds)[number];

/** How far ahead of the server clock `at` may be (runner and CI clocks drift). */
export const CHANGE_EVENT_MAX_FUTURE_MS = 5 * 60_000;
/** How far back `at` may be: older changes explain no outage the history still shows in detail. */
export const CHANGE_EVENT_MAX_AGE_DAYS = 30;

const OneLine = (maxLength: number, description: string) =>
  Type.String({ minLength: 1, maxLength, pattern: '^[^\\r\\n\\u0000]*$', description, errorMessage: `Must be one line of 1 to ${maxLength} characters (no line breaks).` });

const Link = Type.String({
  format: 'uri',
  maxLength: 2048,
  pattern: '^https?://[^\\s/$.?#][^\\s]*$',
  description: 'A link to the pipeline run, release or pull request.',
  errorMessage: 'Must be an http:// or https:// URL of at most 2048 characters, e.g. "https://github.com/acme/shop/actions/runs/42".',
});

export const ChangeEventInput = Type.Object(
  {
    service: Type.String({
      minLength: 1,
      maxLength: 100,
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
      description: 'The service that changed: its id ("svc_…") or its name (names are unique in the organization).',
      errorMessage: 'Must be a service id ("svc_…") or a service name: letters, digits, ".", "-" and "_", at most 100 characters.',
    }),
    kind: StringEnum(changeEventKinds, { description: 'deploy, config_change, feature_flag (a flag flipped), rollback or other.' }),
    version: Type.Optional(OneLine(200, 'What was deployed: a version, tag or commit.')),
    actor: Type.Optional(OneLine(200, 'Who made the change: a person or a pipeline.')),
    link: Type.Optional(Link),
    description: Type.Optional(Description),
    at: Type.Optional(Type.String({ format: 'date-time', description: `When the change happened (RFC 3339); default now. At most 5 minutes ahead of the server clock and at most ${CHANGE_EVENT_MAX_AGE_DAYS} days old.` })),
  },
  { additionalProperties: false },
);

export const ChangeEvent = Type.Object({
  id: Id,
  service_id: Id,
  service_name: Type.String(),
  team_id: Id,
  kind: StringEnum(changeEventKinds),
  version: Type.Optional(Type.String()),
  actor: Type.Optional(Type.String()),
  link: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  at: Timestamp,
  created_by: Type.Object({ type: Type.String({ description: 'api_token or user.' }), id: Type.String(), name: Type.String() }, { description: 'The token or user that reported it.' }),
  created_at: Timestamp,
});

export const ChangeEventListQuery = Type.Object(
  {
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', description: 'Only this service (id or name).', errorMessage: 'Must be a service id ("svc_…") or a service name.' })),
    team_id: Type.Optional(Id),
    kind: Type.Optional(StringEnum(changeEventKinds)),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'next_cursor of the previous page.' })),
  },
  { additionalProperties: false },
);

export type ChangeEventInput = Static<typeof ChangeEventInput>;
export type ChangeEvent = Static<typeof ChangeEvent>;
export type ChangeEventListQuery = Static<typeof ChangeEventListQuery>;
