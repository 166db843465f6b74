import type { Principal } from '../../auth/principal.ts';
import type { LiveSubject } from './live-event.rules.ts';

/** What one open stream may see: everything of the organization (org admins), or what its teams own. */
export interface LiveScope {
  orgAdmin: boolean;
  teams: ReadonlySet<string>;
}

/** The teams that own a subject; undefined when the subject is not known (deleted). */
export type OwnersOf = (subject: LiveSubject) => readonly string[] | undefined;

export const scopeOf = (p: Principal): LiveScope => ({ orgAdmin: p.orgAdmin, teams: new Set(p.teams.keys()) });

/**
 * Whether a stream may be told about a change, by the rule the API reads with: org admins see every
 * subject of their organization; anyone else the monitors, services and edges their teams own, the
 * alerts of their teams and the incidents that involve one of their teams. A subject whose owner is
 * not known is shown to org admins only.
 */
export function maySee(scope: LiveScope, subject: LiveSubject, owners: OwnersOf): boolean {
  if (scope.orgAdmin) return true;
  if (subject.kind === 'team') return scope.teams.has(subject.id);
  return (owners(subject) ?? []).some((team) => scope.teams.has(team));
}
