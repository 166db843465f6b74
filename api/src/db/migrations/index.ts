import type { Migration } from 'kysely';
import * as initial from './2026-11-22T0000-initial.ts';

/** Every migration, by sortable name. Add new files here; never edit an applied one. */
export const migrations: Record<string, Migration> = {
  '2026-11-22T0000-initial': initial,
};
