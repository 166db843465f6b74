import type { Db } from '../db/database.ts';
import type { Logger } from '../observability/logger.ts';
import { SecretResealRepository, secretTables } from './secret-reseal.repository.ts';
import type { SecretBox } from './secret-box.ts';

export interface ResealOutcome {
  /** Rows encrypted now (clear before, or under an older key). */
  resealed: number;
  /** Rows no configured key opens: left as they are (their monitor or channel reports the error). */
  unreadable: number;
  /** False when another replica was running the pass: it does the work. */
  ran: boolean;
}

/**
 * Encrypts what is still stored in clear (rows written before encryption at rest) and moves rows
 * under an older key to the primary key. Idempotent (a row already under the primary key is not
 * selected) and safe with several replicas: each batch is a transaction holding an advisory lock,
 * so a replica that finds the lock taken leaves the pass to the one holding it.
 */
export async function resealSecrets(db: Db, box: SecretBox, logger: Logger, options: { batchSize?: number } = {}): Promise<ResealOutcome> {
  const repo = new SecretResealRepository();
  const batchSize = options.batchSize ?? 200;
  const primary = box.keyring.primary.kid;
  const outcome: ResealOutcome = { resealed: 0, unreadable: 0, ran: true };
  for (const table of secretTables) {
    let after = '';
    for (;;) {
      const step = await db.transaction().execute(async (trx) => {
        if (!(await repo.tryLock(trx))) return undefined;
        const rows = await repo.batch(trx, table, primary, after, batchSize);
        let resealed = 0;
        let unreadable = 0;
        for (const row of rows) {
          const slot = { table, id: row.id };
          let value: Record<string, unknown> | null;
          try {
            value = box.open(slot, row.secrets);
          } catch {
            unreadable += 1;
            continue;
          }
          await repo.write(trx, table, row.id, box.seal(slot, value));
          resealed += 1;
        }
        return { rows: rows.length, last: rows.at(-1)?.id, resealed, unreadable };
      });
      if (!step) return { ...outcome, ran: false };
      outcome.resealed += step.resealed;
      outcome.unreadable += step.unreadable;
      if (step.rows < batchSize || !step.last) break;
      after = step.last;
    }
  }
  if (outcome.resealed > 0 || outcome.unreadable > 0) logger.info({ resealed: outcome.resealed, unreadable: outcome.unreadable, primary_kid: primary }, 'secrets at rest: encrypted clear rows and rows under older keys with the primary key');
  return outcome;
}
