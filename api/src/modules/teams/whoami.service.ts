import type { Db } from '../../db/database.ts';
import type { Principal } from '../../auth/principal.ts';
import type { Whoami } from '../../contract/whoami.schema.ts';
import type { TeamRepository } from './team.repository.ts';

/** GET /v1/me: the caller as the console (and scripts) need to know it. */
export class WhoamiService {
  constructor(
    private readonly db: Db,
    private readonly teams: TeamRepository,
  ) {}

  async whoami(principal: Principal): Promise<Whoami> {
    const ids = [...principal.teams.keys()];
    const rows = ids.length ? await this.teams.list(this.db, principal.orgId, ids, undefined, ids.length) : [];
    const names = new Map(rows.map((t) => [t.id, t.name]));
    return {
      kind: principal.kind,
      id: principal.id,
      name: principal.name,
      org_id: principal.orgId,
      org_admin: principal.orgAdmin,
      teams: [...principal.teams].filter(([id]) => names.has(id)).map(([id, role]) => ({ id, name: names.get(id)!, role })).sort((a, b) => a.name.localeCompare(b.name)),
      expires_at: principal.expiresAt ? principal.expiresAt.toISOString() : null,
    };
  }
}
