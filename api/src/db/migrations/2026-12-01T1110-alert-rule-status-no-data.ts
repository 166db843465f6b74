import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// Why a rule's last evaluation had no data (e.g. warming_up while an anomaly baseline learns), so the
// rule's status can say why it cannot fire yet.

/** Adds alert_rule_status.no_data_reason. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE alert_rule_status ADD COLUMN no_data_reason text`.execute(db);
}

/** Drops the column. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE alert_rule_status DROP COLUMN IF EXISTS no_data_reason`.execute(db);
}
