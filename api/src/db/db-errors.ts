// Postgres SQLSTATE codes, as both pg and PGlite report them on error.code.
const sqlState = (error: unknown): string | undefined => (error as { code?: unknown } | null)?.code as string | undefined;

/** A UNIQUE constraint was violated (23505). */
export const isUniqueViolation = (error: unknown) => sqlState(error) === '23505';

/** A FOREIGN KEY constraint was violated (23503). */
export const isForeignKeyViolation = (error: unknown) => sqlState(error) === '23503';
