import { PharosError } from '../../contract/errors.ts';
import type { Db } from '../../db/database.ts';
import { MonitorRepository } from '../monitors/monitor.repository.ts';

/** An edge about to be deleted, with the words that name it in a message. */
export interface EdgeToDelete {
  id: string;
  /** e.g. `"fulfillment-routing" depends on "shipping-integration"`. */
  description: string;
}

/**
 * Refuses (409 conflict) to delete dependency edges that monitors still check (their
 * dependency_id): the monitors are named with the two ways out, so nothing is left pointing at a
 * missing edge and no monitor silently stops being an edge monitor.
 */
export async function refuseWhileMonitored(db: Db, orgId: string, edges: readonly EdgeToDelete[], monitors = new MonitorRepository()): Promise<void> {
  const naming = await monitors.ofDependencies(db, orgId, edges.map((e) => e.id));
  if (naming.length === 0) return;
  const described = edges
    .filter((e) => naming.some((m) => m.dependency_id === e.id))
    .map((e) => {
      const own = naming.filter((m) => m.dependency_id === e.id);
      return `dependency ${e.id} (${e.description}) is checked by ${own.length} monitor(s): ${own.map((m) => `${m.id} ("${m.name}")`).join(', ')}`;
    });
  throw new PharosError(
    'conflict',
    `${described.join('; ')}. Clear their dependency_id first (PATCH /v1/monitors/{id} with {"dependency_id": null}; in Terraform remove dependency_id from the pharos_monitor), or delete those monitors.`.replace(/^d/, 'D'),
    undefined,
    naming.map((m) => ({ type: 'monitor', id: m.id, name: m.name, team_id: m.team_id, relation: `checks dependency ${m.dependency_id} (its dependency_id)` })),
  );
}
