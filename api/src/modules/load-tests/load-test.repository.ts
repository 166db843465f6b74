import { sql, type Selectable } from 'kysely';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { Db } from '../../db/database.ts';
import type { LoadTestSharesTable, LoadTestsTable } from '../../db/tables.ts';

export type LoadTestRow = Selectable<LoadTestsTable>;
export type ShareRow = Selectable<LoadTestSharesTable>;

/** States of a test and of a share that are not final. */
export const activeTestStates = ['queued', 'running'] as const;
export const activeShareStates = ['queued', 'running'] as const;

export interface LoadTestFilter {
  teamIds: string[] | undefined;
  state?: string | undefined;
  serviceId?: string | undefined;
  /** Newest first: ids below this one. */
  before?: string | undefined;
  limit: number;
}

/** SQL for load tests and their per-region shares. */
export class LoadTestRepository {
  /** Encrypts load_tests.secrets on write and decrypts it (and monitors' secrets) on read. */
  constructor(private readonly secrets: SecretBox) {}

  /** The monitor a test targets, with its stored request and secret headers (decrypted; `secret_undecryptable` when no key opens them). */
  async monitor(db: Db, orgId: string, id: string) {
    const row = await db.selectFrom('monitors').select(['id', 'team_id', 'service_id', 'type', 'spec', 'secrets']).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    return row && { ...row, secrets: this.secrets.open({ table: 'monitors', id: row.id }, row.secrets) };
  }

  /** The service a test targets. */
  async service(db: Db, orgId: string, id: string) {
    return db.selectFrom('services').select(['id', 'team_id', 'name']).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  }

  /** URLs of the service's http monitors and multi-step monitors' steps (the hosts it declares). */
  async declaredUrls(db: Db, orgId: string, serviceId: string): Promise<string[]> {
    const { rows } = await sql<{ url: string | null }>`
      SELECT m.spec->'http'->>'url' AS url FROM monitors m WHERE m.org_id = ${orgId} AND m.service_id = ${serviceId} AND m.type = 'http'
      UNION
      SELECT s.step->>'url' FROM monitors m CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(m.spec->'steps') = 'array' THEN m.spec->'steps' ELSE '[]'::jsonb END) AS s(step)
      WHERE m.org_id = ${orgId} AND m.service_id = ${serviceId} AND m.type = 'multistep'`.execute(db);
    return rows.flatMap((r) => (r.url ? [r.url] : []));
  }

  /** The queued or running test on a target, if any. */
  async runningOn(db: Db, orgId: string, targetKey: string): Promise<string | undefined> {
    const row = await db.selectFrom('load_tests').select('id').where('org_id', '=', orgId).where('target_key', '=', targetKey).where('state', 'in', [...activeTestStates]).executeTakeFirst();
    return row?.id;
  }

  /** Active shares per runner (the planner hands a new share to the least loaded runner). */
  async activeShareCounts(db: Db, runnerIds: readonly string[]): Promise<Map<string, number>> {
    if (runnerIds.length === 0) return new Map();
    const rows = await db.selectFrom('load_test_shares').select(['runner_id', (eb) => eb.fn.countAll<string>().as('n')]).where('runner_id', 'in', [...runnerIds]).where('state', 'in', [...activeShareStates]).groupBy('runner_id').execute();
    return new Map(rows.map((r) => [r.runner_id, Number(r.n)]));
  }

  async insert(db: Db, row: { id: string; org_id: string; team_id: string; service_id: string; monitor_id: string | null; target_key: string; spec: Record<string, unknown>; secrets: Record<string, string> | null; created_by: Record<string, unknown>; deadline: Date }, shares: ReadonlyArray<{ region: string; runner_id: string; requests: number | null }>): Promise<void> {
    await db.insertInto('load_tests').values({ ...row, state: 'queued', spec: JSON.stringify(row.spec), secrets: row.secrets ? JSON.stringify(this.secrets.seal({ table: 'load_tests', id: row.id }, row.secrets)) : null, created_by: JSON.stringify(row.created_by), verdict_reasons: '[]', created_at: new Date() }).execute();
    await db.insertInto('load_test_shares').values(shares.map((s) => ({ load_test_id: row.id, org_id: row.org_id, region: s.region, runner_id: s.runner_id, requests: s.requests, state: 'queued' }))).execute();
  }

  async get(db: Db, orgId: string, id: string, forUpdate = false): Promise<LoadTestRow | undefined> {
    let query = db.selectFrom('load_tests').selectAll().where('org_id', '=', orgId).where('id', '=', id);
    if (forUpdate) query = query.forUpdate();
    return query.executeTakeFirst();
  }

  /** Newest first, fetched with limit + 1. */
  async list(db: Db, orgId: string, f: LoadTestFilter): Promise<LoadTestRow[]> {
    if (f.teamIds && f.teamIds.length === 0) return [];
    let query = db.selectFrom('load_tests').selectAll().where('org_id', '=', orgId);
    if (f.teamIds) query = query.where('team_id', 'in', f.teamIds);
    if (f.state) query = query.where('state', '=', f.state);
    if (f.serviceId) query = query.where('service_id', '=', f.serviceId);
    if (f.before) query = query.where('id', '<', f.before);
    return query.orderBy('id', 'desc').limit(f.limit + 1).execute();
  }

  /** The shares of these tests, by region name. */
  async shares(db: Db, testIds: readonly string[]): Promise<ShareRow[]> {
    if (testIds.length === 0) return [];
    return db.selectFrom('load_test_shares').selectAll().where('load_test_id', 'in', [...testIds]).orderBy('load_test_id').orderBy('region').execute();
  }

  /** The share of a test that this runner holds, locked until the transaction ends. */
  async shareOf(db: Db, orgId: string, testId: string, runnerId: string): Promise<ShareRow | undefined> {
    return db.selectFrom('load_test_shares').selectAll().where('org_id', '=', orgId).where('load_test_id', '=', testId).where('runner_id', '=', runnerId).forUpdate().executeTakeFirst();
  }

  /** Stores a runner's cumulative report (the caller checked that its seq is higher). */
  async writeReport(db: Db, testId: string, region: string, write: { seq: number; report: Record<string, unknown>; state: string; message: string | null }): Promise<void> {
    await db.updateTable('load_test_shares').set({ seq: write.seq, report: JSON.stringify(write.report), state: write.state, message: write.message, updated_at: new Date() }).where('load_test_id', '=', testId).where('region', '=', region).execute();
  }

  /** Ends the test's unfinished shares with this state and message; returns their runners. */
  async endShares(db: Db, testId: string, state: 'aborted' | 'error', message: string, regions?: readonly string[]): Promise<string[]> {
    let query = db.updateTable('load_test_shares').set({ state, message, updated_at: new Date() }).where('load_test_id', '=', testId).where('state', 'in', [...activeShareStates]);
    if (regions) query = query.where('region', 'in', [...regions]);
    const rows = await query.returning('runner_id').execute();
    return rows.map((r) => r.runner_id);
  }

  async markStarted(db: Db, testId: string): Promise<void> {
    await db.updateTable('load_tests').set({ state: 'running', started_at: sql`coalesce(started_at, now())` }).where('id', '=', testId).where('state', '=', 'queued').execute();
  }

  async finish(db: Db, testId: string, end: { state: string; verdict: string | null; reasons: string[] }): Promise<void> {
    await db.updateTable('load_tests').set({ state: end.state, verdict: end.verdict, verdict_reasons: JSON.stringify(end.reasons), finished_at: new Date() }).where('id', '=', testId).execute();
  }

  /* ---------- the runner feed ---------- */

  /** Whether a share was handed to this runner or aborted since its last answer. */
  async feedDue(db: Db, runnerId: string): Promise<boolean> {
    const row = await db
      .selectFrom('load_test_shares')
      .select('load_test_id')
      .where('runner_id', '=', runnerId)
      .where((eb) => eb.or([
        eb.and([eb('state', 'in', [...activeShareStates]), eb('delivered_at', 'is', null)]),
        eb.and([eb('state', 'in', ['aborted', 'error']), eb('abort_delivered_at', 'is', null), eb('delivered_at', 'is not', null)]),
      ]))
      .limit(1)
      .executeTakeFirst();
    return Boolean(row);
  }

  /** The runner's unfinished shares of unfinished tests with their test's plan; marks them delivered. */
  async takeShares(db: Db, runnerId: string) {
    await db.updateTable('load_test_shares').set({ delivered_at: sql`now()` }).where('runner_id', '=', runnerId).where('state', 'in', [...activeShareStates]).where('delivered_at', 'is', null).execute();
    const rows = await db
      .selectFrom('load_test_shares as s')
      .innerJoin('load_tests as t', 't.id', 's.load_test_id')
      .select(['s.load_test_id', 's.requests', 't.spec', 't.secrets', 't.deadline'])
      .where('s.runner_id', '=', runnerId)
      .where('s.state', 'in', [...activeShareStates])
      .where('t.state', 'in', [...activeTestStates])
      .orderBy('s.load_test_id')
      .execute();
    // Secret headers no configured key opens are left out (the box logs the test's id); the test runs without them.
    return rows.map((row) => ({ ...row, secrets: this.secrets.openOrNull<Record<string, string>>({ table: 'load_tests', id: row.load_test_id }, row.secrets) }));
  }

  /** Shares of this runner that were stopped (aborted, or ended in error) since it last heard; marks them told. */
  async takeStopped(db: Db, runnerId: string): Promise<string[]> {
    const rows = await db
      .updateTable('load_test_shares')
      .set({ abort_delivered_at: sql`now()` })
      .where('runner_id', '=', runnerId)
      .where('state', 'in', ['aborted', 'error'])
      .where('abort_delivered_at', 'is', null)
      .where('delivered_at', 'is not', null)
      .returning('load_test_id')
      .execute();
    return rows.map((r) => r.load_test_id).sort();
  }

  /* ---------- the sweep ---------- */

  /** Unfinished shares whose runner lost its lease (or stopped, or is gone). */
  async orphanedShares(db: Db): Promise<Array<{ org_id: string; load_test_id: string; region: string; runner_id: string }>> {
    const { rows } = await sql<{ org_id: string; load_test_id: string; region: string; runner_id: string }>`
      SELECT s.org_id, s.load_test_id, s.region, s.runner_id FROM load_test_shares s
      LEFT JOIN runners r ON r.id = s.runner_id
      WHERE s.state IN ('queued', 'running') AND (r.id IS NULL OR r.stopped_at IS NOT NULL OR r.lease_expires_at <= now())
      ORDER BY s.load_test_id, s.region LIMIT 500`.execute(db);
    return rows;
  }

  /** Unfinished tests past their deadline plus the grace. */
  async overdueTests(db: Db, graceSeconds: number): Promise<Array<{ org_id: string; id: string }>> {
    return db.selectFrom('load_tests').select(['org_id', 'id']).where('state', 'in', [...activeTestStates]).where('deadline', '<', sql<Date>`now() - make_interval(secs => ${graceSeconds})`).orderBy('id').limit(500).execute();
  }

  /** Unfinished tests whose shares are all final (a finish that failed half-way is completed by the sweep). */
  async settledTests(db: Db): Promise<Array<{ org_id: string; id: string }>> {
    return db
      .selectFrom('load_tests as t')
      .select(['t.org_id', 't.id'])
      .where('t.state', 'in', [...activeTestStates])
      .where((eb) => eb.not(eb.exists(eb.selectFrom('load_test_shares as s').select('s.region').whereRef('s.load_test_id', '=', 't.id').where('s.state', 'in', [...activeShareStates]))))
      .limit(500)
      .execute();
  }
}
