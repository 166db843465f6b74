import { Type, type Static } from '@sinclair/typebox';
import { Id, StringEnum, Timestamp } from './common.schema.ts';

export const notificationStates = ['pending', 'sending', 'delivered', 'dead', 'suppressed'] as const;

export const NotificationAttempt = Type.Object({
  at: Timestamp,
  duration_ms: Type.Number(),
  ok: Type.Boolean(),
  status: Type.Union([Type.Integer(), Type.Null()], { description: 'The vendor\'s HTTP status (or SMTP reply code); null when none came (a timeout, a refused connection).' }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why the attempt failed; never contains a secret of the channel.' }),
  detail: Type.Union([Type.String(), Type.Null()], { description: 'The vendor\'s answer to a delivered attempt, shortened.' }),
});

/** One notification of the outbox: one group flush to one channel. */
export const Notification = Type.Object({
  id: Id,
  channel_id: Id,
  channel_type: Type.String(),
  team_id: Type.Union([Id, Type.Null()], { description: 'The channel\'s team.' }),
  group_id: Type.String({ description: 'The notification group (route × group labels) it belongs to.' }),
  kind: StringEnum(['firing', 'resolved'] as const),
  state: StringEnum(notificationStates, { description: 'pending (waiting for its first or next try), sending, delivered, dead (a permanent error, or no try left), suppressed (held back by a silence, a maintenance window or a mute time window: recorded, never sent).' }),
  alert_ids: Type.Array(Id, { description: 'The alerts it is about.' }),
  title: Type.String(),
  text: Type.String(),
  dedup_key: Type.String({ description: 'Stable per group and channel: PagerDuty dedup_key, Datadog aggregation_key.' }),
  muted_by: Type.Union([Type.Array(Type.Object({ kind: Type.String(), id: Type.String() })), Type.Null()]),
  attempts: Type.Integer(),
  next_attempt_at: Type.Union([Timestamp, Type.Null()], { description: 'When it is tried next; null once delivered, dead or suppressed.' }),
  last_status: Type.Union([Type.Integer(), Type.Null()]),
  last_error: Type.Union([Type.String(), Type.Null()]),
  created_at: Timestamp,
  delivered_at: Type.Union([Timestamp, Type.Null()]),
});

export const NotificationDetail = Type.Object({ ...Notification.properties, history: Type.Array(NotificationAttempt, { description: 'Every delivery attempt, oldest first.' }) });

export const NotificationListQuery = Type.Object(
  {
    state: Type.Optional(StringEnum(notificationStates)),
    channel_id: Type.Optional(Id),
    alert_id: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'next_cursor of the previous page.' })),
  },
  { additionalProperties: false },
);

export type Notification = Static<typeof Notification>;
export type NotificationDetail = Static<typeof NotificationDetail>;
export type NotificationListQuery = Static<typeof NotificationListQuery>;
