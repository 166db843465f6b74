import { PharosApiError } from './pharos.client.ts';

// Before the demo creates anything it reads what already exists and finds every object that has a
// name the demo needs but was not declared by it. With any such object it stops before the first
// write, so a refused declaration never leaves half a fleet behind.

/** Tag every object the demo declares carries. */
export const DEMO_TAG = { source: 'pharos-demo' } as const;

interface Existing {
  id: string;
  name: string;
  team_id?: string;
  tags?: Record<string, string>;
}

/** An existing object in the way of the declaration. */
export interface Conflict {
  kind: 'service' | 'monitor' | 'channel' | 'alert rule';
  /** "carrier-api", or "carrier-api/carrier-api-health" for a monitor. */
  name: string;
  id: string;
  team: string;
}

export const isDemoObject = (o: { tags?: unknown }) => (o.tags as Record<string, string> | undefined)?.source === DEMO_TAG.source;

/** True when every field of `wanted` (recursively) equals the one in `actual`; fields the API adds (defaults, ids) are ignored. */
export function isSubset(wanted: unknown, actual: unknown): boolean {
  if (Array.isArray(wanted)) return Array.isArray(actual) && actual.length === wanted.length && wanted.every((w, i) => isSubset(w, actual[i]));
  if (wanted !== null && typeof wanted === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.entries(wanted).every(([k, v]) => isSubset(v, (actual as Record<string, unknown>)[k]));
  }
  return wanted === actual;
}

/**
 * An existing object blocks the declaration when it is not the demo's (no source=pharos-demo tag)
 * and differs from what the demo would declare; identical ones are simply used.
 */
export function blocks(wanted: Record<string, unknown>, found: Existing | undefined): found is Existing {
  return found !== undefined && !isDemoObject(found) && !isSubset(wanted, found);
}

/** The refusal: every conflicting object with its id and team, and what to do about each. */
export class DeclareConflictError extends PharosApiError {
  constructor(readonly conflicts: readonly Conflict[]) {
    const lines = conflicts.map((c) => `  - ${c.kind} "${c.name}" (${c.id}, team "${c.team}")`);
    super(
      [
        `${conflicts.length} existing object(s) have names the demo needs but were not declared by it (they lack the tag source=${DEMO_TAG.source}); nothing was created:`,
        ...lines,
        'Service names are unique in the organization, monitor names within their service, channel and alert rule names within their team. Either rename or delete these objects',
        '(delete a service\'s monitors first: DELETE /v1/monitors/{id}, then DELETE /v1/services/{id}?cascade=true, which also deletes its dependency edges), or add the tag',
        `source=${DEMO_TAG.source} (an alert rule: the label) to let the demo take them over, then run \`npm run demo -- declare-only\`. Or declare the demo in another organization.`,
      ].join('\n'),
      409,
      'conflict',
    );
  }
}
