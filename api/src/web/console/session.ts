import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Whoami } from '../../contract/whoami.schema.ts';
import type { ApiClient } from './api.client.ts';

// The token is kept in sessionStorage: it lives as long as the browser tab, is never written to a
// cookie (so no other site can make the browser send it) and never appears in a URL.
const key = 'pharos.token';

export const storedToken = (): string | undefined => sessionStorage.getItem(key) ?? undefined;
export const storeToken = (token: string): void => sessionStorage.setItem(key, token);
export const forgetToken = (): void => sessionStorage.removeItem(key);

/** The signed-in principal and the client that acts as it. */
export interface Session {
  me: Whoami;
  api: ApiClient;
  signOut(): void;
}

export const SessionContext = createContext<Session | undefined>(undefined);

/** The session of a view (views render only when signed in). */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}

/** What the principal may do to a team's resources: read, write (team editor) or admin. */
export function can(me: Whoami, teamId: string | null | undefined, access: 'write' | 'admin'): boolean {
  if (me.org_admin) return true;
  const role = me.teams.find((t) => t.id === teamId)?.role;
  if (!role) return false;
  return access === 'write' ? role === 'team_editor' || role === 'team_admin' : role === 'team_admin';
}
