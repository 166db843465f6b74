import { PharosError } from '../../contract/errors.ts';
import { Service, ServiceInput } from '../../contract/service.schema.ts';
import { resolveTeam } from '../resources/references.ts';
import type { SpecKind } from '../resources/spec-kind.ts';

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
    // Monitors and dependency edges are owned by the service's team; moving the service moves them.
    if (before.team_id === after.team_id) return;
    await ctx.trx.updateTable('monitors').set({ team_id: after.team_id }).where('org_id', '=', after.org_id).where('service_id', '=', after.id).execute();
    await ctx.trx.updateTable('dependencies').set({ team_id: after.team_id }).where('org_id', '=', after.org_id).where('service_id', '=', after.id).execute();
  },
  async beforeDelete(ctx, row) {
    const monitors = await ctx.trx.selectFrom('monitors').select(({ fn }) => fn.countAll<string>().as('n')).where('org_id', '=', row.org_id).where('service_id', '=', row.id).executeTakeFirstOrThrow();
    if (Number(monitors.n) > 0) {
      throw new PharosError('conflict', `Service "${row.name}" still has ${monitors.n} monitor(s); delete or move them first.`);
    }
    const slos = await ctx.trx.selectFrom('slos').select('name').where('org_id', '=', row.org_id).where('service_id', '=', row.id).execute();
    if (slos.length) throw new PharosError('conflict', `Service "${row.name}" is the subject of SLO(s) ${slos.map((s) => `"${s.name}"`).join(', ')}; delete them or point them elsewhere first.`);
  },
};
