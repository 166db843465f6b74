import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activeWindowIds, compileSilence, mutedBy, silenceState, windowCovers, type MutingWindow, type SilenceDoc } from '../src/modules/routing/muting.ts';

const t = (iso: string) => Date.parse(iso);
const silence = (id: string, team: string | null, matchers: SilenceDoc['matchers'], starts = '2026-12-01T10:00:00Z', ends = '2026-12-01T12:00:00Z') =>
  compileSilence({ id, team_name: team, matchers, starts_at: starts, ends_at: ends });
const window = (id: string, over: Partial<MutingWindow> = {}): MutingWindow => ({
  id, name: id, team: 'a', starts_at: '2026-12-01T10:00:00Z', ends_at: '2026-12-01T12:00:00Z', mute_notifications: true, services: [], monitors: [],
  ...over, whole_team: !over.services?.length && !over.monitors?.length,
});
const none = { silences: [], maintenanceWindows: [], muteTimeWindowIds: [] };
const alert = { team: 'a', service: 'checkout', monitor: 'health', severity: 'critical', alertname: 'Down' };
const inside = t('2026-12-01T11:00:00Z');

test('silence states: pending before starts_at, active until ends_at (exclusive), then expired', () => {
  const s = { starts_at: '2026-12-01T10:00:00Z', ends_at: '2026-12-01T12:00:00Z' };
  assert.equal(silenceState(s, t('2026-12-01T09:59:59Z')), 'pending');
  assert.equal(silenceState(s, t('2026-12-01T10:00:00Z')), 'active');
  assert.equal(silenceState(s, t('2026-12-01T11:59:59.999Z')), 'active');
  assert.equal(silenceState(s, t('2026-12-01T12:00:00Z')), 'expired');
});

const silenceCases: Array<[string, ReturnType<typeof silence>, Record<string, string>, number, boolean]> = [
  ['an active silence whose matchers match mutes', silence('sil_1', 'a', [{ label: 'service', operator: '=', value: 'checkout' }]), alert, inside, true],
  ['all matchers must match', silence('sil_1', 'a', [{ label: 'service', operator: '=', value: 'checkout' }, { label: 'severity', operator: '=', value: 'warning' }]), alert, inside, false],
  ['regex matchers are anchored', silence('sil_1', 'a', [{ label: 'service', operator: '=~', value: 'check' }]), alert, inside, false],
  ['a pending silence does not mute', silence('sil_1', 'a', [{ label: 'service', operator: '=', value: 'checkout' }]), alert, t('2026-12-01T09:00:00Z'), false],
  ['an expired silence does not mute', silence('sil_1', 'a', [{ label: 'service', operator: '=', value: 'checkout' }]), alert, t('2026-12-01T12:00:00Z'), false],
  ['a team silence does not mute another team\'s alert', silence('sil_1', 'b', [{ label: 'service', operator: '=', value: 'checkout' }]), alert, inside, false],
  ['a team silence does not mute an alert without a team', silence('sil_1', 'a', [{ label: 'service', operator: '=', value: 'checkout' }]), { service: 'checkout' }, inside, false],
  ['an organization silence mutes any team\'s alert', silence('sil_1', null, [{ label: 'severity', operator: '=', value: 'critical' }]), alert, inside, true],
];
for (const [name, s, labels, at, muted] of silenceCases) {
  test(`silence: ${name}`, () => {
    const result = mutedBy(labels, at, { ...none, silences: [s] });
    assert.deepEqual(result, muted ? { muted: true, by: [{ kind: 'silence', id: 'sil_1' }] } : { muted: false, by: [] });
  });
}

const coverCases: Array<[string, Partial<MutingWindow>, Record<string, string>, boolean]> = [
  ['no services or monitors: every alert of the team', {}, alert, true],
  ['no services or monitors: not another team\'s alert', {}, { ...alert, team: 'b' }, false],
  ['a named service', { services: ['checkout'] }, alert, true],
  ['another service', { services: ['payments'] }, alert, false],
  ['a named monitor of its service', { monitors: [{ service: 'checkout', monitor: 'health' }] }, alert, true],
  ['a monitor of the same name on another service', { monitors: [{ service: 'payments', monitor: 'health' }] }, alert, false],
  ['a service-level alert is not covered by one of its monitors', { monitors: [{ service: 'checkout', monitor: 'health' }] }, { team: 'a', service: 'checkout' }, false],
];
test('window covers: a window whose named services were all deleted covers nothing (not the whole team)', () => {
  assert.equal(windowCovers({ ...window('mwn_1'), whole_team: false }, alert), false);
});
for (const [name, over, labels, covered] of coverCases) test(`window covers: ${name}`, () => assert.equal(windowCovers(window('mwn_1', over), labels), covered));

test('maintenance: a running window with mute_notifications mutes what it covers', () => {
  assert.deepEqual(mutedBy(alert, inside, { ...none, maintenanceWindows: [window('mwn_1', { services: ['checkout'] })] }), { muted: true, by: [{ kind: 'maintenance_window', id: 'mwn_1' }] });
  assert.equal(mutedBy(alert, t('2026-12-01T12:00:00Z'), { ...none, maintenanceWindows: [window('mwn_1')] }).muted, false, 'after ends_at');
  assert.equal(mutedBy(alert, inside, { ...none, maintenanceWindows: [window('mwn_1', { mute_notifications: false })] }).muted, false, 'mute_notifications false');
});

test('maintenance: recurring windows mute only inside an occurrence (cron in the window\'s time zone)', () => {
  // Every day 02:00-03:00 Europe/Berlin (01:00-02:00 UTC in winter), for December.
  const nightly = window('mwn_n', { starts_at: '2026-12-01T00:00:00Z', ends_at: '2027-01-01T00:00:00Z', recurrence: { cron: '0 2 * * *', duration: '1h', timezone: 'Europe/Berlin' } });
  assert.equal(mutedBy(alert, t('2026-12-05T01:30:00Z'), { ...none, maintenanceWindows: [nightly] }).muted, true);
  assert.equal(mutedBy(alert, t('2026-12-05T02:00:00Z'), { ...none, maintenanceWindows: [nightly] }).muted, false);
  assert.equal(mutedBy(alert, t('2026-12-05T00:59:59Z'), { ...none, maintenanceWindows: [nightly] }).muted, false);
});

test('mute time windows: the route\'s windows mute by their time only, whatever they cover or mute_notifications says', () => {
  const business = window('mwn_t', { team: 'other', services: ['elsewhere'], mute_notifications: false });
  assert.deepEqual(mutedBy(alert, inside, { ...none, maintenanceWindows: [business], muteTimeWindowIds: ['mwn_t'] }), { muted: true, by: [{ kind: 'mute_time_window', id: 'mwn_t' }] });
  assert.equal(mutedBy(alert, t('2026-12-01T13:00:00Z'), { ...none, maintenanceWindows: [business], muteTimeWindowIds: ['mwn_t'] }).muted, false);
  assert.equal(mutedBy(alert, inside, { ...none, maintenanceWindows: [business], muteTimeWindowIds: ['mwn_unknown'] }).muted, false, 'an unknown id mutes nothing');
});

test('every reason is reported, in order: silences, maintenance windows, mute time windows', () => {
  const result = mutedBy(alert, inside, {
    silences: [silence('sil_1', null, [{ label: 'team', operator: '=', value: 'a' }]), silence('sil_2', 'a', [])],
    maintenanceWindows: [window('mwn_1'), window('mwn_t', { mute_notifications: false })],
    muteTimeWindowIds: ['mwn_t'],
  });
  assert.deepEqual(result.by, [{ kind: 'silence', id: 'sil_1' }, { kind: 'silence', id: 'sil_2' }, { kind: 'maintenance_window', id: 'mwn_1' }, { kind: 'mute_time_window', id: 'mwn_t' }]);
});

test('precomputed active windows give the same answers as expanding each window per alert', () => {
  const windows = [
    window('mwn_1', { services: ['checkout'] }),
    window('mwn_n', { starts_at: '2026-12-01T00:00:00Z', ends_at: '2027-01-01T00:00:00Z', recurrence: { cron: '0 2 * * *', duration: '1h', timezone: 'Europe/Berlin' } }),
    window('mwn_off', { starts_at: '2026-12-02T00:00:00Z', ends_at: '2026-12-03T00:00:00Z' }),
  ];
  for (const at of [inside, t('2026-12-05T01:30:00Z'), t('2026-12-02T05:00:00Z')]) {
    const activeWindows = activeWindowIds(windows, at);
    for (const labels of [alert, { ...alert, service: 'other' }, { team: 'b' }]) {
      const input = { silences: [], maintenanceWindows: windows, muteTimeWindowIds: ['mwn_off', 'mwn_n'] };
      assert.deepEqual(mutedBy(labels, at, { ...input, activeWindows }), mutedBy(labels, at, input));
    }
  }
  assert.deepEqual([...activeWindowIds(windows, t('2026-12-05T01:30:00Z'))], ['mwn_n']);
});
