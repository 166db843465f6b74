import { PharosError } from '../../contract/errors.ts';
import type { Principal } from '../../auth/principal.ts';
import type { KindContext } from './spec-kind.ts';

const visible = (principal: Principal, teamId: string) => principal.orgAdmin || principal.teams.has(teamId);

// A reference in a request body that the caller cannot see is reported like a missing one, as a field
// error: Terraform can point at the attribute, and existence does not leak.
const missing = (pointer: string, label: string, id: string) =>
  new PharosError('validation_failed', `${pointer}: ${label} "${id}" does not exist or you have no access to it.`, [
    { pointer, message: `${label} "${id}" does not exist or you have no access to it; check the id.` },
  ]);

/** The team a document names, checked to exist in the caller's organization and to be visible. */
export async function resolveTeam(ctx: KindContext, teamId: string, pointer = '/team_id'): Promise<{ id: string; name: string }> {
  const team = await ctx.trx.selectFrom('teams').select(['id', 'name']).where('org_id', '=', ctx.principal.orgId).where('id', '=', teamId).executeTakeFirst();
  if (!team || !visible(ctx.principal, team.id)) throw missing(pointer, 'Team', teamId);
  return team;
}

/** The service a document names, checked the same way; returns its owner team. */
export async function resolveService(ctx: KindContext, serviceId: string, pointer = '/service_id', requireVisible = true): Promise<{ id: string; name: string; team_id: string }> {
  const service = await ctx.trx.selectFrom('services').select(['id', 'name', 'team_id']).where('org_id', '=', ctx.principal.orgId).where('id', '=', serviceId).executeTakeFirst();
  if (!service || (requireVisible && !visible(ctx.principal, service.team_id))) throw missing(pointer, 'Service', serviceId);
  return service;
}

/** Checks that every id of a list names a row of the table in the organization and a visible team. */
export async function resolveMany(
  ctx: KindContext,
  table: 'channels' | 'maintenance_windows' | 'monitors' | 'services' | 'routing_policies',
  ids: readonly string[],
  pointer: string,
  label: string,
): Promise<void> {
  if (ids.length === 0) return;
  const rows = await ctx.trx.selectFrom(table).select(['id', 'team_id']).where('org_id', '=', ctx.principal.orgId).where('id', 'in', [...ids]).execute();
  const found = new Map(rows.map((r) => [r.id, r.team_id]));
  ids.forEach((id, i) => {
    const team = found.get(id);
    if (!team || !visible(ctx.principal, team)) throw missing(`${pointer}/${i}`, label, id);
  });
}
