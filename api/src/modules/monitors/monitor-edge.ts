import { PharosError } from '../../contract/errors.ts';
import type { SpecRow } from '../../db/tables.ts';
import { DependencyRepository } from '../dependencies/dependency.repository.ts';
import type { KindContext } from '../resources/spec-kind.ts';
import { StateRepository } from '../state/state.repository.ts';
import { StateService } from '../state/state.service.ts';
import { monitorSpec } from './monitor-spec.ts';

const pointer = '/dependency_id';

const invalid = (message: string) => new PharosError('validation_failed', `${pointer}: ${message}`, [{ pointer, message }]);

/** The dependency edge a monitor row names (the column; the document carries the same id). */
export const dependencyOf = (row: SpecRow | undefined): string | null => ((row as { dependency_id?: string | null } | undefined)?.dependency_id ?? null);

/**
 * Checks the edge a monitor document names: it exists in the organization, the caller may see it,
 * and it is an edge of the monitor's own service ("can A reach B" is a monitor of A). Returns the
 * id to store (null: none). An edge the caller cannot see is reported as missing.
 */
export async function resolveMonitorEdge(ctx: KindContext, doc: Record<string, unknown>, service: { id: string; name: string }): Promise<string | null> {
  const id = doc.dependency_id;
  if (id === undefined || id === null) return null;
  const edge = await new DependencyRepository().named(ctx.trx, ctx.principal.orgId, String(id));
  const visible = edge && (ctx.principal.orgAdmin || ctx.principal.teams.has(edge.team_id));
  if (!edge || !visible) {
    throw invalid(`Dependency "${String(id)}" does not exist or you have no access to it; use the id of one of this service's edges (GET /v1/services/${service.id}/dependencies), or null for a monitor of the service alone.`);
  }
  if (edge.service_id !== service.id) {
    throw invalid(
      `Dependency "${edge.id}" is the edge "${edge.service_name}" → "${edge.depends_on_name}", an edge of service "${edge.service_name}" (${edge.service_id}), not of this monitor's service "${service.name}" (${service.id}). ` +
        `A monitor checks an edge of its own service ("can A reach B" is a monitor of A): name one of GET /v1/services/${service.id}/dependencies, move the monitor to service ${edge.service_id}, or set dependency_id to null.`,
    );
  }
  return edge.id;
}

/**
 * Recomputes the edges a monitor write touched, in the write's transaction: the edge it named
 * before and the one it names now (whichever changed, or both when it was enabled or disabled).
 * Without `after` the monitor is being deleted, so it no longer counts.
 */
export async function recomputeMonitorEdges(ctx: KindContext, before: SpecRow | undefined, after: SpecRow | undefined): Promise<void> {
  const was = dependencyOf(before);
  const now = dependencyOf(after);
  const toggled = before !== undefined && after !== undefined && monitorSpec(before.spec).enabled !== monitorSpec(after.spec).enabled;
  const edges = new Set<string>();
  if (was && (was !== now || toggled || after === undefined)) edges.add(was);
  if (now && (now !== was || toggled || before === undefined)) edges.add(now);
  if (edges.size === 0) return;
  const row = (before ?? after)!;
  const without = after === undefined ? new Set([row.id]) : new Set<string>();
  await new StateService(new StateRepository()).recomputeEdges(ctx.trx, row.org_id, edges, new Date(), without);
}
