import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// The monitors, services and SLOs an alert rule's expression names, resolved to ids when the rule is
// written, so deleting (or renaming) a named subject can be refused while a rule names it. Rows go
// with their rule (ON DELETE CASCADE); a subject is one of three tables, so its id has no foreign
// key and the subject kinds' delete hooks keep the rows true.

/** Adds alert_rule_references. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE alert_rule_references (
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      rule_id text NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
      subject_type text NOT NULL CHECK (subject_type IN ('monitor', 'service', 'slo')),
      subject_id text NOT NULL,
      PRIMARY KEY (rule_id, subject_type, subject_id)
    )
  `.execute(db);
  await sql`CREATE INDEX alert_rule_references_subject_idx ON alert_rule_references (org_id, subject_type, subject_id)`.execute(db);
}

/** Drops alert_rule_references. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS alert_rule_references`.execute(db);
}
