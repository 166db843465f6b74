import { DEMO_TAG, isDemoObject, isSubset, type Conflict } from './fleet.preflight.ts';
import type { PharosClient } from './pharos.client.ts';

// Who gets paged: per team, a webhook channel to the team's pager on the demo's control server
// (POST /pages/{team}, signed with the team's whsec_ secret), one catch-all routing policy of the
// team to it, and two alert rules over the team's own services and edges: a service of the team
// down (any of its monitors, business and edge monitors included), or a call path of the team's
// services blocked (an edge whose monitors, run from the caller's zone, fail). A fault climbs the
// dependency graph (a cut carrier path fails checkout-api's shipping options too), so many of these
// alerts fire at once: the incident correlator groups them, names the root cause and pages only its
// owner, holding back the dependents' pages. In the reference outage only the owning team is paged.

export const PAGER_CHANNEL = 'demo-pager';
export const PAGER_POLICY = 'demo-pager-all';
/** Marks the channel as the demo's (channels have no tags). */
export const PAGER_CHANNEL_DESCRIPTION = 'The team\'s pager in the Pharos demo (declared by npm run demo; POST /pages/{team} on its control server).';
/** Group timers of the demo's policy: a page seconds after the alert fires, and a group's later changes within half a minute (its last resolution goes at once). */
export const PAGER_TIMERS = { group_wait: '5s', group_interval: '30s', repeat_interval: '4h' } as const;

export interface PagerTargets {
  /** Base URL of the control server that serves POST /pages/{team}, e.g. http://127.0.0.1:8090. */
  controlUrl: string;
  /** The team's signing secret, "whsec_…". */
  secrets: Readonly<Record<string, string>>;
}

export interface PagerCounts {
  channels: { created: number; updated: number; unchanged: number };
  policies: { created: number; updated: number; unchanged: number };
  rules: { created: number; updated: number; unchanged: number };
  /** Teams whose channel was pointed elsewhere (a real Slack, PagerDuty …) and is left so. */
  kept: string[];
}

interface Named {
  id: string;
  name: string;
  team_id: string;
}
type Obj = Named & Record<string, unknown>;

/**
 * The demo's rules fire as soon as their condition holds (for_duration 0s). A fault is seen by
 * different monitors up to an interval apart (a caller's business check can fail before the broken
 * dependency's own check runs), but Pharos probes a failing service's edges and dependencies at
 * once and lets a young incident's root page settle for a few seconds (docs/incidents.md, "Who is
 * paged"), so the incident names the real root cause and holds the dependents' pages without the
 * rules waiting an interval.
 */
const PAGER_FOR = '0s';

/** The alert rules of one team: its services' state, and its call paths (edges). */
export function pagerRules(team: string, teamId: string): Array<Record<string, unknown>> {
  const common = { team_id: teamId, for_duration: PAGER_FOR, severity: 'critical', labels: { ...DEMO_TAG } };
  return [
    {
      ...common,
      name: `${team}-service-unhealthy`,
      expression: `down(services(team="${team}"))`,
      message: '{{labels.service}} is down.',
    },
    {
      ...common,
      name: `${team}-path-blocked`,
      expression: `down(edges(team="${team}"))`,
      message: '{{labels.service}} cannot reach {{labels.depends_on}} from its zone.',
    },
  ];
}

export function pagerChannel(team: string, teamId: string, targets: PagerTargets): Record<string, unknown> {
  const secret = targets.secrets[team];
  if (!secret) throw new Error(`No pager secret for team ${team}.`);
  return {
    name: PAGER_CHANNEL,
    team_id: teamId,
    type: 'webhook',
    description: PAGER_CHANNEL_DESCRIPTION,
    send_resolved: true,
    webhook: { url: `${targets.controlUrl}/pages/${encodeURIComponent(team)}`, signing_secret: secret },
  };
}

export function pagerPolicy(teamId: string, channelId: string): Record<string, unknown> {
  return { name: PAGER_POLICY, scope: 'team', team_id: teamId, matchers: [], channel_ids: [channelId], group_by: ['alertname', 'service'], ...PAGER_TIMERS };
}

/** A demo channel still pointing at a demo pager (any port): the declaration keeps it current; one pointed elsewhere is left alone. */
const pointsAtDemoPager = (c: Obj, team: string) => c.type === 'webhook' && new RegExp(`^http://127\\.0\\.0\\.1:\\d+/pages/${encodeURIComponent(team)}$`).test(String((c.webhook as { url?: unknown } | undefined)?.url ?? ''));

export interface PagerExisting {
  channels: Map<string, Obj>;
  policies: Map<string, Obj>;
  rules: Map<string, Obj>;
}

const key = (teamId: string, name: string) => `${teamId}\u0000${name}`;

/** Reads the channels, routing policies and alert rules that exist, by (team, name). */
export async function readPagerObjects(client: PharosClient): Promise<PagerExisting> {
  const byKey = (items: Obj[]) => new Map(items.filter((o) => o.team_id).map((o) => [key(o.team_id, o.name), o]));
  const [channels, policies, rules] = await Promise.all([client.list<Obj>('/v1/channels'), client.list<Obj>('/v1/routing-policies'), client.list<Obj>('/v1/alert-rules')]);
  return { channels: byKey(channels), policies: byKey(policies), rules: byKey(rules) };
}

/** Channels and alert rules of the demo's names that the demo did not declare (routing policies have no marker: the demo's name is taken as its). */
export function pagerConflicts(teams: ReadonlyMap<string, string>, existing: PagerExisting): Conflict[] {
  const out: Conflict[] = [];
  for (const [team, teamId] of teams) {
    const channel = existing.channels.get(key(teamId, PAGER_CHANNEL));
    if (channel && channel.description !== PAGER_CHANNEL_DESCRIPTION) out.push({ kind: 'channel', name: PAGER_CHANNEL, id: channel.id, team });
    for (const rule of pagerRules(team, teamId)) {
      const found = existing.rules.get(key(teamId, String(rule.name)));
      if (found && !isDemoObject({ tags: found.labels }) && !isSubset(rule, found)) out.push({ kind: 'alert rule', name: String(rule.name), id: found.id, team });
    }
  }
  return out;
}

/** Declares each team's pager channel, routing policy and rules; safe to run again. */
export async function declarePagers(client: PharosClient, teams: ReadonlyMap<string, string>, targets: PagerTargets, existing: PagerExisting): Promise<PagerCounts> {
  const counts: PagerCounts = { channels: zero(), policies: zero(), rules: zero(), kept: [] };
  for (const [team, teamId] of teams) {
    // The channel: its secret is write-only, so a channel still on a demo pager is replaced with this run's secret and URL.
    const wanted = pagerChannel(team, teamId, targets);
    let channel = existing.channels.get(key(teamId, PAGER_CHANNEL));
    if (!channel) {
      channel = await client.create<Obj>('/v1/channels', wanted);
      counts.channels.created++;
    } else if (pointsAtDemoPager(channel, team)) {
      await client.replace(`/v1/channels/${channel.id}`, wanted);
      counts.channels.updated++;
    } else {
      counts.kept.push(team);
      counts.channels.unchanged++;
    }

    const policy = pagerPolicy(teamId, channel.id);
    const foundPolicy = existing.policies.get(key(teamId, PAGER_POLICY));
    if (!foundPolicy) {
      await client.create('/v1/routing-policies', policy);
      counts.policies.created++;
    } else if (isSubset(policy, foundPolicy)) counts.policies.unchanged++;
    else {
      await client.replace(`/v1/routing-policies/${foundPolicy.id}`, policy);
      counts.policies.updated++;
    }

    for (const rule of pagerRules(team, teamId)) {
      const found = existing.rules.get(key(teamId, String(rule.name)));
      if (!found) {
        await client.create('/v1/alert-rules', rule);
        counts.rules.created++;
      } else if (isSubset(rule, found)) counts.rules.unchanged++;
      else {
        await client.replace(`/v1/alert-rules/${found.id}`, rule);
        counts.rules.updated++;
      }
    }
  }
  return counts;
}

const zero = () => ({ created: 0, updated: 0, unchanged: 0 });
