import { PharosError } from '../../contract/errors.ts';
import { requireTeamAccess, type Access, type Principal } from '../../auth/principal.ts';

// Most resources belong to a team. Organization routing policies and organization silences belong
// to the organization (team_id null): every member of the organization may read them, because they
// decide where any team's alerts go; only org admins may change them.

/** The owning team of a row; null when the organization owns it. */
export const ownerOf = (row: { team_id: string | null }): string | null => row.team_id ?? null;

/** requireTeamAccess for team-owned rows; for organization-owned rows, read for all and change for org admins. */
export function requireOwnerAccess(principal: Principal, teamId: string | null, access: Access, what: string): void {
  if (teamId !== null) return requireTeamAccess(principal, teamId, access, what);
  if (access === 'read' || principal.orgAdmin) return;
  throw new PharosError('forbidden', `Only an org admin can change organization-level ${what.toLowerCase()}s; ask one, or create a ${what.toLowerCase()} of your team (scope "team" with team_id).`);
}
