import { expandWindow, type MaintenanceWindowDoc } from '../sla/maintenance.expand.ts';
import { compileMatchers, type CompiledMatcher, type Matcher } from './matchers.ts';

// Pure: whether a notification about an alert is muted at a time, and by what (docs/alerting.md,
// "Silences and maintenance"). Muting holds back notifications only: alerts are evaluated and change
// state as always, and a resolution is still sent for every alert that was notified as firing.

/** A silence as stored (the /v1/silences document with its owner). */
export interface SilenceDoc {
  id: string;
  /** Owning team's name; null for an organization silence, which may match any team's alerts. */
  team_name: string | null;
  matchers: readonly Matcher[];
  starts_at: string;
  ends_at: string;
}

/** A silence with its matchers compiled once, for muting many alerts. */
export interface CompiledSilence {
  id: string;
  team: string | null;
  startsAt: number;
  endsAt: number;
  matches: CompiledMatcher;
}

/** A maintenance window with the names of what it covers (alerts carry names, windows store ids). */
export interface MutingWindow extends Pick<MaintenanceWindowDoc, 'starts_at' | 'ends_at' | 'recurrence'> {
  id: string;
  name: string;
  /** The window's team name. */
  team: string;
  mute_notifications: boolean;
  /** True when the window names no service and no monitor: it covers every alert of its team. */
  whole_team: boolean;
  /** Names of the covered services. */
  services: readonly string[];
  /** Covered monitors by service name and monitor name (monitor names are unique per service). */
  monitors: ReadonlyArray<{ service: string; monitor: string }>;
}

export type MutedByKind = 'silence' | 'maintenance_window' | 'mute_time_window';

export interface Muting {
  muted: boolean;
  by: Array<{ kind: MutedByKind; id: string }>;
}

export type SilenceState = 'pending' | 'active' | 'expired';

/** Compiles a stored silence. */
export function compileSilence(s: SilenceDoc): CompiledSilence {
  return { id: s.id, team: s.team_name, startsAt: Date.parse(s.starts_at), endsAt: Date.parse(s.ends_at), matches: compileMatchers(s.matchers) };
}

/** A silence is pending before starts_at, active from starts_at until ends_at, expired from ends_at. */
export function silenceState(s: { starts_at: string; ends_at: string }, at: number): SilenceState {
  if (at < Date.parse(s.starts_at)) return 'pending';
  return at < Date.parse(s.ends_at) ? 'active' : 'expired';
}

/** True while one of the window's occurrences spans `at`. */
export function windowActiveAt(w: Pick<MutingWindow, 'starts_at' | 'ends_at' | 'recurrence'>, at: number): boolean {
  return expandWindow(w, { start: at, end: at + 1 }).length > 0;
}

/**
 * Whether the window covers the alert: the named services and monitors, or, when it names none,
 * every alert of its team (as its SLA exclusion covers every service of the team).
 */
export function windowCovers(w: MutingWindow, labels: Readonly<Record<string, string>>): boolean {
  const service = Object.hasOwn(labels, 'service') ? labels.service : undefined;
  const monitor = Object.hasOwn(labels, 'monitor') ? labels.monitor : undefined;
  if (w.whole_team) return Object.hasOwn(labels, 'team') && labels.team === w.team;
  if (service !== undefined && w.services.includes(service)) return true;
  return monitor !== undefined && w.monitors.some((m) => m.monitor === monitor && m.service === service);
}

/**
 * The ids of the windows running at `at`. Expanding a recurring window costs a cron evaluation
 * (~0.2 ms); a caller muting many alerts at one time computes this once and passes it to mutedBy.
 */
export function activeWindowIds(windows: readonly MutingWindow[], at: number): Set<string> {
  return new Set(windows.filter((w) => windowActiveAt(w, at)).map((w) => w.id));
}

/**
 * What mutes a notification about an alert with these labels at `at`: active silences whose
 * matchers all match (a team silence only the alerts of its team), maintenance windows with
 * mute_notifications that are running and cover the alert, and the route's mute time windows
 * (maintenance windows used as time intervals: only their time counts, not what they cover).
 * `activeWindows`, when given, is activeWindowIds(maintenanceWindows, at).
 */
export function mutedBy(
  labels: Readonly<Record<string, string>>,
  at: number,
  input: { silences: readonly CompiledSilence[]; maintenanceWindows: readonly MutingWindow[]; muteTimeWindowIds: readonly string[]; activeWindows?: ReadonlySet<string> },
): Muting {
  const running = (w: MutingWindow) => (input.activeWindows ? input.activeWindows.has(w.id) : windowActiveAt(w, at));
  const by: Muting['by'] = [];
  const team = Object.hasOwn(labels, 'team') ? labels.team : undefined;
  for (const s of input.silences) {
    if (at < s.startsAt || at >= s.endsAt) continue;
    if (s.team !== null && s.team !== team) continue;
    if (s.matches(labels)) by.push({ kind: 'silence', id: s.id });
  }
  for (const w of input.maintenanceWindows) {
    if (w.mute_notifications && windowCovers(w, labels) && running(w)) by.push({ kind: 'maintenance_window', id: w.id });
  }
  const windows = new Map(input.maintenanceWindows.map((w) => [w.id, w]));
  for (const id of input.muteTimeWindowIds) {
    const w = windows.get(id);
    if (w && running(w)) by.push({ kind: 'mute_time_window', id });
  }
  return { muted: by.length > 0, by };
}
