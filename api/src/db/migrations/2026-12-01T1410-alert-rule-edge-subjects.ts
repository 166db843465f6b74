import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// Alert rules name dependency edges (`edge("fulfillment-api", "shipping-integration")`,
// docs/alert-language.md): a rule's stored references and its selector's subject kind accept
// 'edge' (subject_id / the edge's id is its dependency's id), so deleting or re-pointing an edge a
// rule names is refused like deleting a service, and an edge's state transition finds its rules.

/** Lets alert_rule_references and alert_rule_traits name edges. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE alert_rule_references DROP CONSTRAINT IF EXISTS alert_rule_references_subject_type_check`.execute(db);
  await sql`ALTER TABLE alert_rule_references ADD CONSTRAINT alert_rule_references_subject_type_check CHECK (subject_type IN ('monitor', 'service', 'slo', 'edge'))`.execute(db);
  await sql`ALTER TABLE alert_rule_traits DROP CONSTRAINT IF EXISTS alert_rule_traits_selector_kind_check`.execute(db);
  await sql`ALTER TABLE alert_rule_traits ADD CONSTRAINT alert_rule_traits_selector_kind_check CHECK (selector_kind IN ('monitor', 'service', 'slo', 'edge'))`.execute(db);
}

/** Back to monitors, services and SLOs only (edge references and traits are dropped). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM alert_rule_references WHERE subject_type = 'edge'`.execute(db);
  await sql`UPDATE alert_rule_traits SET selector_kind = NULL WHERE selector_kind = 'edge'`.execute(db);
  await sql`ALTER TABLE alert_rule_references DROP CONSTRAINT IF EXISTS alert_rule_references_subject_type_check`.execute(db);
  await sql`ALTER TABLE alert_rule_references ADD CONSTRAINT alert_rule_references_subject_type_check CHECK (subject_type IN ('monitor', 'service', 'slo'))`.execute(db);
  await sql`ALTER TABLE alert_rule_traits DROP CONSTRAINT IF EXISTS alert_rule_traits_selector_kind_check`.execute(db);
  await sql`ALTER TABLE alert_rule_traits ADD CONSTRAINT alert_rule_traits_selector_kind_check CHECK (selector_kind IN ('monitor', 'service', 'slo'))`.execute(db);
}
