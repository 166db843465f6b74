import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AlertHistoryTable, AlertInstancesTable, AlertRuleStatusTable } from '../../db/tables.ts';

export type AlertInstanceRow = Selectable<AlertInstancesTable>;
export type AlertHistoryRow = Selectable<AlertHistoryTable>;
export type AlertRuleStatusRow = Selectable<AlertRuleStatusTable>;

/** An instance to write: every column but created_at. */
export type AlertInstanceWrite = Omit<AlertInstanceRow, 'created_at' | 'labels' | 'last_value' | 'annotations'> & {
  labels: Record<string, string>;
  last_value: unknown;
  annotations: Record<string, string>;
};

/** A history row to write: the table's columns, the value as a plain JSON value. */
export type AlertHistoryWrite = Omit<AlertHistoryRow, 'value'> & { value: unknown };

export interface AlertListFilter {
  teamIds: string[] | undefined;
  state?: string | undefined;
  teamId?: string | undefined;
  ruleId?: string | undefined;
  severity?: string | undefined;
  labels?: Record<string, string> | undefined;
  after?: string | undefined;
  limit: number;
}

const ts = (d: Date | string | null) => (d === null ? null : d instanceof Date ? d.toISOString() : d);

/** SQL of alert instances, their history and the rules' evaluation status. */
export class AlertInstanceRepository {
  /**
   * Rules of every organization the tick should evaluate at `now`, least recently evaluated first,
   * at most `limit`: never evaluated; time-based (windows, metrics, anomalies, SLOs) and not
   * evaluated since `timeCutoff`; with an instance the clock moves (pending for its `for`, firing
   * within keep_firing_for, waiting out a no-data timeout); or not evaluated since `stateCutoff`
   * (rules over states only: their changes arrive as events, the tick is their safety net).
   */
  async rulesDue(db: Db, limit: number, cutoffs: { timeCutoff: Date; stateCutoff: Date }): Promise<Array<{ org_id: string; id: string }>> {
    return db
      .selectFrom('alert_rules as r')
      .leftJoin('alert_rule_status as s', 's.rule_id', 'r.id')
      .leftJoin('alert_rule_traits as t', 't.rule_id', 'r.id')
      .select(['r.org_id', 'r.id'])
      .where((eb) =>
        eb.or([
          eb('s.last_eval_at', 'is', null),
          eb('s.last_eval_at', '<', cutoffs.stateCutoff),
          eb.and([sql<boolean>`coalesce(t.time_based, true)`, eb('s.last_eval_at', '<', cutoffs.timeCutoff)]),
          eb.exists(
            eb.selectFrom('alert_instances as i').select(sql`1`.as('one')).whereRef('i.rule_id', '=', 'r.id')
              .where((w) => w.or([w('i.state', '=', 'pending'), w('i.false_since', 'is not', null), w('i.no_data_since', 'is not', null)])),
          ),
        ]),
      )
      .orderBy(sql`s.last_eval_at NULLS FIRST`)
      .orderBy('r.id')
      .limit(limit)
      .execute();
  }

  /** Ids of the rules whose expressions name any of these subjects (only time-based ones: those a metric can change). */
  async rulesNaming(db: Db, orgId: string, subjects: ReadonlyArray<{ type: 'monitor' | 'service' | 'slo' | 'edge'; id: string }>, timeBasedOnly = false): Promise<string[]> {
    if (subjects.length === 0) return [];
    let q = db
      .selectFrom('alert_rule_references as r')
      .select('r.rule_id')
      .distinct()
      .where('r.org_id', '=', orgId)
      .where((eb) => eb.or(subjects.map((s) => eb.and([eb('r.subject_type', '=', s.type), eb('r.subject_id', '=', s.id)]))));
    if (timeBasedOnly) q = q.innerJoin('alert_rule_traits as t', 't.rule_id', 'r.rule_id').where('t.time_based', '=', true);
    return (await q.execute()).map((r) => r.rule_id);
  }

  /** Ids of the rules whose selector fans out over one of these subject kinds (only time-based ones: those a metric can change). */
  async rulesSelecting(db: Db, orgId: string, kinds: ReadonlyArray<'monitor' | 'service' | 'slo' | 'edge'>, timeBasedOnly = false): Promise<string[]> {
    if (kinds.length === 0) return [];
    let q = db.selectFrom('alert_rule_traits').select('rule_id').where('org_id', '=', orgId).where('selector_kind', 'in', [...kinds]);
    if (timeBasedOnly) q = q.where('time_based', '=', true);
    return (await q.execute()).map((r) => r.rule_id);
  }

  /** The expression text of each of these rules (of the organization), by rule id. */
  async ruleExpressions(db: Db, orgId: string, ruleIds: readonly string[]): Promise<Map<string, string>> {
    if (ruleIds.length === 0) return new Map();
    const rows = await db.selectFrom('alert_rules').select(['id', sql<string | null>`spec ->> 'expression'`.as('expression')]).where('org_id', '=', orgId).where('id', 'in', [...ruleIds]).execute();
    return new Map(rows.map((r) => [r.id, r.expression ?? '']));
  }

  /** The team's name (for instance labels). */
  async teamName(db: Db, orgId: string, teamId: string): Promise<string | undefined> {
    const row = await db.selectFrom('teams').select('name').where('org_id', '=', orgId).where('id', '=', teamId).executeTakeFirst();
    return row?.name;
  }

  /** The rule's instances, locked for update. */
  async instancesOfRule(db: Db, orgId: string, ruleId: string): Promise<AlertInstanceRow[]> {
    return db.selectFrom('alert_instances').selectAll().where('org_id', '=', orgId).where('rule_id', '=', ruleId).orderBy('id').forUpdate().execute();
  }

  /** The rule's instances with these keys, locked for update (an evaluation of some of a selector's subjects). */
  async instancesByKeys(db: Db, orgId: string, ruleId: string, keys: readonly string[]): Promise<AlertInstanceRow[]> {
    if (keys.length === 0) return [];
    return db.selectFrom('alert_instances').selectAll().where('org_id', '=', orgId).where('rule_id', '=', ruleId).where('instance_key', 'in', [...keys]).orderBy('id').forUpdate().execute();
  }

  /** Inserts or updates instances (by id). */
  async saveInstances(db: Db, rows: readonly AlertInstanceWrite[]): Promise<void> {
    if (rows.length === 0) return;
    const values = rows.map((r) => ({
      ...r,
      since: ts(r.since)!, active_since: ts(r.active_since), pending_since: ts(r.pending_since), firing_since: ts(r.firing_since), resolved_at: ts(r.resolved_at),
      false_since: ts(r.false_since), no_data_since: ts(r.no_data_since), last_eval_at: ts(r.last_eval_at)!,
      labels: JSON.stringify(r.labels), last_value: r.last_value === undefined ? null : JSON.stringify(r.last_value), annotations: JSON.stringify(r.annotations),
    }));
    await db
      .insertInto('alert_instances')
      .values(values)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          labels: eb.ref('excluded.labels'), severity: eb.ref('excluded.severity'), team_id: eb.ref('excluded.team_id'), state: eb.ref('excluded.state'), since: eb.ref('excluded.since'),
          active_since: eb.ref('excluded.active_since'), pending_since: eb.ref('excluded.pending_since'), firing_since: eb.ref('excluded.firing_since'),
          resolved_at: eb.ref('excluded.resolved_at'), false_since: eb.ref('excluded.false_since'), no_data_since: eb.ref('excluded.no_data_since'),
          last_eval_at: eb.ref('excluded.last_eval_at'), last_outcome: eb.ref('excluded.last_outcome'), last_value: eb.ref('excluded.last_value'), annotations: eb.ref('excluded.annotations'),
          subject_kind: eb.ref('excluded.subject_kind'), subject_id: eb.ref('excluded.subject_id'),
        })),
      )
      .execute();
  }

  /** Moves the last evaluation time of unchanged instances. */
  async touchInstances(db: Db, orgId: string, ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await db.updateTable('alert_instances').set({ last_eval_at: at }).where('org_id', '=', orgId).where('id', 'in', [...ids]).execute();
  }

  async addHistory(db: Db, rows: readonly AlertHistoryWrite[]): Promise<void> {
    if (rows.length === 0) return;
    await db.insertInto('alert_history').values(rows.map((r) => ({ ...r, value: r.value === undefined ? null : JSON.stringify(r.value) }))).execute();
  }

  /** Records an evaluation; `instances: null` (an evaluation of some subjects only) keeps the stored count. */
  async saveStatus(db: Db, row: { rule_id: string; org_id: string; last_eval_at: Date; duration_ms: number; error: string | null; instances: number | null; no_data_reason: string | null }): Promise<void> {
    await db
      .insertInto('alert_rule_status')
      .values({ ...row, instances: row.instances ?? 0 })
      .onConflict((oc) =>
        oc.column('rule_id').doUpdateSet((eb) => ({
          last_eval_at: row.last_eval_at, duration_ms: row.duration_ms, error: row.error, no_data_reason: row.no_data_reason,
          instances: row.instances === null ? eb.ref('alert_rule_status.instances') : row.instances,
        })),
      )
      .execute();
  }

  /** Records a failed evaluation on the rule's status, keeping its instance count. */
  async saveStatusError(db: Db, row: { rule_id: string; org_id: string; last_eval_at: Date; duration_ms: number; error: string }): Promise<void> {
    await db
      .insertInto('alert_rule_status')
      .values({ ...row, instances: 0, no_data_reason: null })
      .onConflict((oc) => oc.column('rule_id').doUpdateSet({ last_eval_at: row.last_eval_at, duration_ms: row.duration_ms, error: row.error }))
      .execute();
  }

  /**
   * Runs `work` inside a savepoint of `trx`: when it throws, its writes are undone and the
   * transaction stays usable (one rule's failure must not abort the others evaluated with it).
   */
  async inSavepoint<T>(trx: Db, work: () => Promise<T>): Promise<T> {
    await sql`SAVEPOINT alert_rule_evaluation`.execute(trx);
    try {
      const result = await work();
      await sql`RELEASE SAVEPOINT alert_rule_evaluation`.execute(trx);
      return result;
    } catch (error) {
      await sql`ROLLBACK TO SAVEPOINT alert_rule_evaluation`.execute(trx);
      await sql`RELEASE SAVEPOINT alert_rule_evaluation`.execute(trx);
      throw error;
    }
  }

  async status(db: Db, orgId: string, ruleId: string): Promise<AlertRuleStatusRow | undefined> {
    return db.selectFrom('alert_rule_status').selectAll().where('org_id', '=', orgId).where('rule_id', '=', ruleId).executeTakeFirst();
  }

  /** A page of instances (limit + 1 rows, by id), filtered. */
  async list(db: Db, orgId: string, f: AlertListFilter): Promise<AlertInstanceRow[]> {
    if (f.teamIds && f.teamIds.length === 0) return [];
    let q = db.selectFrom('alert_instances').selectAll().where('org_id', '=', orgId);
    if (f.teamIds) q = q.where('team_id', 'in', f.teamIds);
    if (f.teamId) q = q.where('team_id', '=', f.teamId);
    if (f.state) q = q.where('state', '=', f.state as AlertInstanceRow['state']);
    if (f.ruleId) q = q.where('rule_id', '=', f.ruleId);
    if (f.severity) q = q.where('severity', '=', f.severity);
    if (f.labels && Object.keys(f.labels).length) q = q.where(sql<boolean>`labels @> ${JSON.stringify(f.labels)}::jsonb`);
    if (f.after) q = q.where('id', '>', f.after);
    return q.orderBy('id').limit(f.limit + 1).execute();
  }

  async get(db: Db, orgId: string, id: string): Promise<AlertInstanceRow | undefined> {
    return db.selectFrom('alert_instances').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  }

  /** An instance's changes, oldest first. */
  async history(db: Db, orgId: string, instanceId: string): Promise<AlertHistoryRow[]> {
    return db.selectFrom('alert_history').selectAll().where('org_id', '=', orgId).where('instance_id', '=', instanceId).orderBy('at').orderBy('id').execute();
  }

  /** The rule's instances, by id. */
  async instancesForStatus(db: Db, orgId: string, ruleId: string): Promise<AlertInstanceRow[]> {
    return db.selectFrom('alert_instances').selectAll().where('org_id', '=', orgId).where('rule_id', '=', ruleId).orderBy('id').execute();
  }
}
