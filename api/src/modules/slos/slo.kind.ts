import { PharosError } from '../../contract/errors.ts';
import { Slo, SloInput, sloErrors, type SloInput as Input } from '../../contract/slo.schema.ts';
import { refuseWhileNamed } from '../alert-rules/alert-rule-references.ts';
import { resolveService, resolveTeam } from '../resources/references.ts';
import type { SpecKind } from '../resources/spec-kind.ts';

/**
 * Service level objectives: uptime or latency targets for a monitor, a service or a whole team
 * (neither id set), over rolling or calendar windows. The subject must belong to the SLO's team,
 * so a team's objectives and error budgets are about its own services.
 */
export const sloKind: SpecKind = {
  type: 'slo',
  label: 'SLO',
  path: 'slos',
  tag: 'SLA',
  table: 'slos',
  idKind: 'slo',
  input: SloInput,
  output: Slo,
  filters: ['service_id', 'type'],
  rules: (doc) => sloErrors(doc as Input),
  async place(ctx, doc) {
    const slo = doc as Input;
    const team = await resolveTeam(ctx, slo.team_id);
    const otherTeam = (pointer: string, what: string) =>
      new PharosError('validation_failed', `${pointer}: the ${what} belongs to another team.`, [
        { pointer, message: `This ${what} belongs to another team; an SLO covers only its own team's services and monitors.` },
      ]);
    let serviceId: string | null = null;
    if (slo.service_id) {
      const service = await resolveService(ctx, slo.service_id);
      if (service.team_id !== team.id) throw otherTeam('/service_id', 'service');
      serviceId = service.id;
    }
    if (slo.monitor_id) {
      const monitor = await ctx.trx.selectFrom('monitors').select(['id', 'team_id', 'service_id']).where('org_id', '=', ctx.principal.orgId).where('id', '=', slo.monitor_id).executeTakeFirst();
      if (!monitor || (!ctx.principal.orgAdmin && !ctx.principal.teams.has(monitor.team_id))) {
        throw new PharosError('validation_failed', `/monitor_id: Monitor "${slo.monitor_id}" does not exist or you have no access to it.`, [
          { pointer: '/monitor_id', message: `Monitor "${slo.monitor_id}" does not exist or you have no access to it; check the id.` },
        ]);
      }
      if (monitor.team_id !== team.id) throw otherTeam('/monitor_id', 'monitor');
      serviceId = monitor.service_id;
    }
    return { teamId: team.id, serviceId, type: slo.objective };
  },
  // Alert rules name SLOs by name within their team (burn_rate(slo("…"), "1h")).
  async afterUpdate(ctx, before, after) {
    if (before.name !== after.name || before.team_id !== after.team_id) await refuseWhileNamed(ctx, after.org_id, { type: 'slo', name: before.name }, [{ type: 'slo', id: after.id }], before.name !== after.name ? 'rename' : 'move');
  },
  async beforeDelete(ctx, row) {
    await refuseWhileNamed(ctx, row.org_id, { type: 'slo', name: row.name }, [{ type: 'slo', id: row.id }], 'delete');
  },
};
