import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Whoami } from '../src/contract/whoami.schema.ts';
import { describeEntry, mayRespond, openFirst, rangeFrom, timelineItems } from '../src/web/console/components/incident-logic.ts';
import { sloAtRisk, type SloWithStatus } from '../src/web/console/components/team-data.ts';

// The incident and team views' pure part: ordering, who may act, time ranges, the timeline's
// order and wording, SLOs at risk.

const me = (org_admin: boolean, teams: Array<[string, 'team_admin' | 'team_editor' | 'viewer']>): Whoami => ({
  kind: 'api_token', id: 'tok_1', name: 'me', org_id: 'org_1', org_admin, teams: teams.map(([id, role]) => ({ id, name: id, role })), expires_at: null,
});

test('open incidents come first, each group newest first', () => {
  const items = [
    { id: 'a', state: 'resolved', opened_at: '2026-01-01T03:00:00Z' },
    { id: 'b', state: 'investigating', opened_at: '2026-01-01T01:00:00Z' },
    { id: 'c', state: 'monitoring', opened_at: '2026-01-01T02:00:00Z' },
    { id: 'd', state: 'resolved', opened_at: '2026-01-01T04:00:00Z' },
  ] as const;
  assert.deepEqual(openFirst(items).map((i) => i.id), ['c', 'b', 'd', 'a']);
});

test('who may act on an incident: org admins and editors or admins of one of its teams, never a viewer', () => {
  const incident = { team_id: 'owner', team_ids: ['t1', 't2'] };
  const cases: Array<[string, Whoami, boolean]> = [
    ['org admin without a team', me(true, []), true],
    ['editor of one of its teams', me(false, [['t2', 'team_editor']]), true],
    ['team admin of its owner only', me(false, [['owner', 'team_admin']]), true],
    ['viewer of all its teams', me(false, [['t1', 'viewer'], ['t2', 'viewer'], ['owner', 'viewer']]), false],
    ['editor of another team', me(false, [['elsewhere', 'team_editor']]), false],
    ['viewer of one, editor of another team', me(false, [['t1', 'viewer'], ['elsewhere', 'team_admin']]), false],
  ];
  for (const [what, who, expected] of cases) assert.equal(mayRespond(who, incident), expected, what);
  assert.equal(mayRespond(me(false, [['t1', 'team_editor']]), { team_id: null, team_ids: ['t1'] }), true, 'no owner yet');
});

test('a time range is a from before now; any time or an unknown choice sets none', () => {
  const now = Date.parse('2026-03-10T12:00:00Z');
  assert.equal(rangeFrom('1h', now), '2026-03-10T11:00:00.000Z');
  assert.equal(rangeFrom('24h', now), '2026-03-09T12:00:00.000Z');
  assert.equal(rangeFrom('7d', now), '2026-03-03T12:00:00.000Z');
  assert.equal(rangeFrom('', now), undefined);
  assert.equal(rangeFrom(undefined, now), undefined);
  assert.equal(rangeFrom('forever', now), undefined);
  assert.equal(rangeFrom('toString', now), undefined);
});

test('the timeline merges the incident\'s entries and its services\' changes in time order; entries of one moment keep theirs', () => {
  const entry = (id: string, at: string, kind: string) => ({ id, at, kind, actor: null, payload: {} });
  const change = (id: string, at: string) => ({ id, at, service_id: 's', team_id: 't', kind: 'deploy', version: 'v1', actor: null, link: null, description: null, minutes_before_first_failure: 1 });
  const items = timelineItems({
    timeline: [entry('e1', '2026-01-01T00:01:00Z', 'opened'), entry('e2', '2026-01-01T00:01:00Z', 'alert_added'), entry('e3', '2026-01-01T00:03:00Z', 'acknowledged')],
    changes: [change('c1', '2026-01-01T00:00:00Z'), change('c2', '2026-01-01T00:02:00Z')],
  });
  assert.deepEqual(items.map((i) => (i.source === 'incident' ? i.entry.id : i.change.id)), ['c1', 'e1', 'e2', 'c2', 'e3']);
});

test('timeline entries in words', () => {
  const cases: Array<[string, Record<string, unknown>, { title: string; detail: string }]> = [
    ['note', { text: 'failed over' }, { title: 'Note', detail: 'failed over' }],
    ['note', { text: 'we are on it', public: true }, { title: 'Public update (on status pages)', detail: 'we are on it' }],
    ['state', { from: 'investigating', to: 'monitoring' }, { title: 'State changed', detail: 'investigating → monitoring' }],
    ['resolved', { from: 'identified' }, { title: 'Resolved', detail: 'from identified' }],
    ['root_cause', { node: 'service:s1', name: 'ledger', description: 'ledger is down while its dependencies are healthy' }, { title: 'Root cause changed', detail: 'ledger · ledger is down while its dependencies are healthy' }],
    ['notification_held', { rule: 'api-down', reason: 'root cause ledger is paging' }, { title: 'Notification held', detail: 'rule api-down · root cause ledger is paging' }],
    ['notice_sent', { services: ['web', 'api'] }, { title: 'Informational notice sent', detail: 'services web, api' }],
    ['acknowledged', {}, { title: 'Acknowledged', detail: '' }],
    ['some_new_kind', {}, { title: 'some new kind', detail: '' }],
  ];
  for (const [kind, payload, expected] of cases) assert.deepEqual(describeEntry({ kind, payload }), expected, kind);
});

test('an SLO is at risk under a quarter of its budget left, or when the API says at risk or breached; never without data', () => {
  const row = (status: string, remaining: number): SloWithStatus => ({
    slo: { id: 'slo_1' } as SloWithStatus['slo'],
    status: { status, error_budget: { allowed: 100, consumed: 100 - remaining, remaining_percent: remaining } } as SloWithStatus['status'],
  });
  const cases: Array<[SloWithStatus, boolean]> = [
    [row('ok', 80), false],
    [row('ok', 25), false],
    [row('ok', 24.9), true],
    [row('at_risk', 90), true],
    [row('breached', -10), true],
    [row('no_data', 0), false],
    [{ slo: { id: 'slo_2' } as SloWithStatus['slo'], error: 'not found' }, false],
  ];
  for (const [input, expected] of cases) assert.equal(sloAtRisk(input), expected, JSON.stringify(input.status ?? input.error));
});

