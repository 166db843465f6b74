import { CronExpressionParser } from 'cron-parser';
import { PharosError, type FieldError } from '../../contract/errors.ts';
import { MaintenanceWindow, MaintenanceWindowInput, type MaintenanceWindowInput as Input } from '../../contract/alerting.schema.ts';
import { parseDuration } from '../../shared/duration.ts';
import { resolveMany, resolveTeam } from '../resources/references.ts';
import type { SpecKind } from '../resources/spec-kind.ts';

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Maintenance windows: spans (optionally recurring) that mute notifications and leave SLA figures alone. */
export const maintenanceWindowKind: SpecKind = {
  type: 'maintenance_window',
  label: 'Maintenance window',
  path: 'maintenance-windows',
  tag: 'Alerting',
  table: 'maintenance_windows',
  idKind: 'maintenance_window',
  input: MaintenanceWindowInput,
  output: MaintenanceWindow,
  filters: [],
  rules(doc) {
    const w = doc as Input;
    const errors: FieldError[] = [];
    if (Date.parse(w.ends_at) <= Date.parse(w.starts_at)) errors.push({ pointer: '/ends_at', message: `ends_at (${w.ends_at}) must be after starts_at (${w.starts_at}).` });
    if (w.recurrence) {
      const zone = w.recurrence.timezone ?? 'UTC';
      if (!validTimeZone(zone)) errors.push({ pointer: '/recurrence/timezone', message: `"${zone}" is not an IANA time zone, e.g. "Europe/Berlin" or "UTC".` });
      else {
        try {
          if (w.recurrence.cron.trim().split(/\s+/).length !== 5) throw new Error('it needs five fields: minute hour day-of-month month day-of-week');
          CronExpressionParser.parse(w.recurrence.cron, { tz: zone });
        } catch (error) {
          errors.push({ pointer: '/recurrence/cron', message: `"${w.recurrence.cron}" is not a valid cron expression: ${(error as Error).message}.` });
        }
      }
      const length = parseDuration(w.recurrence.duration);
      if (length !== undefined && length <= 0) errors.push({ pointer: '/recurrence/duration', message: 'The duration must be longer than zero.' });
    }
    return errors;
  },
  async place(ctx, doc) {
    const w = doc as Input;
    const team = await resolveTeam(ctx, w.team_id);
    await resolveMany(ctx, 'services', w.service_ids ?? [], '/service_ids', 'Service');
    await resolveMany(ctx, 'monitors', w.monitor_ids ?? [], '/monitor_ids', 'Monitor');
    const foreign = await ctx.trx
      .selectFrom('services')
      .select('name')
      .where('org_id', '=', ctx.principal.orgId)
      .where('id', 'in', [...(w.service_ids ?? []), ''])
      .where('team_id', '!=', team.id)
      .execute();
    if (foreign.length) {
      throw new PharosError('validation_failed', '/service_ids: services of other teams cannot be covered.', [
        { pointer: '/service_ids', message: `Services ${foreign.map((f) => f.name).join(', ')} belong to another team; a window covers only its own team's services.` },
      ]);
    }
    return { teamId: team.id };
  },
};
