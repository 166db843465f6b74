import type { FieldError } from './errors.ts';
import { matcherErrors, scopeErrors } from './matcher.rules.ts';

/** Cross-field errors of a silence document (the API checks them on write, the provider at plan). */
export function silenceErrors(doc: { scope?: string; team_id?: string; matchers?: ReadonlyArray<{ operator: string; value: string }>; starts_at?: string; ends_at?: string }): FieldError[] {
  const errors: FieldError[] = [...scopeErrors(doc, 'silence'), ...matcherErrors(doc.matchers)];
  if (doc.starts_at !== undefined && doc.ends_at !== undefined && !(Date.parse(doc.ends_at) > Date.parse(doc.starts_at))) {
    errors.push({ pointer: '/ends_at', message: `ends_at (${doc.ends_at}) must be after starts_at (${doc.starts_at}).` });
  }
  return errors;
}
