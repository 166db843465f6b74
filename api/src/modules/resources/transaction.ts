import { PharosError } from '../../contract/errors.ts';
import type { Db } from '../../db/database.ts';
import { isForeignKeyViolation, isUniqueViolation } from '../../db/db-errors.ts';

/** Runs a write in a transaction and turns constraint violations into conflicts a user can act on. */
export async function inTransaction<T>(db: Db, label: string, work: (trx: Db) => Promise<T>): Promise<T> {
  try {
    return await db.transaction().execute(work);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new PharosError('conflict', `A ${label.toLowerCase()} with this name already exists in its scope; choose another name or update the existing one.`);
    }
    if (isForeignKeyViolation(error)) {
      throw new PharosError('conflict', `The ${label.toLowerCase()} is still referenced by other resources, or references one that no longer exists.`);
    }
    throw error;
  }
}
