import { test } from 'node:test';
import assert from 'node:assert/strict';
import { durationSeconds, highestSeverity, incidentFigures, minutesBeforeFirstFailure, mttaSeconds, mttrSeconds } from '../src/modules/incidents/incident.present.ts';

// The pure figures of the incidents API: severity order, MTTA / MTTR and their means, and how long
// before the first failure a change happened.

const t = (minutes: number) => new Date(Date.UTC(2026, 10, 1, 12, 0, 0) + minutes * 60_000);

const severityCases: Array<[string, string[], string, string]> = [
  ['critical beats everything', ['warning', 'critical', 'info'], 'info', 'critical'],
  ['error beats warning', ['warning', 'error'], 'info', 'error'],
  ['the stored severity counts too', ['warning'], 'error', 'error'],
  ['no alerts: the stored severity', [], 'warning', 'warning'],
  ['an unknown name ranks below info', ['page-me'], 'info', 'info'],
  ['only unknown names: info', ['page-me'], 'sev1', 'info'],
];
for (const [name, values, fallback, expected] of severityCases) test(`highestSeverity: ${name}`, () => assert.equal(highestSeverity(values, fallback), expected));

test('mtta: acknowledged_at − opened_at; null until acknowledged', () => {
  assert.equal(mttaSeconds({ opened_at: t(0), acknowledged_at: t(1.5) }), 90);
  assert.equal(mttaSeconds({ opened_at: t(0), acknowledged_at: null }), null);
  assert.equal(mttaSeconds({ opened_at: t(0).toISOString(), acknowledged_at: new Date(t(0).getTime() + 1234).toISOString() }), 1.234);
  assert.equal(mttaSeconds({ opened_at: t(5), acknowledged_at: t(4) }), 0, 'a clock skew never gives a negative time');
});

test('mttr: resolved_at − first_failure_at (not opened_at); null until resolved', () => {
  assert.equal(mttrSeconds({ first_failure_at: t(-2), resolved_at: t(28) }), 1800);
  assert.equal(mttrSeconds({ first_failure_at: t(0), resolved_at: null }), null);
});

test('duration: to the resolution, or to now while open', () => {
  assert.equal(durationSeconds({ first_failure_at: t(0), resolved_at: t(10) }, t(99).getTime()), 600);
  assert.equal(durationSeconds({ first_failure_at: t(0), resolved_at: null }, t(3).getTime()), 180);
});

const minuteCases: Array<[string, number, number]> = [
  ['4 minutes before', -4, 4],
  ['after the failure: negative', 2, -2],
  ['to 0.1 minute', -(4 + 25 / 60), 4.4],
  ['at the failure', 0, 0],
];
for (const [name, changeAt, expected] of minuteCases) test(`minutesBeforeFirstFailure: ${name}`, () => assert.equal(minutesBeforeFirstFailure(t(changeAt), t(0)), expected));

test('incident figures: counts, means over the acknowledged and the resolved ones only', () => {
  const rows = [
    { opened_at: t(0), first_failure_at: t(-1), acknowledged_at: t(1), resolved_at: t(29) }, // mtta 60, mttr 1800
    { opened_at: t(100), first_failure_at: t(100), acknowledged_at: t(103), resolved_at: t(110) }, // mtta 180, mttr 600
    { opened_at: t(200), first_failure_at: t(200), acknowledged_at: null, resolved_at: t(201) }, // mttr 60
    { opened_at: t(300), first_failure_at: t(300), acknowledged_at: t(302), resolved_at: null }, // mtta 120, open
  ];
  assert.deepEqual(incidentFigures(rows), { count: 4, resolved: 3, open: 1, mtta_seconds: 120, mttr_seconds: 820 });
  assert.deepEqual(incidentFigures([]), { count: 0, resolved: 0, open: 0, mtta_seconds: null, mttr_seconds: null });
  assert.deepEqual(incidentFigures([{ opened_at: t(0), first_failure_at: t(0), acknowledged_at: null, resolved_at: null }]), { count: 1, resolved: 0, open: 1, mtta_seconds: null, mttr_seconds: null });
});
