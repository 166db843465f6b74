import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// The notification pipeline's state (docs/alerting.md, "Delivery"):
// - notification_groups: one per route × group labels, with the route's timings as they were when
//   the group formed, and when it is next due to be flushed;
// - notification_group_alerts: the alerts of a group, self-contained (an alert instance may be
//   deleted with its rule before its resolution is sent), with when each was notified firing and
//   resolved (or suppressed by a silence or maintenance);
// - notifications: the outbox, one row per group flush × channel: the message (never a secret), its
//   delivery state, attempts and the next attempt; seq orders rows of one dedup_key (a resolve never
//   overtakes its trigger);
// - notification_attempts: every try, with the vendor's status and the error (never a secret).

/** Adds the notification groups, the outbox and its attempts. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE notification_groups (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      route_key text NOT NULL,
      team_id text,
      team_name text NOT NULL,
      scope text NOT NULL CHECK (scope IN ('team', 'organization')),
      policy_ids jsonb NOT NULL,
      channel_ids jsonb NOT NULL,
      group_labels jsonb NOT NULL,
      group_wait_ms integer NOT NULL,
      group_interval_ms integer NOT NULL,
      repeat_interval_ms integer NOT NULL,
      mute_time_window_ids jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      next_flush_at timestamptz,
      last_flush_at timestamptz,
      last_firing_sent_at timestamptz,
      UNIQUE (org_id, route_key)
    )
  `.execute(db);
  await sql`CREATE INDEX notification_groups_due_idx ON notification_groups (next_flush_at) WHERE next_flush_at IS NOT NULL`.execute(db);
  await sql`
    CREATE TABLE notification_group_alerts (
      group_id text NOT NULL REFERENCES notification_groups(id) ON DELETE CASCADE,
      instance_id text NOT NULL,
      org_id text NOT NULL,
      rule_id text NOT NULL,
      rule_name text NOT NULL,
      severity text NOT NULL,
      state text NOT NULL CHECK (state IN ('firing', 'resolved')),
      labels jsonb NOT NULL,
      annotations jsonb NOT NULL,
      value double precision,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz,
      changed_at timestamptz NOT NULL,
      notified_firing_at timestamptz,
      notified_resolved_at timestamptz,
      suppressed_at timestamptz,
      PRIMARY KEY (group_id, instance_id)
    )
  `.execute(db);
  await sql`CREATE INDEX notification_group_alerts_instance_idx ON notification_group_alerts (org_id, instance_id)`.execute(db);
  await sql`
    CREATE TABLE notifications (
      id text PRIMARY KEY,
      seq bigint GENERATED ALWAYS AS IDENTITY,
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      team_id text,
      group_id text NOT NULL,
      channel_id text NOT NULL,
      channel_type text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('firing', 'resolved')),
      state text NOT NULL CHECK (state IN ('pending', 'sending', 'delivered', 'dead', 'suppressed')),
      dedup_key text NOT NULL,
      alert_ids jsonb NOT NULL,
      message jsonb NOT NULL,
      muted_by jsonb,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      claimed_until timestamptz,
      claim_token text,
      last_status integer,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz
    )
  `.execute(db);
  await sql`CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE state IN ('pending', 'sending')`.execute(db);
  await sql`CREATE INDEX notifications_dedup_idx ON notifications (dedup_key, seq)`.execute(db);
  await sql`CREATE INDEX notifications_org_idx ON notifications (org_id, created_at DESC, id)`.execute(db);
  await sql`CREATE INDEX notifications_alerts_idx ON notifications USING gin (alert_ids jsonb_path_ops)`.execute(db);
  await sql`
    CREATE TABLE notification_attempts (
      id text PRIMARY KEY,
      notification_id text NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
      org_id text NOT NULL,
      at timestamptz NOT NULL,
      duration_ms double precision NOT NULL,
      ok boolean NOT NULL,
      status integer,
      error text,
      detail text
    )
  `.execute(db);
  await sql`CREATE INDEX notification_attempts_idx ON notification_attempts (notification_id, at)`.execute(db);
}

/** Drops the notification tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS notification_attempts`.execute(db);
  await sql`DROP TABLE IF EXISTS notifications`.execute(db);
  await sql`DROP TABLE IF EXISTS notification_group_alerts`.execute(db);
  await sql`DROP TABLE IF EXISTS notification_groups`.execute(db);
}
