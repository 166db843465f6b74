import type { Db } from '../../db/database.ts';
import type { EventLogRepository } from '../events/event-log.repository.ts';
import { IncidentCorrelationRepository } from './incident-correlation.repository.ts';
import { defaultIncidentSettings } from './incident-settings.ts';

/** How long an organization that was asked to settle is not asked again (its batch may still be on its way). */
const REASK_MS = 10_000;

/**
 * Correlation work that falls due with time rather than with an event: a held page whose grace
 * ran out (sent then), an incident whose quiet time in monitoring is over (resolved then). The job
 * finds such organizations and appends an `incident.changed` event with change "due" to each
 * one's log: the notification router's batch (where the correlator runs, under the organization's
 * cursor lock) does the work, so it never races a batch. Returns the organizations asked.
 */
export function incidentSweep(db: Db, log: EventLogRepository, nudge: () => void, now: () => number = Date.now): () => Promise<number> {
  const repo = new IncidentCorrelationRepository();
  const asked = new Map<string, number>();
  return async () => {
    const at = now();
    for (const [org, when] of asked) if (at - when > REASK_MS) asked.delete(org);
    const due = (await repo.due(db, new Date(at), { resolveAfterSeconds: defaultIncidentSettings.resolve_after_seconds })).filter((d) => !asked.has(d.orgId));
    if (due.length === 0) return 0;
    await db.transaction().execute((trx) =>
      log.append(trx, due.map((d) => ({ orgId: d.orgId, kind: 'incident.changed' as const, at: new Date(at), payload: { incident_id: d.incidentId, number: d.number, state: d.state, change: 'due' } }))),
    );
    for (const d of due) asked.set(d.orgId, at);
    nudge();
    return due.length;
  };
}
