import { PharosError } from '../contract/errors.ts';

// Cursors are opaque to clients: the id of the last item of the page, base64url-encoded. Ids are
// unique and time-sortable, so "id > cursor ORDER BY id" gives a stable order even under inserts.

/** Encodes the key to continue after. */
export function encodeCursor(lastId: string): string {
  return Buffer.from(`v1:${lastId}`).toString('base64url');
}

/** Decodes a cursor from a query string; a foreign or damaged cursor is a bad request. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('v1:') || text.length < 5) {
    throw new PharosError('bad_request', 'The cursor is not valid; pass the next_cursor value of a previous page unchanged.');
  }
  return text.slice(3);
}

/** Builds a page from rows fetched with limit + 1. */
export function toPage<R extends { id: string }, T>(rows: R[], limit: number, map: (row: R) => T): { items: T[]; next_cursor?: string } {
  const more = rows.length > limit;
  const items = (more ? rows.slice(0, limit) : rows).map(map);
  const last = more ? rows[limit - 1] : undefined;
  return last ? { items, next_cursor: encodeCursor(last.id) } : { items };
}
