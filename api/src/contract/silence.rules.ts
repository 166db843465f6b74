import type { FieldError } from './errors.ts';
import { compileSafeRegex } from './safe-regex.ts';

/** Cross-field errors of a silence document (the API checks them on write, the provider at plan). */
export function silenceErrors(doc: { scope?: string; team_id?: string; matchers?: ReadonlyArray<{ operator: string; value: string }>; starts_at?: string; ends_at?: string }): FieldError[] {
  const errors: FieldError[] = [];
  if ((doc.scope ?? 'team') === 'team' && doc.team_id === undefined) errors.push({ pointer: '/team_id', message: 'A team silence needs team_id; to mute alerts of every team set scope = "organization" (org admins only).' });
  if (doc.scope === 'organization' && doc.team_id !== undefined) errors.push({ pointer: '/team_id', message: 'An organization silence belongs to no team: remove team_id, or set scope = "team".' });
  (doc.matchers ?? []).forEach((m, i) => {
    if (m.operator !== '=~' && m.operator !== '!~') return;
    const compiled = compileSafeRegex(`^(?:${m.value})$`);
    if (!compiled.ok) errors.push({ pointer: `/matchers/${i}/value`, message: `Not a valid RE2 regular expression: ${compiled.error}.` });
  });
  if (doc.starts_at !== undefined && doc.ends_at !== undefined && !(Date.parse(doc.ends_at) > Date.parse(doc.starts_at))) {
    errors.push({ pointer: '/ends_at', message: `ends_at (${doc.ends_at}) must be after starts_at (${doc.starts_at}).` });
  }
  return errors;
}
