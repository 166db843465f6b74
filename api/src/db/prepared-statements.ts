import { createHash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';

/**
 * The first words of a statement PostgreSQL should keep prepared per connection (see `prepared`).
 * PGlite and any other driver read it as a comment.
 */
const MARK = '/* prepared */ ';

/**
 * Marks a hot statement whose text never changes (its values travel as parameters, e.g. one JSON
 * document rather than a list of placeholders): on PostgreSQL each pooled connection parses it
 * once, as a named statement, and binds it after; PostgreSQL then plans it once too (its generic
 * plan) instead of at every execution. Put it first: sql`${prepared}SELECT …`. Name the columns it
 * returns (no `*` at the top level): a column added by a migration while the process runs would
 * otherwise fail the prepared statement ("cached plan must not change result type") on every
 * connection that holds it; a statement without RETURNING, or one returning named columns, is
 * re-planned by PostgreSQL and keeps working.
 */
export const prepared: RawBuilder<unknown> = sql.raw(MARK);

/**
 * The statement name for a marked statement's text (derived from the text, so two texts can never
 * share a name on a connection), or undefined for an unmarked one.
 */
export function preparedName(text: string): string | undefined {
  if (!text.startsWith(MARK)) return undefined;
  return `pharos_${createHash('sha1').update(text).digest('base64url').slice(0, 24)}`;
}
