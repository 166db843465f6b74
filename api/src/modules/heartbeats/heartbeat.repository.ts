import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** A heartbeat monitor as the sweep sees it: its spec and when its one slot last heard from the job. */
export interface HeartbeatCandidate {
  id: string;
  org_id: string;
  service_id: string;
  dependency_id: string | null;
  spec: unknown;
  last: Date | string | null;
  state: string | null;
  created_at: Date | string;
}

/** SQL for heartbeat monitors. */
export class HeartbeatRepository {
  /** The monitor behind a ping URL's token, in whichever organization it is (the token is the credential). */
  async byToken(db: Db, token: string): Promise<{ id: string; org_id: string; service_id: string | null; dependency_id: string | null; spec: unknown } | undefined> {
    return db.selectFrom('monitors').select(['id', 'org_id', 'service_id', 'dependency_id', 'spec']).where('heartbeat_token', '=', token).executeTakeFirst();
  }

  /** Enabled heartbeat monitors of every organization whose slot (`region`) is not down yet. */
  async notDown(db: Db, region: string): Promise<HeartbeatCandidate[]> {
    const { rows } = await sql<HeartbeatCandidate>`
      SELECT m.id, m.org_id, m.service_id, m.dependency_id, m.spec, s.last_result_at AS last, s.state, m.created_at
      FROM monitors m LEFT JOIN slot_states s ON s.monitor_id = m.id AND s.region = ${region}
      WHERE m.type = 'heartbeat' AND coalesce((m.spec ->> 'enabled')::boolean, true) AND coalesce(s.state, 'unknown') <> 'down'`.execute(db);
    return rows;
  }
}
