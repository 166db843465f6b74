import { PharosError } from '../../contract/errors.ts';
import type { Db } from '../../db/database.ts';
import { isForeignKeyViolation, isUniqueViolation } from '../../db/db-errors.ts';

export interface TransactionOptions {
  /** Names the holder of a taken name after a unique violation (run once the transaction has rolled back). */
  nameTaken?: () => Promise<PharosError | undefined>;
}

/** Runs a write in a transaction and turns constraint violations into conflicts a user can act on. */
export async function inTransaction<T>(db: Db, label: string, work: (trx: Db) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  try {
    return await db.transaction().execute(work);
  } catch (error) {
    if (isUniqueViolation(error)) {
      const named = await options.nameTaken?.().catch(() => undefined);
      throw named ?? new PharosError('conflict', `This ${label.toLowerCase()} conflicts with an existing one: a name or key that must be unique is taken. Choose another name, or update the existing ${label.toLowerCase()}.`);
    }
    if (isForeignKeyViolation(error)) {
      throw new PharosError('conflict', `The ${label.toLowerCase()} is still referenced by other resources, or references one that no longer exists.`);
    }
    throw error;
  }
}
