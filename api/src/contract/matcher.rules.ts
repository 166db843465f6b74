import type { FieldError } from './errors.ts';
import { compileSafeRegex } from './safe-regex.ts';

/** Field errors of label matchers whose regular expressions (=~, !~) do not compile as RE2, anchored as routing and silences use them. */
export function matcherErrors(matchers: ReadonlyArray<{ operator: string; value: string }> | undefined, pointer = '/matchers'): FieldError[] {
  const errors: FieldError[] = [];
  (matchers ?? []).forEach((m, i) => {
    if (m.operator !== '=~' && m.operator !== '!~') return;
    const compiled = compileSafeRegex(`^(?:${m.value})$`);
    if (!compiled.ok) errors.push({ pointer: `${pointer}/${i}/value`, message: `Not a valid RE2 regular expression: ${compiled.error}.` });
  });
  return errors;
}

/** Errors of a document's scope and team_id: a team document needs team_id, an organization one has none. */
export function scopeErrors(doc: { scope?: string; team_id?: string }, what: string): FieldError[] {
  if ((doc.scope ?? 'team') === 'team' && doc.team_id === undefined) {
    return [{ pointer: '/team_id', message: `A team ${what} needs team_id; for one that applies to every team set scope = "organization" (org admins only).` }];
  }
  if (doc.scope === 'organization' && doc.team_id !== undefined) return [{ pointer: '/team_id', message: `An organization ${what} belongs to no team: remove team_id, or set scope = "team".` }];
  return [];
}
