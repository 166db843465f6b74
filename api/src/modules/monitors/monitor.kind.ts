import { randomBytes } from 'node:crypto';
import { PharosError } from '../../contract/errors.ts';
import { Monitor, MonitorInput, WrittenMonitor } from '../../contract/monitor.schema.ts';
import { monitorErrors } from '../../contract/monitor.rules.ts';
import { refuseWhileNamed } from '../alert-rules/alert-rule-references.ts';
import { resolveService } from '../resources/references.ts';
import type { SpecKind } from '../resources/spec-kind.ts';
import { RunnerRepository } from '../runner/runner.repository.ts';
import { SloRepository } from '../slos/slo.repository.ts';
import { dependencyOf, recomputeMonitorEdges, resolveMonitorEdge } from './monitor-edge.ts';
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
    // The edge must be one of this service's: moving a monitor to another service with an edge of the old one is refused here too.
    await resolveMonitorEdge(ctx, doc, service);
    return { teamId: service.team_id, serviceId: service.id, type: String(doc.type) };
  },
  // A heartbeat monitor gets an unguessable ping URL when it becomes one, and keeps it across edits.
  // dependency_id is a column too (a foreign key: an edge is not deleted under its monitors).
  columns(doc, current) {
    const dependency_id = typeof doc.dependency_id === 'string' ? doc.dependency_id : null;
    if (doc.type !== 'heartbeat') return { heartbeat_token: null, dependency_id };
    return { heartbeat_token: current?.heartbeat_token ?? randomBytes(18).toString('base64url'), dependency_id };
  },
  // The edge's state follows its monitors: recomputed when a monitor starts or stops naming it, is
  // enabled or disabled, or is deleted (in the write's transaction, with its transitions).
  async afterWrite(ctx, row) {
    if (row.version === 1) await recomputeMonitorEdges(ctx, undefined, row);
  },
  // Alert rules name monitors by name and service: renaming or moving a named monitor is refused.
  async afterUpdate(ctx, before, after) {
    if (before.name !== after.name || before.service_id !== after.service_id) await refuseWhileNamed(ctx, after.org_id, { type: 'monitor', name: before.name }, [{ type: 'monitor', id: after.id }], before.name !== after.name ? 'rename' : 'move');
    await recomputeMonitorEdges(ctx, before, after);
  },
  async beforeDelete(ctx, row) {
    await refuseWhileNamed(ctx, row.org_id, { type: 'monitor', name: row.name }, [{ type: 'monitor', id: row.id }], 'delete');
    const slos = await new SloRepository().namesOfMonitor(ctx.trx, row.org_id, row.id);
    if (slos.length) throw new PharosError('conflict', `Monitor "${row.name}" is the subject of SLO(s) ${slos.map((name) => `"${name}"`).join(', ')}; delete them or point them elsewhere first.`);
    await new RunnerRepository().releaseMonitorSlots(ctx.trx, row.id);
    await recomputeMonitorEdges(ctx, row, undefined);
  },
  // dependency_id is read from its column: a PUT with null stores no edge (and the document shows none).
  present: (row, { baseUrl }) => ({ dependency_id: dependencyOf(row) ?? undefined, ...(row.heartbeat_token ? { heartbeat_url: `${baseUrl}/v1/heartbeats/${row.heartbeat_token}` } : {}) }),
};
