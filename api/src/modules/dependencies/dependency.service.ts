import { managerOnCreate, managerOnUpdate, requireWritableBy, storedManager } from '../resources/managed-by.ts';
import { PharosError, notFound } from '../../contract/errors.ts';
import { DependencyInput, type DependencyInput as Input } from '../../contract/service.schema.ts';
import { requireTeamAccess } from '../../auth/principal.ts';
import type { Db } from '../../db/database.ts';
import type { DependencyRow } from '../../db/tables.ts';
import { decodeCursor, toPage } from '../../http/cursor.ts';
import type { Validator } from '../../http/validator.ts';
import { newId } from '../../shared/ids.ts';
import { mergePatch } from '../../shared/json.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import { resolveService } from '../resources/references.ts';
import type { Caller } from '../resources/spec.service.ts';
import { inTransaction } from '../resources/transaction.ts';
import { checkVersion, iso } from '../resources/versioning.ts';
import { cycleThrough } from './dependency-graph.ts';
import { ServiceRepository } from '../services/service.repository.ts';
import { DependencyRepository } from './dependency.repository.ts';
import { refuseWhileMonitored } from './edge-monitors.ts';
import { refuseWhileNamed } from '../alert-rules/alert-rule-references.ts';

/** Presents a dependency edge. */
export const presentDependency = (row: DependencyRow) => ({
  id: row.id,
  team_id: row.team_id,
  service_id: row.service_id,
  depends_on_service_id: row.depends_on_service_id,
  ...(row.description !== null ? { description: row.description } : {}),
  created_at: iso(row.created_at),
  updated_at: iso(row.updated_at),
  version: row.version,
  managed_by: storedManager(row),
});

const managedEdge = (row: DependencyRow) => ({ what: 'dependency', name: row.id, managedBy: storedManager(row) });

export interface DependencyWarning {
  code: 'dependency_cycle';
  message: string;
  cycle: string[];
}

/**
 * Dependency edges between services, owned by the dependent service's team. The target may be any
 * service of the organization (a team depends on other teams' services). Cycles are allowed, since
 * real systems have them, but reported so that root-cause analysis can be read with care.
 */
export class DependencyService {
  private readonly edges = new DependencyRepository();
  private readonly services = new ServiceRepository();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditRepository,
    private readonly validator: Validator,
  ) {}

  private async service(db: Db, caller: Caller, serviceId: string, access: 'read' | 'write') {
    const service = await this.services.summary(db, caller.principal.orgId, serviceId);
    if (!service) throw notFound('Service');
    requireTeamAccess(caller.principal, service.team_id, access, 'Service');
    return service;
  }

  private async load(db: Db, caller: Caller, serviceId: string, id: string, access: 'read' | 'write', forUpdate = false) {
    await this.service(db, caller, serviceId, 'read');
    const row = await this.edges.get(db, caller.principal.orgId, serviceId, id, forUpdate);
    if (!row) throw notFound('Dependency');
    requireTeamAccess(caller.principal, row.team_id, access, 'Dependency');
    return row;
  }

  async list(caller: Caller, serviceId: string, q: { limit: number; cursor?: string | undefined }) {
    await this.service(this.db, caller, serviceId, 'read');
    const rows = await this.edges.page(this.db, caller.principal.orgId, serviceId, { afterId: decodeCursor(q.cursor), limit: q.limit + 1 });
    return toPage(rows, q.limit, presentDependency);
  }

  get(caller: Caller, serviceId: string, id: string) {
    return this.load(this.db, caller, serviceId, id, 'read');
  }

  async create(caller: Caller, serviceId: string, input: Input): Promise<{ row: DependencyRow; warnings: DependencyWarning[] }> {
    return inTransaction(this.db, 'Dependency', async (trx) => {
      const service = await this.service(trx, caller, serviceId, 'write');
      const target = await this.checkTarget(trx, caller, service.id, input.depends_on_service_id);
      await this.refuseDuplicate(trx, service, target, caller.principal.orgId);
      const now = new Date();
      const row = await this.edges.insert(trx, { id: newId('dependency'), org_id: caller.principal.orgId, team_id: service.team_id, service_id: serviceId, depends_on_service_id: input.depends_on_service_id, description: input.description ?? null, created_at: now, updated_at: now, managed_by: managerOnCreate(caller.managedBy) });
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'create', resourceType: 'dependency', resourceId: row.id, teamId: row.team_id, before: undefined, after: presentDependency(row) });
      return { row, warnings: await this.cycleWarnings(trx, caller.principal.orgId, row) };
    });
  }

  async update(caller: Caller, serviceId: string, id: string, body: Record<string, unknown>, patch: boolean, ifMatch: number | undefined) {
    return inTransaction(this.db, 'Dependency', async (trx) => {
      const current = await this.load(trx, caller, serviceId, id, 'write', true);
      requireWritableBy(caller.managedBy, managedEdge(current));
      checkVersion('Dependency', id, current.version, ifMatch);
      const stored = presentDependency(current);
      const base = { depends_on_service_id: stored.depends_on_service_id, ...(stored.description !== undefined ? { description: stored.description } : {}) };
      const next = this.validator.body<Input>(DependencyInput, patch ? mergePatch(base, body) : body, patch ? 'The patched document' : 'The request body');
      if (next.depends_on_service_id !== current.depends_on_service_id) {
        const named = await this.edges.named(trx, caller.principal.orgId, id);
        await refuseWhileNamed({ trx, principal: caller.principal, baseUrl: caller.baseUrl }, caller.principal.orgId, { type: 'edge', name: `${named?.service_name ?? current.service_id} → ${named?.depends_on_name ?? current.depends_on_service_id}` }, [{ type: 'edge', id }], 'retarget');
        const target = await this.checkTarget(trx, caller, serviceId, next.depends_on_service_id);
        await this.refuseDuplicate(trx, await this.service(trx, caller, serviceId, 'read'), target, caller.principal.orgId);
      }
      const row = await this.edges.update(trx, caller.principal.orgId, id, { depends_on_service_id: next.depends_on_service_id, description: next.description ?? null, managed_by: managerOnUpdate(caller.managedBy, storedManager(current)) });
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'update', resourceType: 'dependency', resourceId: id, teamId: row.team_id, before: stored, after: presentDependency(row) });
      return row;
    });
  }

  async delete(caller: Caller, serviceId: string, id: string, ifMatch: number | undefined) {
    await inTransaction(this.db, 'Dependency', async (trx) => {
      const current = await this.load(trx, caller, serviceId, id, 'write', true);
      requireWritableBy(caller.managedBy, managedEdge(current));
      checkVersion('Dependency', id, current.version, ifMatch);
      const named = await this.edges.named(trx, caller.principal.orgId, id);
      // Alert rules name edges by their two services (`edge("a", "b")`): deleting one they name is refused, listing them.
      await refuseWhileNamed({ trx, principal: caller.principal, baseUrl: caller.baseUrl }, caller.principal.orgId, { type: 'edge', name: `${named?.service_name ?? current.service_id} → ${named?.depends_on_name ?? current.depends_on_service_id}` }, [{ type: 'edge', id }], 'delete');
      await refuseWhileMonitored(trx, caller.principal.orgId, [{ id, description: `"${named?.service_name ?? current.service_id}" depends on "${named?.depends_on_name ?? current.depends_on_service_id}"` }]);
      await this.edges.deleteMany(trx, caller.principal.orgId, [id]);
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'delete', resourceType: 'dependency', resourceId: id, teamId: current.team_id, before: presentDependency(current), after: undefined });
    });
  }

  /** A second edge between the same two services is refused, naming the first. */
  private async refuseDuplicate(trx: Db, service: { id: string; name: string; team_id: string }, target: { id: string; name: string; team_id: string }, orgId: string) {
    const existing = await this.edges.find(trx, orgId, service.id, target.id);
    if (!existing) return;
    throw new PharosError(
      'conflict',
      `Service "${service.name}" already depends on "${target.name}": dependency ${existing.id}. An edge between two services exists once; change that one (PUT /v1/services/${service.id}/dependencies/${existing.id}) instead of adding another.`,
      undefined,
      [{ type: 'dependency', id: existing.id, name: target.name, team_id: service.team_id, relation: `service ${service.id} already depends on service ${target.id}` }],
    );
  }

  private async checkTarget(trx: Db, caller: Caller, serviceId: string, targetId: string) {
    if (targetId === serviceId) {
      throw new PharosError('validation_failed', '/depends_on_service_id: a service cannot depend on itself.', [{ pointer: '/depends_on_service_id', message: 'A service cannot depend on itself; name another service.' }]);
    }
    return resolveService({ trx, principal: caller.principal, baseUrl: caller.baseUrl }, targetId, '/depends_on_service_id', false);
  }

  private async cycleWarnings(trx: Db, orgId: string, row: DependencyRow): Promise<DependencyWarning[]> {
    const edges = await this.edges.graph(trx, orgId, row.id);
    const cycle = cycleThrough(edges, row.service_id, row.depends_on_service_id);
    if (!cycle) return [];
    const names = await this.services.names(trx, orgId, cycle);
    const named = cycle.map((id) => names.get(id) ?? id);
    return [{ code: 'dependency_cycle', message: `This dependency closes a cycle: ${named.join(' → ')}. It is stored; root-cause analysis treats services in a cycle as peers.`, cycle: named }];
  }
}
