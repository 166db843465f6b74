// Postgres SQLSTATE codes, as both pg and PGlite report them on error.code.
const sqlState = (error: unknown): string | undefined => (error as { code?: unknown } | null)?.code as string | undefined;

/** A UNIQUE constraint was violated (23505). */
export const isUniqueViolation = (error: unknown) => sqlState(error) === '23505';

/** A FOREIGN KEY constraint was violated (23503). */
export const isForeignKeyViolation = (error: unknown) => sqlState(error) === '23503';

/**
 * The server rolled the transaction back to break a deadlock (40P01) or a serialization conflict
 * (40001): nothing of it was applied, and running it again is the documented remedy.
 */
export const isTransientConflict = (error: unknown) => sqlState(error) === '40P01' || sqlState(error) === '40001';

/** Runs `work` (a whole transaction) again, up to `attempts` times in all, when the server rolled it back for a transient conflict. */
export async function retryTransientConflicts<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isTransientConflict(error)) throw error;
      // A little jitter, so the two sides of a deadlock do not meet again at once.
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}

// Socket-level failures reaching or talking to the server (Node system error codes).
const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

// Server-side states that mean "the database is going away or not there yet", not "your query is wrong":
// 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up / shutting down),
// 57014 query canceled (our statement_timeout), 53300 too many connections; class 08 = connection exception,
// except 08P01 protocol violation: the server refused what this process sent (e.g. more than 65,535
// bind parameters), a bug to answer 500 and log, not an outage to retry.
const unavailableStates = new Set(['57P01', '57P02', '57P03', '57014', '53300']);

// pg and pg-pool report timeouts and dead sockets with plain Errors and these messages.
const unavailableMessages = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Query read timeout/,
  /not queryable/,
  /^Client was closed and is not queryable/,
];

/**
 * True when the error says the database cannot be reached or stopped answering (down, restarting,
 * frozen, network cut), as opposed to a failing statement. Such errors answer 503 and are retried.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const code = sqlState(error);
  if (typeof code === 'string' && (socketCodes.has(code) || unavailableStates.has(code) || (/^08[0-9A-Z]{3}$/.test(code) && code !== '08P01'))) return true;
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string' && unavailableMessages.some((pattern) => pattern.test(message))) return true;
  // Node reports a refused dual-stack connect as an AggregateError of one error per address.
  const inner = (error as { errors?: unknown }).errors;
  return Array.isArray(inner) && inner.length > 0 && inner.every(isDatabaseUnavailable);
}
