import type { PharosClient } from '../client/pharos.client.ts';
import type { JsonObject } from '../engine/json-view.mapper.ts';

/** True for an API id (`team_01J…`): import and look-ups take anything else as a natural key. */
export function isApiId(value: string): boolean {
  return /^[a-z]+_[0-9A-HJKMNP-TV-Z]{26}$/.test(value);
}

interface Page {
  items?: JsonObject[];
  next_cursor?: string;
}

/** Every item of a paginated list (GET path?query&limit=200, following next_cursor). */
export async function listAll(client: PharosClient, path: string, query: Record<string, string>, signal?: AbortSignal): Promise<JsonObject[]> {
  const items: JsonObject[] = [];
  let cursor: string | undefined;
  do {
    const params = new URLSearchParams({ ...query, limit: '200', ...(cursor ? { cursor } : {}) });
    const page = await client.get<Page>(`${path}?${params}`, { operation: `Listing ${path}`, ...(signal ? { signal } : {}) });
    items.push(...(page.items ?? []));
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

/** The one item whose `field` equals `value`, or an error saying what was not found. */
export async function findBy(client: PharosClient, path: string, query: Record<string, string>, field: string, value: string, what: string, signal?: AbortSignal): Promise<JsonObject> {
  const matches = (await listAll(client, path, query, signal)).filter((item) => item[field] === value);
  if (matches.length === 0) throw new Error(`No ${what} with ${field} "${value}" exists, or this token may not see it.`);
  if (matches.length > 1) throw new Error(`${matches.length} objects match ${what} ${field} "${value}"; use the id instead.`);
  return matches[0]!;
}

/** A service id from an id or a service name. */
export async function serviceIdOf(client: PharosClient, idOrName: string, signal?: AbortSignal): Promise<string> {
  if (isApiId(idOrName)) return idOrName;
  return String((await findBy(client, '/v1/services', {}, 'name', idOrName, 'service', signal))['id']);
}

/** A team id from an id or a team name (the API filters teams by exact name). */
export async function teamIdOf(client: PharosClient, idOrName: string, signal?: AbortSignal): Promise<string> {
  if (isApiId(idOrName)) return idOrName;
  return String((await findBy(client, '/v1/teams', { name: idOrName }, 'name', idOrName, 'team', signal))['id']);
}
