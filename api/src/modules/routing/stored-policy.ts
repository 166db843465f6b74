import { parseDuration } from '../../shared/duration.ts';
import type { Matcher } from './matchers.ts';

/** Where a policy routes: its team's tree, or the organization's fallback tree. */
export type PolicyScope = 'team' | 'organization';

/** A routing policy row as the engine needs it (RoutingRepository.policiesOfOrg loads them). */
export interface StoredPolicy {
  id: string;
  name: string;
  /** Owning team; null for organization policies. */
  team_id: string | null;
  /** The owning team's name (alerts carry it as their `team` label); null for organization policies. */
  team_name: string | null;
  /** The stored document (RoutingPolicyInput). */
  spec: Record<string, unknown>;
}

/** A stored policy document read with its defaults; unset durations and empty lists mean "inherit". */
export interface PolicySpec {
  scope: PolicyScope;
  parentId: string | undefined;
  priority: number;
  matchers: Matcher[];
  channelIds: string[] | undefined;
  groupBy: string[] | undefined;
  groupWaitMs: number | undefined;
  groupIntervalMs: number | undefined;
  repeatIntervalMs: number | undefined;
  continue: boolean;
  muteTimeWindowIds: string[] | undefined;
  /** Unset inherits the parent's (default false). */
  impactNotices: boolean | undefined;
}

const list = (value: unknown): string[] | undefined => (Array.isArray(value) && value.length > 0 ? value.map(String) : undefined);
const duration = (value: unknown): number | undefined => (typeof value === 'string' ? parseDuration(value) : undefined);

/** The one typed reading of a stored routing policy document. */
export function readPolicySpec(spec: Record<string, unknown>): PolicySpec {
  return {
    scope: spec.scope === 'organization' ? 'organization' : 'team',
    parentId: typeof spec.parent_id === 'string' ? spec.parent_id : undefined,
    priority: typeof spec.priority === 'number' ? spec.priority : 100,
    matchers: Array.isArray(spec.matchers) ? (spec.matchers as Matcher[]) : [],
    channelIds: list(spec.channel_ids),
    groupBy: list(spec.group_by),
    groupWaitMs: duration(spec.group_wait),
    groupIntervalMs: duration(spec.group_interval),
    repeatIntervalMs: duration(spec.repeat_interval),
    continue: spec.continue === true,
    muteTimeWindowIds: list(spec.mute_time_window_ids),
    impactNotices: typeof spec.impact_notices === 'boolean' ? spec.impact_notices : undefined,
  };
}
