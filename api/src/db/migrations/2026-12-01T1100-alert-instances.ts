import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// alert_instances: one row per alert rule × subject (instance_key is the fingerprint of the rule and
// the subject's identity labels), holding the instance state machine's fields and what the last
// evaluation saw. alert_history: every change of state, with its reason and the value that caused it.
// alert_rule_status: when each rule was last evaluated, how long that took and the error, if any.
// All three go with their rule (ON DELETE CASCADE).

/** Adds alert_instances, alert_history and alert_rule_status. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE alert_instances (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      rule_id text NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
      team_id text NOT NULL,
      instance_key text NOT NULL,
      severity text NOT NULL,
      labels jsonb NOT NULL,
      state text NOT NULL CHECK (state IN ('inactive', 'pending', 'firing', 'resolved')),
      since timestamptz NOT NULL,
      active_since timestamptz,
      pending_since timestamptz,
      firing_since timestamptz,
      resolved_at timestamptz,
      false_since timestamptz,
      no_data_since timestamptz,
      last_eval_at timestamptz NOT NULL,
      last_outcome text NOT NULL,
      last_value jsonb,
      annotations jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (rule_id, instance_key)
    )
  `.execute(db);
  await sql`CREATE INDEX alert_instances_org_state_idx ON alert_instances (org_id, state, id)`.execute(db);
  await sql`CREATE INDEX alert_instances_org_team_idx ON alert_instances (org_id, team_id, id)`.execute(db);
  await sql`
    CREATE TABLE alert_history (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      instance_id text NOT NULL REFERENCES alert_instances(id) ON DELETE CASCADE,
      rule_id text NOT NULL,
      from_state text NOT NULL,
      to_state text NOT NULL,
      at timestamptz NOT NULL,
      reason text NOT NULL,
      value jsonb
    )
  `.execute(db);
  await sql`CREATE INDEX alert_history_instance_idx ON alert_history (instance_id, at, id)`.execute(db);
  await sql`
    CREATE TABLE alert_rule_status (
      rule_id text PRIMARY KEY REFERENCES alert_rules(id) ON DELETE CASCADE,
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      last_eval_at timestamptz NOT NULL,
      duration_ms double precision NOT NULL,
      error text,
      instances integer NOT NULL
    )
  `.execute(db);
}

/** Drops the three tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS alert_rule_status, alert_history, alert_instances`.execute(db);
}
