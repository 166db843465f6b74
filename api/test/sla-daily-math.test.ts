import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SlaDay } from '../src/contract/sla.schema.ts';
import type { State } from '../src/contract/state.schema.ts';
import { dailyFigures, dayLine, utcDays } from '../src/modules/sla/sla.daily.ts';
import type { Interval, TransitionPoint } from '../src/modules/sla/sla.math.ts';

// The day-splitting of daily uptime: pure, as the SLA reports' math.

const H = 3_600_000;
const D = 24 * H;
// 2026-11-10T00:00:00Z; the range is three whole days and `now` is 12:00 of the third.
const day0 = Date.UTC(2026, 10, 10);
const now = day0 + 2 * D + 12 * H;
const at = (hours: number) => day0 + hours * H;
const tr = (hours: number, to: State): TransitionPoint => ({ at: at(hours), to });
const iv = (...pairs: Array<[number, number]>): Interval[] => pairs.map(([s, e]) => ({ start: at(s), end: at(e) }));
const day = (date: string, uptime: number | null, down: number, observed: number, maintenance: number, worst: State): SlaDay => ({
  date, uptime_ratio: uptime, downtime_seconds: down * 3600, observed_seconds: observed * 3600, maintenance_seconds: maintenance * 3600, worst_state: worst,
});

test('utcDays: the last n UTC days oldest first, today ending now', () => {
  const days = utcDays(3, now);
  assert.deepEqual(days, [{ start: day0, end: day0 + D }, { start: day0 + D, end: day0 + 2 * D }, { start: day0 + 2 * D, end: now }]);
  assert.deepEqual(utcDays(1, day0), [{ start: day0, end: day0 }], 'at midnight today is empty');
  assert.equal(utcDays(90, now).length, 90);
});

interface Case {
  name: string;
  initial: State;
  transitions: TransitionPoint[];
  existence?: Interval[];
  excluded?: Interval[];
  expect: SlaDay[];
}

const cases: Case[] = [
  {
    name: 'an outage across midnight is split between the two days',
    initial: 'up',
    transitions: [tr(22, 'down'), tr(26, 'up')],
    expect: [day('2026-11-10', 22 / 24, 2, 24, 0, 'down'), day('2026-11-11', 22 / 24, 2, 24, 0, 'down'), day('2026-11-12', 1, 0, 12, 0, 'up')],
  },
  {
    name: 'maintenance is left out of observed time and downtime and counted apart',
    initial: 'up',
    // Down 01:00–04:00 on day 2, of which 02:00–04:00 is maintenance: 1 h of downtime over 22 h observed.
    transitions: [tr(25, 'down'), tr(28, 'up')],
    excluded: iv([26, 28]),
    expect: [day('2026-11-10', 1, 0, 24, 0, 'up'), day('2026-11-11', 21 / 22, 1, 22, 2, 'down'), day('2026-11-12', 1, 0, 12, 0, 'up')],
  },
  {
    name: 'unknown time is neither up nor down: uptime is over observed time',
    initial: 'unknown',
    // Known from 06:00 of day 1; unknown again 12:00–18:00 of day 1; down 18:00–20:00.
    transitions: [tr(6, 'up'), tr(12, 'unknown'), tr(18, 'down'), tr(20, 'up')],
    expect: [day('2026-11-10', 10 / 12, 2, 12, 0, 'down'), day('2026-11-11', 1, 0, 24, 0, 'up'), day('2026-11-12', 1, 0, 12, 0, 'up')],
  },
  {
    name: 'a day with no data has no uptime and worst state unknown',
    initial: 'up',
    transitions: [tr(24, 'unknown'), tr(48, 'up')],
    expect: [day('2026-11-10', 1, 0, 24, 0, 'up'), day('2026-11-11', null, 0, 0, 0, 'unknown'), day('2026-11-12', 1, 0, 12, 0, 'up')],
  },
  {
    name: 'days before the subject existed have no uptime',
    initial: 'unknown',
    transitions: [tr(40, 'up')],
    existence: iv([36, 60]),
    expect: [day('2026-11-10', null, 0, 0, 0, 'unknown'), day('2026-11-11', 1, 0, 8, 0, 'up'), day('2026-11-12', 1, 0, 12, 0, 'up')],
  },
  {
    name: 'degraded is the worst state of a day without down time, and counts as up',
    initial: 'up',
    transitions: [tr(3, 'degraded'), tr(4, 'up')],
    expect: [day('2026-11-10', 1, 0, 24, 0, 'degraded'), day('2026-11-11', 1, 0, 24, 0, 'up'), day('2026-11-12', 1, 0, 12, 0, 'up')],
  },
  {
    name: 'down the whole day',
    initial: 'down',
    transitions: [tr(24, 'up')],
    expect: [day('2026-11-10', 0, 24, 24, 0, 'down'), day('2026-11-11', 1, 0, 24, 0, 'up'), day('2026-11-12', 1, 0, 12, 0, 'up')],
  },
  {
    name: 'a day all in maintenance has no uptime, whatever the state',
    initial: 'down',
    transitions: [],
    excluded: iv([24, 48]),
    expect: [day('2026-11-10', 0, 24, 24, 0, 'down'), day('2026-11-11', null, 0, 0, 24, 'unknown'), day('2026-11-12', 0, 12, 12, 0, 'down')],
  },
];

for (const c of cases) {
  test(`daily figures: ${c.name}`, () => {
    const days = utcDays(3, now);
    const range = { start: days[0]!.start, end: now };
    const got = dailyFigures(dayLine(c.initial, c.transitions, range), { existence: c.existence ?? [range], excluded: c.excluded ?? [] }, days);
    const rounded = c.expect.map((d) => ({ ...d, uptime_ratio: d.uptime_ratio === null ? null : Math.round(d.uptime_ratio * 1e6) / 1e6 }));
    assert.deepEqual(got, rounded);
  });
}
