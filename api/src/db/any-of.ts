import { sql, type RawBuilder } from 'kysely';

/**
 * `where(column, '=', anyOf(ids))`: a list of ids as one array parameter. An `in` list binds one
 * parameter per id, PostgreSQL takes at most 65,535 per statement (a takeover of 100,000 monitors'
 * slots has more), and parsing and planning thousands of them costs more than the query itself.
 */
export const anyOf = (ids: Iterable<string>): RawBuilder<string> => sql<string>`any(${[...ids]}::text[])`;
