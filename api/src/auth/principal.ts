import { PharosError, notFound } from '../contract/errors.ts';

export const teamRoles = ['team_admin', 'team_editor', 'viewer'] as const;
export type TeamRole = (typeof teamRoles)[number];
export type Role = 'org_admin' | TeamRole;

/** Who is calling: resolved once per request by the authenticator, then passed to services. */
export interface Principal {
  kind: 'api_token' | 'user';
  id: string;
  name: string;
  orgId: string;
  orgAdmin: boolean;
  /** Team id → the caller's role in that team. */
  teams: ReadonlyMap<string, TeamRole>;
  /** When the credential stops working (token expiry, JWT exp); null or absent when it does not. */
  expiresAt?: Date | null;
}

/** A runner authenticated by its runner token: it may only use the runner protocol. */
export interface RunnerPrincipal {
  kind: 'runner';
  id: string;
  name: string;
  orgId: string;
  region: string;
  labels: Record<string, string>;
}

export type Access = 'read' | 'write' | 'admin';

const rank: Record<TeamRole, number> = { viewer: 1, team_editor: 2, team_admin: 3 };
const needed: Record<Access, number> = { read: 1, write: 2, admin: 3 };

/**
 * Answers "may this caller do this to a resource of this team". A team the caller has no role in
 * answers not_found (existence must not leak); a role too low on an own team answers forbidden.
 */
export function requireTeamAccess(principal: Principal, teamId: string, access: Access, what: string): void {
  if (principal.orgAdmin) return;
  const role = principal.teams.get(teamId);
  if (!role) throw notFound(what);
  if (rank[role] < needed[access]) {
    throw new PharosError('forbidden', `Your role "${role}" cannot ${access === 'read' ? 'read' : 'change'} this ${what.toLowerCase()}; ask a team admin for the "${access === 'admin' ? 'team_admin' : 'team_editor'}" role.`);
  }
}

/** Org-wide operations (teams, runner tokens, audit log) need the org admin role. */
export function requireOrgAdmin(principal: Principal, action: string): void {
  if (!principal.orgAdmin) throw new PharosError('forbidden', `Only an org admin can ${action}.`);
}

/** Team ids whose resources the caller may list; undefined means every team of the organization. */
export function visibleTeamIds(principal: Principal): string[] | undefined {
  return principal.orgAdmin ? undefined : [...principal.teams.keys()];
}

/** The highest team role the caller holds anywhere (for routes that need "some" role). */
export function roleRank(role: TeamRole): number {
  return rank[role];
}
