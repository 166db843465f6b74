import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeOutages, concentrationFinding, describeFailure, formatDuration, median, nearestRank, outageFindings, summarize, weekdayIndex,
  type AnalyzedOutage, type ChangePoint, type FindingInput, type OutagePeriod, type RegionDownPeriod,
} from '../src/modules/analysis/outage-analysis.math.ts';

const M = 60_000;
const H = 60 * M;
const D = 24 * H;
// Monday 2026-11-02 00:00 UTC.
const MON = Date.UTC(2026, 10, 2);
const NOW = MON + 14 * D;

const outage = (serviceId: string, start: number, minutes: number | null): OutagePeriod => ({ serviceId, start, end: minutes === null ? null : start + minutes * M });
const change = (serviceId: string, at: number, kind: ChangePoint['kind'] = 'deploy', id = `chg_${at}`): ChangePoint => ({ id, serviceId, kind, at, version: null });

test('median and nearest-rank percentile', () => {
  const cases: Array<[number[], number | null, number | null]> = [
    [[], null, null],
    [[5], 5, 5],
    [[1, 3], 2, 3],
    [[4, 1, 3, 2], 2.5, 4],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5.5, 9],
    [[10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 1, 1],
  ];
  for (const [values, m, p90] of cases) {
    assert.equal(median(values), m, `median ${values}`);
    assert.equal(nearestRank(values, 0.9), p90, `p90 ${values}`);
  }
});

test('formatDuration', () => {
  const cases: Array<[number, string]> = [[0, '0s'], [45_000, '45s'], [60_000, '1m'], [250_000, '4m 10s'], [H, '1h'], [2 * H + 5 * M + 20_000, '2h 5m'], [3 * D + 4 * H, '3d 4h'], [D, '1d']];
  for (const [ms, text] of cases) assert.equal(formatDuration(ms), text);
});

test('weekdayIndex: Monday is 0, Sunday 6, in UTC', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((d) => weekdayIndex(MON + d * D + 23 * H + 59 * M)), [0, 1, 2, 3, 4, 5, 6]);
});

test('describeFailure', () => {
  assert.equal(describeFailure({ errorCode: 'timeout', statusCode: null }), 'timeout');
  assert.equal(describeFailure({ errorCode: 'assertion_failed', statusCode: 200 }), 'assertion_failed (HTTP 200)');
  assert.equal(describeFailure({ errorCode: null, statusCode: 503 }), 'HTTP 503');
  assert.equal(describeFailure({ errorCode: null, statusCode: null }), 'a failure without a code');
});

const analyzeCases: Array<{ name: string; outages: OutagePeriod[]; downs?: RegionDownPeriod[]; changes?: ChangePoint[]; expect: Array<Partial<AnalyzedOutage> & { changeId?: string | null }> }> = [
  { name: 'a closed outage lasts from its start to its end', outages: [outage('a', MON, 10)], expect: [{ durationMs: 10 * M, regions: [], changeId: null }] },
  { name: 'an open outage counts up to now', outages: [outage('a', NOW - 2 * H, null)], expect: [{ durationMs: 2 * H, end: null }] },
  {
    name: 'a deploy 5 minutes before matches; the latest one within the window is named',
    outages: [outage('a', MON + H, 10)],
    changes: [change('a', MON + H - 20 * M, 'config_change', 'old'), change('a', MON + H - 5 * M, 'deploy', 'new')],
    expect: [{ changeId: 'new' }],
  },
  { name: 'a deploy 31 minutes before does not match 30', outages: [outage('a', MON + H, 10)], changes: [change('a', MON + H - 31 * M)], expect: [{ changeId: null }] },
  { name: 'a deploy exactly 30 minutes before matches', outages: [outage('a', MON + H, 10)], changes: [change('a', MON + H - 30 * M, 'deploy', 'edge')], expect: [{ changeId: 'edge' }] },
  { name: 'a deploy after the start does not explain the outage', outages: [outage('a', MON + H, 10)], changes: [change('a', MON + H + M)], expect: [{ changeId: null }] },
  { name: 'a deploy of another service does not count', outages: [outage('a', MON + H, 10)], changes: [change('b', MON + H - M)], expect: [{ changeId: null }] },
  {
    name: 'regions: slot down periods that overlap the outage, including one that began before it and one still open',
    outages: [outage('a', MON + H, 10)],
    downs: [
      { serviceId: 'a', region: 'us-west-2', start: MON + H - 2 * M, end: MON + H + M },
      { serviceId: 'a', region: 'eu-west-1', start: MON + H + 5 * M, end: null },
      { serviceId: 'a', region: 'ap-south-1', start: MON, end: MON + H },
      { serviceId: 'a', region: 'sa-east-1', start: MON + H + 11 * M, end: null },
      { serviceId: 'b', region: 'us-east-1', start: MON + H, end: MON + 2 * H },
    ],
    expect: [{ regions: ['eu-west-1', 'us-west-2'] }],
  },
];
for (const c of analyzeCases) {
  test(`analyzeOutages: ${c.name}`, () => {
    const got = analyzeOutages(c.outages, c.downs ?? [], c.changes ?? [], NOW, 30 * M);
    assert.equal(got.length, c.expect.length);
    c.expect.forEach((e, i) => {
      const { changeId, ...rest } = e;
      for (const [k, v] of Object.entries(rest)) assert.deepEqual(got[i]![k as keyof AnalyzedOutage], v, k);
      if (changeId !== undefined) assert.equal(got[i]!.change?.id ?? null, changeId);
    });
  });
}

test('summarize: counts, durations, hour of week, weekdays, change share and kinds, regions', () => {
  const list = analyzeOutages(
    [outage('a', MON + 5 * D + 2 * H, 4), outage('a', MON + 6 * D + 3 * H + 30 * M, 10), outage('a', MON + 5 * D + 2 * H + 40 * M, 6), outage('a', MON + 2 * D + 14 * H, null)],
    [{ serviceId: 'a', region: 'us-east-1', start: MON, end: null }, { serviceId: 'a', region: 'us-west-2', start: MON + 5 * D + 2 * H, end: MON + 5 * D + 2 * H + M }],
    [change('a', MON + 5 * D + 2 * H - M), change('a', MON + 6 * D + 3 * H + 25 * M, 'rollback')],
    NOW,
    30 * M,
  );
  const s = summarize(list);
  assert.equal(s.count, 4);
  assert.equal(s.ongoing, 1);
  assert.equal(s.ongoingSince, MON + 2 * D + 14 * H);
  const open = NOW - (MON + 2 * D + 14 * H);
  assert.equal(s.totalMs, 20 * M + open);
  assert.equal(s.medianMs, 8 * M);
  assert.equal(s.p90Ms, open);
  assert.equal(s.longestMs, open);
  assert.deepEqual(s.byWeekday, [0, 0, 1, 0, 0, 2, 1]);
  assert.equal(s.byHourOfWeek[5]![2], 2);
  assert.equal(s.byHourOfWeek[6]![3], 1);
  assert.equal(s.byHourOfWeek[2]![14], 1);
  assert.equal(s.byHourOfWeek.flat().reduce((a, b) => a + b, 0), 4);
  // The third outage began 41 minutes after the first deploy: only two follow a change.
  assert.deepEqual(s.afterChange, { count: 2, sharePercent: 50, kinds: [{ kind: 'deploy', count: 1 }, { kind: 'rollback', count: 1 }] });
  // us-west-2 was down during the first outage and during the open one (which lasts until now).
  assert.deepEqual(s.byRegion, [{ region: 'us-east-1', count: 4, sharePercent: 100 }, { region: 'us-west-2', count: 2, sharePercent: 50 }]);
});

test('summarize: nothing', () => {
  const s = summarize([]);
  assert.equal(s.count, 0);
  assert.equal(s.medianMs, null);
  assert.equal(s.afterChange.sharePercent, null);
  assert.deepEqual(s.byWeekday, [0, 0, 0, 0, 0, 0, 0]);
});

/** Outages at the given day offsets from Monday (and hours), 5 minutes each, ended. */
function outagesAt(spec: Array<[day: number, hour: number]>, opts: { deployBefore?: number[]; regions?: Array<string[]> } = {}): FindingInput['summary'] {
  const periods = spec.map(([d, h]) => outage('a', MON + d * D + h * H, 5));
  const changes = (opts.deployBefore ?? []).map((i) => change('a', periods[i]!.start - 3 * M));
  const downs = (opts.regions ?? []).flatMap((rs, i) => rs.map((region) => ({ serviceId: 'a', region, start: periods[i]!.start, end: periods[i]!.end })));
  return summarize(analyzeOutages(periods, downs, changes, NOW, 30 * M));
}
const findings = (summary: FindingInput['summary'], extra: Partial<FindingInput> = {}) => outageFindings({ summary, windowDays: 90, afterChangeMinutes: 30, failureCodes: [], rootCauses: [], rootCauseIncidents: 0, ...extra });
const has = (list: string[], pattern: RegExp) => list.some((f) => pattern.test(f));

const findingCases: Array<{ name: string; summary: () => FindingInput['summary']; extra?: Partial<FindingInput>; present: RegExp[]; absent: RegExp[] }> = [
  { name: 'no outages', summary: () => summarize([]), present: [/^No outage began in the last 90 days\.$/], absent: [/typical/] },
  {
    name: '7 of 9 after a deploy, on weekends',
    summary: () => outagesAt([[5, 1], [5, 9], [6, 2], [6, 13], [5, 20], [6, 8], [1, 10], [2, 11], [6, 15]], { deployBefore: [0, 1, 2, 3, 4, 5, 6] }),
    present: [/^7 of 9 outages \(78%\) began within 30 minutes after a deploy\.$/, /^Outages cluster on Saturday and Sunday \(7 of 9 outages, 78%\)\.$/, /^9 outages began in the last 90 days, 45m down in all; typical duration 5m \(median\), 90% lasted at most 5m, the longest 5m\.$/],
    absent: [/cluster on Monday/, /UTC/],
  },
  { name: 'too few outages for a pattern: 2 of 2 after a deploy is not stated', summary: () => outagesAt([[5, 1], [6, 1]], { deployBefore: [0, 1] }), present: [/^2 outages began/], absent: [/after a deploy/, /Saturday/] },
  { name: 'below the share: 1 of 3 after a deploy', summary: () => outagesAt([[0, 1], [2, 5], [4, 9]], { deployBefore: [0] }), present: [], absent: [/after a/, /cluster/, /UTC/] },
  {
    name: 'mixed change kinds are named with their counts',
    summary: () => {
      const periods = [outage('a', MON + H, 5), outage('a', MON + D + 5 * H, 5), outage('a', MON + 3 * D + 9 * H, 5)];
      return summarize(analyzeOutages(periods, [], [change('a', periods[0]!.start - M), change('a', periods[1]!.start - M, 'config_change'), change('a', periods[2]!.start - M)], NOW, 30 * M));
    },
    present: [/^3 of 3 outages \(100%\) began within 30 minutes after a change event \(2 deploys, 1 config change\)\.$/],
    absent: [],
  },
  { name: 'one weekday', summary: () => outagesAt([[1, 1], [1, 7], [1, 13], [3, 19], [4, 22]]), present: [/^Outages cluster on Tuesday \(3 of 5 outages, 60%\)\.$/], absent: [/Saturday/] },
  { name: 'a night-time block, across midnight', summary: () => outagesAt([[0, 23], [2, 0], [3, 1], [4, 12]]), present: [/^3 of 4 outages \(75%\) began between 23:00 and 02:00 UTC\.$/], absent: [] },
  {
    name: 'mostly one region',
    summary: () => outagesAt([[0, 1], [1, 5], [2, 9], [3, 13]], { regions: [['us-east-1'], ['us-east-1'], ['us-east-1', 'us-west-2'], ['us-east-1']] }),
    present: [/^Outages are mostly regional: us-east-1 was down in 4 of 4 outages \(100%\), us-west-2 in 1\.$/],
    absent: [],
  },
  { name: 'every region alike is no regional finding', summary: () => outagesAt([[0, 1], [1, 5], [2, 9]], { regions: [['a', 'b'], ['a', 'b'], ['a', 'b']] }), present: [], absent: [/regional/] },
  {
    name: 'the most frequent failure code',
    summary: () => outagesAt([[0, 1], [1, 5], [2, 9], [3, 13]]),
    extra: { failureCodes: [{ errorCode: 'timeout', statusCode: null, outages: 1, checks: 40 }, { errorCode: 'assertion_failed', statusCode: 200, outages: 3, checks: 9 }] },
    present: [/^The most frequent failure is assertion_failed \(HTTP 200\), in 3 of 4 outages\.$/],
    absent: [/timeout/],
  },
  {
    name: 'the most frequent root cause',
    summary: () => outagesAt([[0, 1]]),
    extra: { rootCauses: [{ kind: 'edge', id: 'dep_1', name: 'fulfillment-routing → shipping-integration', incidents: 3 }, { kind: 'service', id: 'svc_1', name: 'payments', incidents: 1 }], rootCauseIncidents: 4 },
    present: [/^fulfillment-routing → shipping-integration \(a dependency edge\) was the probable root cause of 3 of 4 incidents with a named root cause\.$/],
    absent: [],
  },
  { name: 'one incident is no root-cause pattern', summary: () => outagesAt([[0, 1]]), extra: { rootCauses: [{ kind: 'service', id: 'svc_1', name: 'payments', incidents: 1 }], rootCauseIncidents: 1 }, present: [], absent: [/root cause/] },
  { name: 'an ongoing outage is stated', summary: () => summarize(analyzeOutages([outage('a', NOW - H, null)], [], [], NOW, 30 * M)), present: [/^1 outage is still going on \(down since 2026-11-15T23:00:00\.000Z\)\.$/], absent: [] },
];
for (const c of findingCases) {
  test(`outageFindings: ${c.name}`, () => {
    const list = findings(c.summary(), c.extra);
    for (const p of c.present) assert.ok(has(list, p), `${p} in ${JSON.stringify(list)}`);
    for (const p of c.absent) assert.ok(!has(list, p), `no ${p} in ${JSON.stringify(list)}`);
  });
}

test('concentrationFinding: one service with most of a team\'s outages', () => {
  assert.equal(concentrationFinding([{ name: 'checkout', count: 7 }, { name: 'cart', count: 3 }], 10), "checkout had 7 of the team's 10 outages (70%).");
  assert.equal(concentrationFinding([{ name: 'checkout', count: 2 }, { name: 'cart', count: 2 }, { name: 'web', count: 2 }], 6), null);
  assert.equal(concentrationFinding([{ name: 'checkout', count: 2 }], 2), null);
});

test('docs/incidents.md states the thresholds the findings use', async () => {
  const { readFileSync } = await import('node:fs');
  const doc = readFileSync(new URL('../../docs/incidents.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## Outage history'));
  const m = await import('../src/modules/analysis/outage-analysis.math.ts');
  const rows = [
    `need at least **${m.FINDING_MIN_OUTAGES} outages**`,
    `| at least ${m.AFTER_CHANGE_SHARE} % of the outages |`,
    `| at least ${m.WEEKEND_SHARE} % began on a weekend day`,
    `| at least ${m.WEEKDAY_SHARE} % began on one weekday`,
    `| at least ${m.HOURS_SHARE} % began in one ${m.HOURS_BLOCK}-hour block`,
    `| one region down in at least ${m.REGION_SHARE} % of the outages and another in at most ${m.REGION_OTHER_SHARE} % |`,
    `| reported by failing checks in at least ${m.FAILURE_CODE_SHARE} % of the outages |`,
    `| at least 2 incidents and ${m.ROOT_CAUSE_SHARE} % of those with a named root cause`,
    `| at least ${m.SERVICE_SHARE} % of the team's outages |`,
  ];
  for (const row of rows) assert.ok(section.includes(row), row);
});

test('analyzeOutages: the region sweep agrees with checking every pair, over random histories', () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let run = 0; run < 50; run++) {
    const outages: OutagePeriod[] = [];
    let t = MON;
    for (let i = 0; i < 20; i++) {
      t += Math.floor(rand() * 120) * M;
      const minutes = Math.floor(rand() * 60);
      outages.push(outage(rand() < 0.8 ? 'a' : 'b', t, i === 19 && rand() < 0.5 ? null : minutes));
      t += minutes * M;
    }
    const downs: RegionDownPeriod[] = Array.from({ length: 30 }, () => {
      const start = MON + Math.floor(rand() * 2000) * M - 100 * M;
      return { serviceId: rand() < 0.8 ? 'a' : 'b', region: ['r1', 'r2', 'r3'][Math.floor(rand() * 3)]!, start, end: rand() < 0.1 ? null : start + Math.floor(rand() * 300) * M };
    });
    const got = analyzeOutages(outages, downs, [], NOW, 30 * M);
    outages.forEach((o, i) => {
      const end = o.end ?? NOW;
      const expected = [...new Set(downs.filter((d) => d.serviceId === o.serviceId && d.start <= end && (d.end === null || d.end > o.start)).map((d) => d.region))].sort();
      assert.deepEqual(got[i]!.regions, expected, `run ${run}, outage ${i}`);
    });
  }
});
