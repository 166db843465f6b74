import type { ChangeEventKind } from '../../contract/change-event.schema.ts';
import { weekdays } from '../../contract/outage-analysis.schema.ts';
import { groupBy } from '../../shared/group-by.ts';

// Pure: outages of services, what happened around them, and the plain statements their figures
// support. No I/O; times are epoch milliseconds, calendar figures are UTC.

/** A period in which a service was down; end null while it lasts. */
export interface OutagePeriod {
  serviceId: string;
  start: number;
  end: number | null;
}

/** A period in which a monitor of the service was down in one region (a slot's down period). */
export interface RegionDownPeriod {
  serviceId: string;
  region: string;
  start: number;
  end: number | null;
}

export interface ChangePoint {
  id: string;
  serviceId: string;
  kind: ChangeEventKind;
  at: number;
  version: string | null;
}

export interface AnalyzedOutage {
  serviceId: string;
  start: number;
  end: number | null;
  durationMs: number;
  /** Regions in which the service had a monitor down during the outage, sorted. */
  regions: string[];
  /** The latest change event of the service at most afterChangeMs before the outage began. */
  change: ChangePoint | null;
}

export interface OutageSummary {
  count: number;
  ongoing: number;
  /** Start of the oldest outage still going on. */
  ongoingSince: number | null;
  totalMs: number;
  medianMs: number | null;
  p90Ms: number | null;
  longestMs: number | null;
  /** Outages by UTC weekday they began on, Monday first. */
  byWeekday: number[];
  /** [weekday][UTC hour], Monday first. */
  byHourOfWeek: number[][];
  afterChange: { count: number; sharePercent: number | null; kinds: Array<{ kind: ChangeEventKind; count: number }> };
  /** Most outages first, then by name. */
  byRegion: Array<{ region: string; count: number; sharePercent: number }>;
}

export interface FailureCodeCount {
  errorCode: string | null;
  statusCode: number | null;
  outages: number;
  checks: number;
}

export interface RootCauseCount {
  kind: string | null;
  id: string | null;
  name: string | null;
  incidents: number;
}

/** Findings are stated only when at least this many outages began in the window. */
export const FINDING_MIN_OUTAGES = 3;
/** "began after a change": at least this share of the outages. */
export const AFTER_CHANGE_SHARE = 50;
/** "cluster on the weekend": at least this share began on Saturday or Sunday (2 of 7 days: 29 % by chance). */
export const WEEKEND_SHARE = 50;
/** "cluster on <weekday>": at least this share began on one weekday (14 % by chance). */
export const WEEKDAY_SHARE = 40;
/** "began between hh:00 and hh+3:00 UTC": at least this share began in one 3-hour block (12.5 % by chance). */
export const HOURS_SHARE = 50;
export const HOURS_BLOCK = 3;
/** "mostly in <region>": the region was down in at least this share, another in at most REGION_OTHER_SHARE. */
export const REGION_SHARE = 75;
export const REGION_OTHER_SHARE = 25;
/** "the most frequent failure is …": reported in at least this share of the outages. */
export const FAILURE_CODE_SHARE = 50;
/** "… was the probable root cause of n of m incidents": at least this share, and at least 2 incidents. */
export const ROOT_CAUSE_SHARE = 50;
/** "<service> had n of the team's m outages": at least this share. */
export const SERVICE_SHARE = 50;

const percent = (part: number, whole: number) => Math.round((part / whole) * 1000) / 10;
const wholePercent = (part: number, whole: number) => Math.round((part / whole) * 100);

/** Monday = 0 … Sunday = 6, of a UTC time. */
export const weekdayIndex = (ms: number) => (new Date(ms).getUTCDay() + 6) % 7;

/** Median of numbers (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..1): the smallest value that at least p of the values do not exceed. */
export function nearestRank(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length))) - 1]!;
}

/** "45s", "4m 10s", "2h 5m", "3d 4h". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const parts = (big: number, bigUnit: string, small: number, smallUnit: string) => (small ? `${big}${bigUnit} ${small}${smallUnit}` : `${big}${bigUnit}`);
  if (s < 3600) return parts(Math.floor(s / 60), 'm', s % 60, 's');
  if (s < 86_400) return parts(Math.floor(s / 3600), 'h', Math.floor((s % 3600) / 60), 'm');
  return parts(Math.floor(s / 86_400), 'd', Math.floor((s % 86_400) / 3600), 'h');
}

/** The latest change at or before `at` and at most `withinMs` before it (changes sorted by at). */
function latestBefore(changes: readonly ChangePoint[], at: number, withinMs: number): ChangePoint | null {
  let lo = 0;
  let hi = changes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (changes[mid]!.at <= at) lo = mid + 1;
    else hi = mid;
  }
  const found = lo > 0 ? changes[lo - 1]! : null;
  return found && at - found.at <= withinMs ? found : null;
}

/**
 * Each outage with its duration (an open one up to now), the regions its service's monitors were
 * down in while it lasted, and the change event it followed, if any.
 */
export function analyzeOutages(outages: readonly OutagePeriod[], regionDowns: readonly RegionDownPeriod[], changes: readonly ChangePoint[], now: number, afterChangeMs: number): AnalyzedOutage[] {
  const changesOf = new Map([...groupBy(changes, (c) => c.serviceId)].map(([k, list]) => [k, [...list].sort((a, b) => a.at - b.at)]));
  const downsOf = groupBy(regionDowns, (d) => d.serviceId);
  const regionsOf = new Map<OutagePeriod, string[]>();
  for (const [serviceId, list] of groupBy(outages, (o) => o.serviceId)) {
    const downs = [...(downsOf.get(serviceId) ?? [])].sort((a, b) => a.start - b.start);
    // A sweep in start order: a down period joins the active ones once it began before some outage
    // ended, and leaves them once it ended before an outage began (later outages begin later still).
    let next = 0;
    let furthest = Number.NEGATIVE_INFINITY;
    let active: RegionDownPeriod[] = [];
    for (const o of [...list].sort((a, b) => a.start - b.start)) {
      const end = o.end ?? now;
      furthest = Math.max(furthest, end);
      while (next < downs.length && downs[next]!.start <= furthest) active.push(downs[next++]!);
      active = active.filter((d) => d.end === null || d.end > o.start);
      regionsOf.set(o, [...new Set(active.filter((d) => d.start <= end).map((d) => d.region))].sort());
    }
  }
  return outages.map((o) => ({
    serviceId: o.serviceId,
    start: o.start,
    end: o.end,
    durationMs: Math.max(0, (o.end ?? now) - o.start),
    regions: regionsOf.get(o) ?? [],
    change: latestBefore(changesOf.get(o.serviceId) ?? [], o.start, afterChangeMs),
  }));
}

/** Counts, durations, calendar distribution, change share and regions of some outages. */
export function summarize(outages: readonly AnalyzedOutage[]): OutageSummary {
  const count = outages.length;
  const durations = outages.map((o) => o.durationMs);
  const open = outages.filter((o) => o.end === null);
  const byWeekday = new Array<number>(7).fill(0);
  const byHourOfWeek = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const kinds = new Map<ChangeEventKind, number>();
  const regions = new Map<string, number>();
  for (const o of outages) {
    const day = weekdayIndex(o.start);
    byWeekday[day]! += 1;
    byHourOfWeek[day]![new Date(o.start).getUTCHours()]! += 1;
    if (o.change) kinds.set(o.change.kind, (kinds.get(o.change.kind) ?? 0) + 1);
    for (const r of o.regions) regions.set(r, (regions.get(r) ?? 0) + 1);
  }
  const afterCount = [...kinds.values()].reduce((a, b) => a + b, 0);
  const byCount = <K extends string>(a: { count: number; k: K }, b: { count: number; k: K }) => b.count - a.count || a.k.localeCompare(b.k);
  return {
    count,
    ongoing: open.length,
    ongoingSince: open.length ? Math.min(...open.map((o) => o.start)) : null,
    totalMs: durations.reduce((a, b) => a + b, 0),
    medianMs: median(durations),
    p90Ms: nearestRank(durations, 0.9),
    longestMs: count ? Math.max(...durations) : null,
    byWeekday,
    byHourOfWeek,
    afterChange: {
      count: afterCount,
      sharePercent: count ? percent(afterCount, count) : null,
      kinds: [...kinds].map(([k, n]) => ({ k, count: n })).sort(byCount).map(({ k, count: n }) => ({ kind: k, count: n })),
    },
    byRegion: [...regions].map(([k, n]) => ({ k, count: n })).sort(byCount).map(({ k, count: n }) => ({ region: k, count: n, sharePercent: percent(n, count) })),
  };
}

const changeWords: Record<ChangeEventKind, [one: string, many: string]> = {
  deploy: ['a deploy', 'deploys'],
  config_change: ['a config change', 'config changes'],
  feature_flag: ['a feature-flag flip', 'feature-flag flips'],
  rollback: ['a rollback', 'rollbacks'],
  other: ['a change event', 'other changes'],
};

const of = (n: number, whole: number, noun: string) => `${n} of ${whole} ${noun}${whole === 1 ? '' : 's'}`;
const hh = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;

/** "timeout (HTTP 504)", "assertion_failed (HTTP 200)", "HTTP 503". */
export function describeFailure(f: Pick<FailureCodeCount, 'errorCode' | 'statusCode'>): string {
  if (f.errorCode && f.statusCode !== null) return `${f.errorCode} (HTTP ${f.statusCode})`;
  if (f.errorCode) return f.errorCode;
  return f.statusCode !== null ? `HTTP ${f.statusCode}` : 'a failure without a code';
}

export interface FindingInput {
  summary: OutageSummary;
  windowDays: number;
  afterChangeMinutes: number;
  failureCodes: readonly FailureCodeCount[];
  rootCauses: readonly RootCauseCount[];
  /** Incidents involving the subject that name a root cause (the root causes' total). */
  rootCauseIncidents: number;
}

/** Plain statements the figures support, most telling first (thresholds above, documented in docs/incidents.md). */
export function outageFindings(input: FindingInput): string[] {
  const { summary: s, windowDays, afterChangeMinutes } = input;
  const out: string[] = [];
  const window = `the last ${windowDays} day${windowDays === 1 ? '' : 's'}`;
  if (s.count === 0) return [`No outage began in ${window}.`];
  const enough = s.count >= FINDING_MIN_OUTAGES;

  if (enough && s.afterChange.sharePercent !== null && s.afterChange.sharePercent >= AFTER_CHANGE_SHARE) {
    const kinds = s.afterChange.kinds;
    const what = kinds.length === 1 ? changeWords[kinds[0]!.kind][0] : `a change event (${kinds.map((k) => `${k.count} ${k.count === 1 ? changeWords[k.kind][0].replace(/^an? /, '') : changeWords[k.kind][1]}`).join(', ')})`;
    out.push(`${of(s.afterChange.count, s.count, 'outage')} (${wholePercent(s.afterChange.count, s.count)}%) began within ${afterChangeMinutes} minutes after ${what}.`);
  }

  if (enough) {
    const weekend = s.byWeekday[5]! + s.byWeekday[6]!;
    const top = s.byWeekday.reduce((best, n, i) => (n > s.byWeekday[best]! ? i : best), 0);
    if (percent(weekend, s.count) >= WEEKEND_SHARE) out.push(`Outages cluster on Saturday and Sunday (${of(weekend, s.count, 'outage')}, ${wholePercent(weekend, s.count)}%).`);
    else if (percent(s.byWeekday[top]!, s.count) >= WEEKDAY_SHARE) out.push(`Outages cluster on ${weekdays[top]} (${of(s.byWeekday[top]!, s.count, 'outage')}, ${wholePercent(s.byWeekday[top]!, s.count)}%).`);

    const byHour = new Array<number>(24).fill(0);
    for (const day of s.byHourOfWeek) day.forEach((n, h) => (byHour[h]! += n));
    let best = 0;
    let bestCount = -1;
    for (let h = 0; h < 24; h++) {
      let n = 0;
      for (let k = 0; k < HOURS_BLOCK; k++) n += byHour[(h + k) % 24]!;
      if (n > bestCount) [best, bestCount] = [h, n];
    }
    if (percent(bestCount, s.count) >= HOURS_SHARE) out.push(`${of(bestCount, s.count, 'outage')} (${wholePercent(bestCount, s.count)}%) began between ${hh(best)} and ${hh(best + HOURS_BLOCK)} UTC.`);

    const [topRegion, ...others] = s.byRegion;
    if (topRegion && others.length && topRegion.sharePercent >= REGION_SHARE && others[others.length - 1]!.sharePercent <= REGION_OTHER_SHARE) {
      out.push(`Outages are mostly regional: ${topRegion.region} was down in ${of(topRegion.count, s.count, 'outage')} (${wholePercent(topRegion.count, s.count)}%), ${others.map((r) => `${r.region} in ${r.count}`).join(', ')}.`);
    }

    const code = [...input.failureCodes].sort((a, b) => b.outages - a.outages || b.checks - a.checks)[0];
    if (code && percent(code.outages, s.count) >= FAILURE_CODE_SHARE) out.push(`The most frequent failure is ${describeFailure(code)}, in ${of(code.outages, s.count, 'outage')}.`);
  }

  const cause = [...input.rootCauses].sort((a, b) => b.incidents - a.incidents)[0];
  if (cause && cause.incidents >= 2 && input.rootCauseIncidents > 0 && percent(cause.incidents, input.rootCauseIncidents) >= ROOT_CAUSE_SHARE) {
    const name = cause.name ?? cause.id ?? 'the same node';
    out.push(`${name}${cause.kind === 'edge' ? ' (a dependency edge)' : ''} was the probable root cause of ${of(cause.incidents, input.rootCauseIncidents, 'incident')} with a named root cause.`);
  }

  out.push(`${s.count} outage${s.count === 1 ? '' : 's'} began in ${window}, ${formatDuration(s.totalMs)} down in all; typical duration ${formatDuration(s.medianMs!)} (median), 90% lasted at most ${formatDuration(s.p90Ms!)}, the longest ${formatDuration(s.longestMs!)}.`);
  if (s.ongoing > 0) out.push(`${s.ongoing === 1 ? '1 outage is' : `${s.ongoing} outages are`} still going on (down since ${new Date(s.ongoingSince!).toISOString()}).`);
  return out;
}

/** For a team: "<service> had n of the team's m outages" when one service has most of them. */
export function concentrationFinding(services: ReadonlyArray<{ name: string; count: number }>, teamCount: number): string | null {
  if (teamCount < FINDING_MIN_OUTAGES || services.length < 2) return null;
  const top = [...services].sort((a, b) => b.count - a.count)[0]!;
  return percent(top.count, teamCount) >= SERVICE_SHARE ? `${top.name} had ${top.count} of the team's ${teamCount} outages (${wholePercent(top.count, teamCount)}%).` : null;
}
