import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// What the evaluator needs to know of each alert rule without loading and parsing it, written with
// the rule's references: the kind of subject its selector fans out over (monitors(…) or
// services(…), or none), so a changed monitor finds the rules it may belong to; and whether its
// value moves with time alone (windows, metrics, anomalies, SLOs, the last latency), so the
// periodic tick evaluates those often and rules over states only rarely (their changes arrive as
// events). Existing rules are classified from the function names in their text; a false match (a
// name inside a string literal) only costs evaluations, and the next write of the rule stores the
// exact traits.

/** Adds alert_rule_traits, filled for the rules stored so far. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE alert_rule_traits (
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      rule_id text PRIMARY KEY REFERENCES alert_rules(id) ON DELETE CASCADE,
      selector_kind text CHECK (selector_kind IN ('monitor', 'service', 'slo')),
      time_based boolean NOT NULL
    )
  `.execute(db);
  await sql`CREATE INDEX alert_rule_traits_selector_idx ON alert_rule_traits (org_id, selector_kind) WHERE selector_kind IS NOT NULL`.execute(db);
  await sql`
    INSERT INTO alert_rule_traits (org_id, rule_id, selector_kind, time_based)
    SELECT org_id, id,
      CASE WHEN spec ->> 'expression' ~ '\\mmonitors\\s*\\(' THEN 'monitor' WHEN spec ->> 'expression' ~ '\\mservices\\s*\\(' THEN 'service' END,
      spec ->> 'expression' ~ '\\m(p50|p95|p99|avg|error_rate|uptime|latency|metric|max|min|last|latency_ratio|anomalous|burn_rate|budget_remaining)\\s*\\('
    FROM alert_rules
  `.execute(db);
}

/** Drops alert_rule_traits. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS alert_rule_traits`.execute(db);
}
