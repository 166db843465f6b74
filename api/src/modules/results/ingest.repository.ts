import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { prepared } from '../../db/prepared-statements.ts';

/** A monitor of a result batch: what state evaluation needs of it, and when the runner owned it. */
export interface IngestMonitorRow {
  id: string;
  service_id: string | null;
  dependency_id: string | null;
  /** The spec fields state evaluation reads (enabled, thresholds, regions). */
  spec: unknown;
  /** The runner's ownership periods of the monitor in its region, in ms since the epoch; `to` null while it owns it. */
  owned: Array<[from: number, to: number | null]>;
}

/** SQL ingest reads before it stores a batch. */
export class IngestRepository {
  /**
   * The organization's monitors among these ids, each with the periods in which this runner owned
   * it in its region: one statement (a prepared one, the ids as one JSON parameter) instead of a
   * monitor lookup and an ownership lookup with a placeholder per id each.
   */
  async monitorsOfBatch(db: Db, orgId: string, runnerId: string, region: string, monitorIds: readonly string[]): Promise<IngestMonitorRow[]> {
    if (monitorIds.length === 0) return [];
    const { rows } = await sql<IngestMonitorRow>`${prepared}
      SELECT m.id, m.service_id, m.dependency_id,
             jsonb_build_object('enabled', m.spec->'enabled', 'failure_threshold', m.spec->'failure_threshold', 'recovery_threshold', m.spec->'recovery_threshold',
                                'min_failed_regions', m.spec->'min_failed_regions', 'regions', m.spec->'regions') AS spec,
             coalesce((SELECT jsonb_agg(jsonb_build_array(floor(extract(epoch FROM h.from_at) * 1000), floor(extract(epoch FROM h.to_at) * 1000)))
                       FROM assignment_history h WHERE h.monitor_id = m.id AND h.region = ${region} AND h.runner_id = ${runnerId}), '[]'::jsonb) AS owned
      FROM monitors m
      WHERE m.org_id = ${orgId} AND m.id IN (SELECT jsonb_array_elements_text(${JSON.stringify(monitorIds)}::jsonb))`.execute(db);
    return rows;
  }
}
