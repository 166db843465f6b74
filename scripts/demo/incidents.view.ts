import type { PharosClient } from './pharos.client.ts';

// `npm run demo -- incidents`: the open incidents and the most recent resolved ones, a few lines
// each, read from the Pharos API (GET /v1/incidents, GET /v1/incidents/{id}, GET /v1/teams).
// formatIncidents is pure; readIncidents does the reading, bounded in count.

/** The fields of GET /v1/incidents/{id} the view shows (docs/incidents.md, "One incident"). */
export interface IncidentRecord {
  id: string;
  number: number;
  title: string;
  state: string;
  team_id: string | null;
  root_cause: { kind?: string; name?: string; reason?: string } | null;
  impacted: Array<{ kind?: string; name?: string; state?: string }>;
  alerts: Array<{ state: string; notification: string; rule_name: string }>;
  opened_at: string;
  resolved_at: string | null;
}

/** The resolved incidents shown after the open ones. */
export const RECENT_RESOLVED = 5;
/** Open incidents read at most (the demo fleet has 31 services; more would not be readable anyway). */
export const MAX_OPEN = 20;

const time = (iso: string | null) => (iso ? `${iso.slice(11, 19)}Z` : null);

/** The lines of one incident. */
export function formatIncident(i: IncidentRecord, teamNames: ReadonlyMap<string, string>): string {
  const owner = i.team_id ? (teamNames.get(i.team_id) ?? i.team_id) : 'no team yet';
  const root = i.root_cause ? `${i.root_cause.kind ?? 'node'} ${i.root_cause.name ?? '?'}${i.root_cause.reason ? ` (${i.root_cause.reason})` : ''}` : 'not named yet';
  const impacted = i.impacted.map((n) => n.name ?? '?');
  const sent = i.alerts.filter((a) => a.notification === 'sent' || a.notification === 'released').length;
  const held = i.alerts.filter((a) => a.notification === 'held').length;
  const firing = i.alerts.filter((a) => a.state === 'firing').length;
  return [
    `#${i.number}  ${i.state.toUpperCase()}  ${i.title}`,
    `    owner ${owner}; root cause: ${root}`,
    `    impacted: ${impacted.length ? impacted.join(', ') : 'nothing else'}`,
    `    alerts: ${i.alerts.length} (${firing} firing); pages sent ${sent}, held ${held}`,
    `    opened ${time(i.opened_at)}${i.resolved_at ? `, resolved ${time(i.resolved_at)}` : ', still open'}`,
  ].join('\n');
}

/** Every incident given, open ones first, or a sentence when there are none. */
export function formatIncidents(incidents: readonly IncidentRecord[], teamNames: ReadonlyMap<string, string>): string {
  if (incidents.length === 0) return 'No incidents yet: nothing has failed since the organization was created (try `npm run demo -- cut fulfillment-api shipping-integration`).';
  const open = incidents.filter((i) => i.state !== 'resolved');
  const resolved = incidents.filter((i) => i.state === 'resolved');
  const parts: string[] = [];
  parts.push(open.length ? `Open incidents (${open.length}):\n${open.map((i) => formatIncident(i, teamNames)).join('\n')}` : 'No open incidents.');
  if (resolved.length) parts.push(`Recently resolved (${resolved.length}):\n${resolved.map((i) => formatIncident(i, teamNames)).join('\n')}`);
  return parts.join('\n\n');
}

/** The open incidents (up to MAX_OPEN) and the RECENT_RESOLVED last resolved ones, with their details, and the team names. */
export async function readIncidents(client: PharosClient): Promise<{ incidents: IncidentRecord[]; teamNames: Map<string, string> }> {
  const [open, resolved, teams] = await Promise.all([
    client.get<{ items: Array<{ id: string }> }>(`/v1/incidents?state=open&limit=${MAX_OPEN}`),
    client.get<{ items: Array<{ id: string }> }>(`/v1/incidents?state=resolved&limit=${RECENT_RESOLVED}`),
    client.list<{ id: string; name: string }>('/v1/teams'),
  ]);
  const incidents = await Promise.all([...open.items, ...resolved.items].map((i) => client.get<IncidentRecord>(`/v1/incidents/${encodeURIComponent(i.id)}`)));
  return { incidents, teamNames: new Map(teams.map((t) => [t.id, t.name])) };
}
