import { Type } from '@sinclair/typebox';
import { PharosError } from '../../contract/errors.ts';
import { Service, ServiceInput } from '../../contract/service.schema.ts';
import { DependencyRepository, type EdgeOfService } from '../dependencies/dependency.repository.ts';
import { presentDependency } from '../dependencies/dependency.service.ts';
import { refuseWhileMonitored } from '../dependencies/edge-monitors.ts';
import { MonitorRepository } from '../monitors/monitor.repository.ts';
import { refuseWhileNamed } from '../alert-rules/alert-rule-references.ts';
import { resolveTeam } from '../resources/references.ts';
import { SloRepository } from '../slos/slo.repository.ts';
import { StatusPageRepository } from '../status-pages/status-page.repository.ts';
import type { SpecKind } from '../resources/spec-kind.ts';

const edgeWords = (service: string, e: EdgeOfService) =>
  e.direction === 'out' ? `"${service}" depends on "${e.other.name}"` : `"${e.other.name}" of team "${e.other.team_name}" depends on "${service}"`;
const describeEdge = (service: string, e: EdgeOfService) => `${e.row.id} (${edgeWords(service, e)})`;

/** The 409 of a service that still has dependency edges: each edge with the service at its other end, and the two ways out. */
function edgesConflict(service: { id: string; name: string }, edges: EdgeOfService[]): PharosError {
  return new PharosError(
    'conflict',
    `Service "${service.name}" is in ${edges.length} dependency edge(s): ${edges.map((e) => describeEdge(service.name, e)).join(', ')}. ` +
      `Delete them first (DELETE /v1/services/{service_id}/dependencies/{id}), or delete the service with ?cascade=true to delete them with it.`,
    undefined,
    edges.map((e) => ({
      type: 'dependency',
      id: e.row.id,
      name: e.other.name,
      team_id: e.other.team_id,
      team_name: e.other.team_name,
      relation: e.direction === 'out' ? `this service depends on service ${e.other.id}` : `service ${e.other.id} depends on this service`,
    })),
  );
}

/** Services: the catalog entries monitors, dependencies and alerts hang off. */
export const serviceKind: SpecKind = {
  type: 'service',
  label: 'Service',
  path: 'services',
  tag: 'Services',
  table: 'services',
  idKind: 'service',
  input: ServiceInput,
  output: Service,
  filters: [],
  async place(ctx, doc) {
    const team = await resolveTeam(ctx, String(doc.team_id));
    return { teamId: team.id, type: String(doc.kind ?? 'internal') };
  },
  async afterUpdate(ctx, before, after) {
    // Alert rules name services (and their monitors) by name within their team: renaming the service or moving it (with its monitors) to another team is refused while a rule names them.
    if (before.name !== after.name) await refuseWhileNamed(ctx, after.org_id, { type: 'service', name: before.name }, [{ type: 'service', id: after.id }], 'rename');
    if (before.team_id !== after.team_id) {
      const monitors = await new MonitorRepository().idsOfService(ctx.trx, after.org_id, after.id);
      await refuseWhileNamed(ctx, after.org_id, { type: 'service', name: before.name }, [{ type: 'service', id: after.id }, ...monitors.map((id) => ({ type: 'monitor' as const, id }))], 'move');
    }
    // Monitors and dependency edges are owned by the service's team; moving the service moves them.
    if (before.team_id === after.team_id) return;
    await new MonitorRepository().moveServiceTeam(ctx.trx, after.org_id, after.id, after.team_id);
    await new DependencyRepository().moveServiceTeam(ctx.trx, after.org_id, after.id, after.team_id);
  },
  deleteQuery: {
    cascade: Type.Optional(Type.Boolean({ default: false, description: 'Also delete the dependency edges from and to the service (each audited). Without it a service in any edge answers 409 listing them.' })),
  },
  async beforeDelete(ctx, row, options) {
    await refuseWhileNamed(ctx, row.org_id, { type: 'service', name: row.name }, [{ type: 'service', id: row.id }], 'delete');
    const monitors = await new MonitorRepository().countOfService(ctx.trx, row.org_id, row.id);
    if (monitors > 0) {
      throw new PharosError('conflict', `Service "${row.name}" still has ${monitors} monitor(s); delete or move them first.`);
    }
    const slos = await new SloRepository().namesOfService(ctx.trx, row.org_id, row.id);
    if (slos.length) throw new PharosError('conflict', `Service "${row.name}" is the subject of SLO(s) ${slos.map((name) => `"${name}"`).join(', ')}; delete them or point them elsewhere first.`);
    // Status pages store service ids, so renaming is harmless; deleting would leave a component showing nothing.
    const pages = await new StatusPageRepository().pagesShowingService(ctx.trx, row.org_id, row.id);
    if (pages.length) {
      throw new PharosError(
        'conflict',
        `Service "${row.name}" is a component of status page(s) ${pages.map((p) => `"${p.name}" (${p.id}, /status/${p.slug}, team "${p.team_name}")`).join(', ')}; remove it from their components (PUT /v1/status-pages/{id}) or delete those pages first.`,
        undefined,
        pages.map((p) => ({ type: 'status_page', id: p.id, name: p.name, team_id: p.team_id, team_name: p.team_name, relation: 'shows this service as a component' })),
      );
    }
    // Edges are never deleted silently: refused unless asked for, then deleted and audited one by one.
    const dependencies = new DependencyRepository();
    const edges = await dependencies.edgesOfService(ctx.trx, row.org_id, row.id);
    if (!edges.length) return [];
    if (options.cascade !== true) throw edgesConflict(row, edges);
    // An edge that another service's monitors check is not deleted under them, cascade or not.
    await refuseWhileMonitored(ctx.trx, row.org_id, edges.map((e) => ({ id: e.row.id, description: edgeWords(row.name, e) })));
    await dependencies.deleteMany(ctx.trx, row.org_id, edges.map((e) => e.row.id));
    return edges.map((e) => ({ resourceType: 'dependency', resourceId: e.row.id, teamId: e.row.team_id, before: presentDependency(e.row) }));
  },
};
