import { notFound } from '../../contract/errors.ts';
import type { RoutingTestInput, RoutingTestResult } from '../../contract/routing.schema.ts';
import { requireTeamAccess, type Principal } from '../../auth/principal.ts';
import type { Db } from '../../db/database.ts';
import type { SilenceRepository } from '../silences/silence.repository.ts';
import type { TeamRepository } from '../teams/team.repository.ts';
import { compileSilence, mutedBy } from './muting.ts';
import { groupByAll } from './routing.defaults.ts';
import { buildRoutingTrees, groupKeyOf, routeAlert } from './routing-tree.ts';
import type { RoutingRepository } from './routing.repository.ts';

const units: Array<[string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];

/** A duration in the contract's notation, largest units first: 5400000 → "1h30m", 0 → "0s". */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms));
  let text = '';
  for (const [unit, size] of units) {
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return text || '0s';
}

/**
 * POST /v1/routing-policies/test: routes a label set through the organization's trees as the
 * notification router does, and says which policies took it, which channels it would reach, its
 * notification group and whether it is muted at the given time.
 */
export class RoutingTestService {
  constructor(
    private readonly db: Db,
    private readonly routing: RoutingRepository,
    private readonly silences: SilenceRepository,
    private readonly teams: TeamRepository,
    private readonly clock: () => number = Date.now,
  ) {}

  async test(principal: Principal, input: RoutingTestInput): Promise<RoutingTestResult> {
    const orgId = principal.orgId;
    const labels: Record<string, string> = { ...input.labels };
    // Whoever may read a team's routing policies may test them; the organization tree is readable by all.
    if (input.team_id !== undefined) {
      const team = await this.teams.get(this.db, orgId, input.team_id);
      if (!team) throw notFound('Team');
      requireTeamAccess(principal, team.id, 'read', 'Team');
      labels.team = team.name;
    } else if (Object.hasOwn(labels, 'team')) {
      const team = await this.teams.getByName(this.db, orgId, labels.team!);
      if (team) requireTeamAccess(principal, team.id, 'read', 'Team');
    }
    const at = input.at !== undefined ? Date.parse(input.at) : this.clock();
    const policies = await this.routing.policiesOfOrg(this.db, orgId);
    const routes = routeAlert(buildRoutingTrees(policies), labels);
    const names = new Map(policies.map((p) => [p.id, p.name]));
    const channels = new Map((await this.routing.channels(this.db, orgId, [...new Set(routes.flatMap((r) => r.channelIds))])).map((c) => [c.id, c]));
    const silences = (await this.silences.unexpiredOfOrg(this.db, orgId, new Date(at))).map(compileSilence);
    const windows = await this.routing.mutingWindowsOfOrg(this.db, orgId);
    const windowNames = new Map(windows.map((w) => [w.id, w.name]));
    const results = routes.map((route) => {
      const group = groupKeyOf(route, labels);
      const muting = mutedBy(labels, at, { silences, maintenanceWindows: windows, muteTimeWindowIds: route.muteTimeWindowIds });
      return {
        policies: route.policyIds.map((id) => ({ id, name: names.get(id) ?? id })),
        channels: route.channelIds.flatMap((id) => channels.get(id) ?? []),
        group_key: group.key,
        group_labels: group.groupLabels,
        group_by: route.groupBy === 'all' ? [groupByAll] : route.groupBy,
        group_wait: formatDuration(route.groupWaitMs),
        group_interval: formatDuration(route.groupIntervalMs),
        repeat_interval: formatDuration(route.repeatIntervalMs),
        muted: muting.muted,
        muted_by: muting.by.map((b) => ({ ...b, ...(windowNames.has(b.id) ? { name: windowNames.get(b.id)! } : {}) })),
      };
    });
    return {
      labels,
      at: new Date(at).toISOString(),
      tree: routes[0]?.scope ?? null,
      routes: results,
      muted: results.length > 0 && results.every((r) => r.muted),
    };
  }
}
