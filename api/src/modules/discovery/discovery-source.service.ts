import { DISCOVERY_MAX_FUTURE_MS, DISCOVERY_STALE_AFTER_MS, type DiscoverySource, type DiscoverySourceInput } from '../../contract/discovery.schema.ts';
import { PharosError, notFound } from '../../contract/errors.ts';
import { requireOrgAdmin, roleRank, type Principal } from '../../auth/principal.ts';
import type { Db } from '../../db/database.ts';
import { decodeCursor, encodeCursor } from '../../http/cursor.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { Caller } from '../resources/spec.service.ts';
import { inTransaction } from '../resources/transaction.ts';
import { checkVersion, iso } from '../resources/versioning.ts';
import type { DiscoverySourceRepository, DiscoverySourceRow } from './discovery-source.repository.ts';

const label = 'Discovery source';

/** The response document of a source; `now` decides whether it is stale. */
export function presentDiscoverySource(row: DiscoverySourceRow, now: number): DiscoverySource {
  const updated = new Date(row.updated_at);
  return {
    name: row.name,
    ...(row.cluster !== null ? { cluster: row.cluster } : {}),
    agent_version: row.agent_version,
    last_sync_at: iso(row.last_sync_at)!,
    synced: row.synced,
    objects_seen: row.objects_seen,
    monitors_managed: row.monitors_managed,
    actions: row.actions,
    errors: row.errors,
    reported_by: row.reported_by,
    created_at: iso(row.created_at)!,
    updated_at: updated.toISOString(),
    stale: now - updated.getTime() >= DISCOVERY_STALE_AFTER_MS,
    version: row.version,
  };
}

/**
 * A discovery agent writes with team_editor (or team_admin) on at least one team, or org_admin: the
 * role it needs anyway to create the monitors it reports on. Viewers read only.
 */
function requireReporter(principal: Principal): void {
  if (principal.orgAdmin) return;
  if ([...principal.teams.values()].some((role) => roleRank(role) >= roleRank('team_editor'))) return;
  throw new PharosError('forbidden', 'Reporting a discovery source needs the team_editor role on a team (or org_admin): use the API token of the discovery agent, which creates monitors with that role.');
}

/**
 * Discovery sources: what each Kubernetes discovery agent of the organization last reported (last
 * sync, counts, per-object errors). Every member of the organization reads them; agents write their
 * own; org admins remove a source whose agent is gone.
 */
export class DiscoverySourceService {
  constructor(
    private readonly db: Db,
    private readonly repo: DiscoverySourceRepository,
    private readonly audit: AuditRepository,
    private readonly clock: () => number = Date.now,
  ) {}

  async list(caller: Caller, q: { limit: number; cursor?: string | undefined }) {
    const now = this.clock();
    const rows = await this.repo.list(this.db, caller.principal.orgId, decodeCursor(q.cursor), q.limit);
    const more = rows.length > q.limit;
    const items = (more ? rows.slice(0, q.limit) : rows).map((row) => presentDiscoverySource(row, now));
    return more ? { items, next_cursor: encodeCursor(rows[q.limit - 1]!.name) } : { items };
  }

  async get(caller: Caller, name: string): Promise<DiscoverySourceRow> {
    const row = await this.repo.get(this.db, caller.principal.orgId, name);
    if (!row) throw notFound(label);
    return row;
  }

  /** PUT: records a report; `created` tells a first report from a replacement. */
  async report(caller: Caller, name: string, input: DiscoverySourceInput, ifMatch: number | undefined): Promise<{ row: DiscoverySourceRow; created: boolean }> {
    requireReporter(caller.principal);
    const now = this.clock();
    if (Date.parse(input.last_sync_at) > now + DISCOVERY_MAX_FUTURE_MS) {
      const message = `${input.last_sync_at} is more than 5 minutes ahead of the server clock (${new Date(now).toISOString()}); send the time the reconciliation finished, and check the agent's clock.`;
      throw new PharosError('validation_failed', `/last_sync_at: ${message}`, [{ pointer: '/last_sync_at', message }]);
    }
    return inTransaction(this.db, label, async (trx) => {
      const orgId = caller.principal.orgId;
      const current = await this.repo.get(trx, orgId, name, true);
      if (current) checkVersion(label, name, current.version, ifMatch);
      else if (ifMatch !== undefined) throw new PharosError('precondition_failed', `Discovery source "${name}" does not exist yet, so no version can match; send the first report without If-Match.`);
      const reportedBy = { type: caller.principal.kind, id: caller.principal.id, name: caller.principal.name };
      const row = await this.repo.upsert(trx, orgId, name, input, reportedBy, new Date(now));
      await this.audit.record(trx, caller.principal, caller.requestId, {
        action: current ? 'update' : 'create',
        resourceType: 'discovery_source',
        resourceId: name,
        teamId: null,
        before: current ? presentDiscoverySource(current, now) : undefined,
        after: presentDiscoverySource(row, now),
      });
      return { row, created: current === undefined };
    });
  }

  /** Removes a source (its agent was uninstalled); an agent that reports again recreates it. Org admins only. */
  async delete(caller: Caller, name: string, ifMatch: number | undefined): Promise<void> {
    requireOrgAdmin(caller.principal, 'delete discovery sources');
    await inTransaction(this.db, label, async (trx) => {
      const current = await this.repo.get(trx, caller.principal.orgId, name, true);
      if (!current) throw notFound(label);
      checkVersion(label, name, current.version, ifMatch);
      await this.repo.delete(trx, caller.principal.orgId, name);
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'delete', resourceType: 'discovery_source', resourceId: name, teamId: null, before: presentDiscoverySource(current, this.clock()), after: undefined });
    });
  }

  /** The clock's now, for presenting rows this service returned. */
  now(): number {
    return this.clock();
  }
}
