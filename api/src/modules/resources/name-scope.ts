import { PharosError } from '../../contract/errors.ts';
import type { SpecTableName } from '../../db/tables.ts';

// Where a name must be unique, per table (the unique indexes of the initial migrations), and the
// conflict that names the holder of a taken name so a user knows what to rename.

export type NameScope = 'organization' | 'team' | 'service';

/** The scope of each spec table's unique name; a table missing here is a compile error. */
export const nameScopes: Record<SpecTableName, NameScope> = {
  services: 'organization',
  monitors: 'service',
  alert_rules: 'team',
  routing_policies: 'team',
  channels: 'team',
  maintenance_windows: 'team',
  slos: 'team',
  status_pages: 'team',
};

/** What "unique" means for a scope, in words, e.g. for a list filter's description. */
export const scopeWords: Record<NameScope, string> = {
  organization: 'unique within the organization, across all teams',
  team: 'unique within a team; other teams may use the same name',
  service: 'unique within their service; other services may use the same name',
};

/** The existing object that holds a name. */
export interface NameHolder {
  id: string;
  name: string;
  team_id: string;
  team_name: string;
  service_id?: string | null;
  service_name?: string | null;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const article = (s: string) => (/^[aeiou]/.test(s) ? 'an' : 'a');

/** The 409 of a taken name: who holds it, what the scope is, and what to do. */
export function nameTaken(label: string, type: string, scope: NameScope, holder: NameHolder): PharosError {
  const what = label.toLowerCase();
  const where =
    scope === 'service'
      ? `Service "${holder.service_name}" (${holder.service_id}) already has ${article(what)} ${what} named "${holder.name}": ${holder.id}, of team "${holder.team_name}" (${holder.team_id}).`
      : scope === 'team'
        ? `Team "${holder.team_name}" (${holder.team_id}) already has ${article(what)} ${what} named "${holder.name}": ${holder.id}.`
        : `${capital(article(what))} ${what} named "${holder.name}" already exists: ${holder.id}, owned by team "${holder.team_name}" (${holder.team_id}).`;
  const todo =
    scope === 'organization'
      ? `rename this one (e.g. prefix it with its team's name), or manage the existing ${what} instead (in Terraform or CDKTF, import ${holder.id}).`
      : `rename this one, or update the existing ${what} (in Terraform or CDKTF, import ${holder.id}).`;
  return new PharosError('conflict', `${where} ${capital(what)} names are ${scopeWords[scope]}: ${todo}`, undefined, [
    { type, id: holder.id, name: holder.name, team_id: holder.team_id, team_name: holder.team_name, relation: 'has the same name' },
  ]);
}

/** The 409 of a taken team name. */
export function teamNameTaken(holder: { id: string; name: string }): PharosError {
  return new PharosError(
    'conflict',
    `A team named "${holder.name}" already exists: ${holder.id}. Team names are unique within the organization: choose another name, or use the existing team (in Terraform or CDKTF, import ${holder.id}).`,
    undefined,
    [{ type: 'team', id: holder.id, name: holder.name, team_id: holder.id, team_name: holder.name, relation: 'has the same name' }],
  );
}
