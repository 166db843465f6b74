import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/**
 * Frees every slot of a monitor that is being deleted, inside the delete's transaction: the owning
 * runners get a "remove" change (their long polls see it within the recheck interval) and the
 * ownership history is closed. Without this the slot rows would vanish with the monitor and the
 * runners would never hear of it.
 */
export async function releaseMonitorSlots(trx: Db, monitorId: string): Promise<void> {
  const slots = await trx.selectFrom('slot_assignments').select(['runner_id', 'region']).where('monitor_id', '=', monitorId).execute();
  for (const slot of slots) {
    const { revision } = await trx.updateTable('runners').set({ revision: sql`revision + 1` }).where('id', '=', slot.runner_id).returning('revision').executeTakeFirstOrThrow();
    await trx.insertInto('runner_changes').values({ runner_id: slot.runner_id, revision: Number(revision), monitor_id: monitorId, change: 'remove' }).execute();
  }
  await trx.updateTable('assignment_history').set({ to_at: sql`now()` }).where('monitor_id', '=', monitorId).where('to_at', 'is', null).execute();
  await trx.deleteFrom('slot_assignments').where('monitor_id', '=', monitorId).execute();
}
