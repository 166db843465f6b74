import { randomBytes } from 'node:crypto';
import { PharosError } from '../../contract/errors.ts';
import { Monitor, MonitorInput, WrittenMonitor } from '../../contract/monitor.schema.ts';
import { monitorErrors } from '../../contract/monitor.rules.ts';
import { refuseWhileNamed } from '../alert-rules/alert-rule-references.ts';
import { resolveService } from '../resources/references.ts';
import type { SpecKind } from '../resources/spec-kind.ts';
import { RunnerRepository } from '../runner/runner.repository.ts';
import { SloRepository } from '../slos/slo.repository.ts';
import { monitorSecrets } from './monitor.secrets.ts';

/** Monitors: a check of one type run from one or more regions; owned by its service's team. */
export const monitorKind: SpecKind = {
  type: 'monitor',
  label: 'Monitor',
  path: 'monitors',
  tag: 'Monitors',
  table: 'monitors',
  idKind: 'monitor',
  input: MonitorInput,
  output: Monitor,
  written: WrittenMonitor,
  filters: ['service_id', 'type'],
  secrets: monitorSecrets,
  rules: (doc) => monitorErrors(doc as MonitorInput),
  async place(ctx, doc) {
    const service = await resolveService(ctx, String(doc.service_id));
    return { teamId: service.team_id, serviceId: service.id, type: String(doc.type) };
  },
  // A heartbeat monitor gets an unguessable ping URL when it becomes one, and keeps it across edits.
  columns(doc, current) {
    if (doc.type !== 'heartbeat') return { heartbeat_token: null };
    return { heartbeat_token: current?.heartbeat_token ?? randomBytes(18).toString('base64url') };
  },
  // Alert rules name monitors by name and service: renaming or moving a named monitor is refused.
  async afterUpdate(ctx, before, after) {
    if (before.name !== after.name || before.service_id !== after.service_id) await refuseWhileNamed(ctx, after.org_id, { type: 'monitor', name: before.name }, [{ type: 'monitor', id: after.id }], before.name !== after.name ? 'rename' : 'move');
  },
  async beforeDelete(ctx, row) {
    await refuseWhileNamed(ctx, row.org_id, { type: 'monitor', name: row.name }, [{ type: 'monitor', id: row.id }], 'delete');
    const slos = await new SloRepository().namesOfMonitor(ctx.trx, row.org_id, row.id);
    if (slos.length) throw new PharosError('conflict', `Monitor "${row.name}" is the subject of SLO(s) ${slos.map((name) => `"${name}"`).join(', ')}; delete them or point them elsewhere first.`);
    await new RunnerRepository().releaseMonitorSlots(ctx.trx, row.id);
  },
  present: (row, { baseUrl }) => (row.heartbeat_token ? { heartbeat_url: `${baseUrl}/v1/heartbeats/${row.heartbeat_token}` } : {}),
};
