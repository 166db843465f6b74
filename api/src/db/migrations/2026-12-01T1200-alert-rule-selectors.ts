import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// The kind of subject an alert rule's selector fans out over (monitors(…) or services(…)), written
// with the rule's references, so the evaluator finds the rules a changed monitor may belong to
// without loading and parsing every rule of the organization. Existing rules are classified by the
// selector function's name in their text; a false match (the word inside a string literal) only
// costs an evaluation that finds nothing, and the next write of the rule stores the exact kind.

/** Adds alert_rule_selectors, filled for the rules stored so far. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE alert_rule_selectors (
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      rule_id text PRIMARY KEY REFERENCES alert_rules(id) ON DELETE CASCADE,
      subject_kind text NOT NULL CHECK (subject_kind IN ('monitor', 'service', 'slo'))
    )
  `.execute(db);
  await sql`CREATE INDEX alert_rule_selectors_kind_idx ON alert_rule_selectors (org_id, subject_kind)`.execute(db);
  await sql`
    INSERT INTO alert_rule_selectors (org_id, rule_id, subject_kind)
    SELECT org_id, id, CASE WHEN spec ->> 'expression' ~ '\\mmonitors\\s*\\(' THEN 'monitor' ELSE 'service' END
    FROM alert_rules
    WHERE spec ->> 'expression' ~ '\\m(monitors|services)\\s*\\('
  `.execute(db);
}

/** Drops alert_rule_selectors. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS alert_rule_selectors`.execute(db);
}
