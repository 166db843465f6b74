import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileMatcher, type Matcher } from '../src/modules/routing/matchers.ts';
import { buildRoutingTrees, groupKeyOf, routeAlert, type Route } from '../src/modules/routing/routing-tree.ts';
import type { StoredPolicy } from '../src/modules/routing/stored-policy.ts';

const m = (label: string, operator: Matcher['operator'], value: string): Matcher => ({ label, operator, value });

const matcherCases: Array<[string, Matcher, Record<string, string>, boolean]> = [
  ['= equal', m('severity', '=', 'critical'), { severity: 'critical' }, true],
  ['= different', m('severity', '=', 'critical'), { severity: 'warning' }, false],
  ['= "" matches a missing label', m('region', '=', ''), { severity: 'critical' }, true],
  ['= "" does not match a set label', m('region', '=', ''), { region: 'eu' }, false],
  ['!= different', m('team', '!=', 'a'), { team: 'b' }, true],
  ['!= missing label reads as ""', m('team', '!=', 'a'), {}, true],
  ['!= equal', m('team', '!=', 'a'), { team: 'a' }, false],
  ['=~ anchored: whole value', m('service', '=~', 'check'), { service: 'checkout' }, false],
  ['=~ alternation', m('service', '=~', 'checkout|payments'), { service: 'payments' }, true],
  ['=~ alternation is anchored as a whole', m('service', '=~', 'a|b'), { service: 'ab' }, false],
  ['=~ .* matches a missing label', m('service', '=~', '.*'), {}, true],
  ['=~ .+ does not match a missing label', m('service', '=~', '.+'), {}, false],
  ['!~ match', m('env', '!~', 'dev|staging'), { env: 'prod' }, true],
  ['!~ no match', m('env', '!~', 'dev|staging'), { env: 'dev' }, false],
  ['=~ broken pattern matches nothing', m('env', '=~', '(unclosed'), { env: '(unclosed' }, false],
  ['!~ broken pattern matches nothing', m('env', '!~', '(unclosed'), { env: 'x' }, false],
  ['label names are not prototype members', m('constructor', '=', ''), {}, true],
];
for (const [name, matcher, labels, expected] of matcherCases) test(`matcher: ${name}`, () => assert.equal(compileMatcher(matcher)(labels), expected));

let seq = 0;
const policy = (name: string, team: string | null, spec: Record<string, unknown> = {}): StoredPolicy => ({
  id: `rpo_${name}`,
  name,
  team_id: team ? `team_${team}` : null,
  team_name: team,
  spec: { name, ...(team ? { team_id: `team_${team}` } : { scope: 'organization' }), priority: 100, matchers: [], channel_ids: [], group_by: [], continue: false, mute_time_window_ids: [], ...spec, _n: seq++ },
});
const paths = (routes: Route[]) => routes.map((r) => r.policyIds.map((id) => id.slice(4)).join('>'));

// One organization: two teams and the organization fallback tree.
const org = [
  policy('a-root', 'a', { channel_ids: ['chn_a'], group_by: ['alertname'], group_wait: '10s', mute_time_window_ids: ['mwn_nightly'], impact_notices: true }),
  policy('a-critical', 'a', { parent_id: 'rpo_a-root', priority: 10, matchers: [m('severity', '=', 'critical')], channel_ids: ['chn_a_pager'] }),
  policy('a-db', 'a', { parent_id: 'rpo_a-root', priority: 20, matchers: [m('service', '=~', 'db-.*')], continue: true, group_interval: '1m' }),
  policy('a-db-eu', 'a', { parent_id: 'rpo_a-db', matchers: [m('region', '=', 'eu')], channel_ids: ['chn_a_eu'], repeat_interval: '1h' }),
  policy('a-audit', 'a', { parent_id: 'rpo_a-root', priority: 30, matchers: [m('service', '=~', 'db-.*')] }),
  policy('a-late', 'a', { parent_id: 'rpo_a-root', priority: 40, channel_ids: ['chn_a_late'] }),
  policy('b-checkout', 'b', { matchers: [m('service', '=', 'checkout')], channel_ids: ['chn_b'], group_by: ['...'] }),
  policy('org-multi', null, { matchers: [m('impact', '=', 'multi-service')], channel_ids: ['chn_leads'], continue: true }),
  policy('org-rest', null, { channel_ids: ['chn_ops'], priority: 200 }),
];
const trees = buildRoutingTrees(org);

const routeCases: Array<[string, Record<string, string>, string[]]> = [
  ['a node with no matching child is the route', { team: 'a', severity: 'warning', service: 'web' }, ['a-root>a-late']],
  ['first matching child wins (priority order)', { team: 'a', severity: 'critical', service: 'db-main' }, ['a-root>a-critical']],
  ['continue goes on to the next sibling; depth first', { team: 'a', severity: 'warning', service: 'db-main', region: 'eu' }, ['a-root>a-db>a-db-eu', 'a-root>a-audit']],
  ['a matched node whose children do not match is the route', { team: 'a', severity: 'warning', service: 'db-main', region: 'us' }, ['a-root>a-db', 'a-root>a-audit']],
  ['another team\'s tree is never used', { team: 'b', service: 'web' }, ['org-rest']],
  ['team b takes its own alert', { team: 'b', service: 'checkout' }, ['b-checkout']],
  ['an alert of a team without policies goes to the fallback', { team: 'c', service: 'checkout' }, ['org-rest']],
  ['an alert without a team label goes to the fallback', { service: 'checkout' }, ['org-rest']],
  ['fallback continue: both organization policies', { team: 'c', impact: 'multi-service' }, ['org-multi', 'org-rest']],
  ['a team that takes an alert keeps it from the fallback', { team: 'b', service: 'checkout', impact: 'multi-service' }, ['b-checkout']],
];
for (const [name, labels, expected] of routeCases) test(`route: ${name}`, () => assert.deepEqual(paths(routeAlert(trees, labels)), expected));

test('route: nothing takes an alert when no tree matches', () => {
  const only = buildRoutingTrees([policy('b-checkout', 'b', { matchers: [m('service', '=', 'checkout')] })]);
  assert.deepEqual(routeAlert(only, { team: 'b', service: 'web' }), []);
  assert.deepEqual(routeAlert(buildRoutingTrees([]), { team: 'a' }), []);
});

test('inheritance: unset values come from the parent, set ones override', () => {
  const [eu, audit] = routeAlert(trees, { team: 'a', service: 'db-main', region: 'eu' });
  assert.deepEqual(eu, {
    policyIds: ['rpo_a-root', 'rpo_a-db', 'rpo_a-db-eu'], channelIds: ['chn_a_eu'], groupBy: ['alertname'], groupWaitMs: 10_000,
    groupIntervalMs: 60_000, repeatIntervalMs: 3_600_000, muteTimeWindowIds: ['mwn_nightly'], scope: 'team', impactNotices: true,
  });
  assert.deepEqual(audit!.channelIds, ['chn_a'], 'no channels of its own: the parent\'s');
  assert.equal(audit!.groupIntervalMs, 300_000, 'a sibling\'s group_interval is not inherited');
});

test('defaults: group_wait 1s, group_interval 5m, repeat_interval 4h, grouped by alertname and service', () => {
  const [route] = routeAlert(trees, { team: 'c' });
  assert.deepEqual(route, {
    policyIds: ['rpo_org-rest'], channelIds: ['chn_ops'], groupBy: ['alertname', 'service'], groupWaitMs: 1000, groupIntervalMs: 300_000,
    repeatIntervalMs: 14_400_000, muteTimeWindowIds: [], scope: 'organization', impactNotices: false,
  });
});

test('group_by ["..."] groups by all labels', () => {
  const [route] = routeAlert(trees, { team: 'b', service: 'checkout' });
  assert.equal(route!.groupBy, 'all');
  const a = groupKeyOf(route!, { team: 'b', service: 'checkout', instance: '1' });
  const b = groupKeyOf(route!, { instance: '2', service: 'checkout', team: 'b' });
  assert.notEqual(a.key, b.key);
  assert.deepEqual(a.groupLabels, { instance: '1', service: 'checkout', team: 'b' });
});

test('sibling order: priority ascending, then name, then id', () => {
  const siblings = buildRoutingTrees([
    policy('zeta', 't', { priority: 5 }),
    policy('beta', 't', { priority: 7 }),
    policy('alpha', 't', { priority: 7 }),
  ]);
  assert.deepEqual(paths(routeAlert(siblings, { team: 't' })), ['zeta']);
  const ties = buildRoutingTrees([policy('beta', 't', { priority: 7 }), policy('alpha', 't', { priority: 7 })]);
  assert.deepEqual(paths(routeAlert(ties, { team: 't' })), ['alpha']);
});

test('a policy whose parent is in another tree is a top-level policy of its own tree', () => {
  const mixed = buildRoutingTrees([policy('x', 'a'), policy('y', 'b', { parent_id: 'rpo_x', channel_ids: ['chn_y'] })]);
  assert.deepEqual(paths(routeAlert(mixed, { team: 'b' })), ['y']);
  assert.deepEqual(paths(routeAlert(mixed, { team: 'a' })), ['x']);
});

test('policies on a parent cycle are unreachable and do not hang the build', () => {
  const cycle = buildRoutingTrees([policy('p', 'a', { parent_id: 'rpo_q' }), policy('q', 'a', { parent_id: 'rpo_p' })]);
  assert.deepEqual(routeAlert(cycle, { team: 'a' }), []);
});

const groupCases: Array<[string, string[], Record<string, string>, Record<string, string>]> = [
  ['only the group_by labels', ['alertname', 'service'], { alertname: 'Down', service: 'db', region: 'eu' }, { alertname: 'Down', service: 'db' }],
  ['a missing group label is left out', ['alertname', 'service'], { alertname: 'Down' }, { alertname: 'Down' }],
  ['no labels: one group', ['alertname'], {}, {}],
];
for (const [name, groupBy, labels, expected] of groupCases) {
  test(`group: ${name}`, () => {
    const route: Route = { policyIds: ['rpo_x'], channelIds: [], groupBy, groupWaitMs: 0, groupIntervalMs: 0, repeatIntervalMs: 0, muteTimeWindowIds: [], scope: 'team', impactNotices: false };
    assert.deepEqual(groupKeyOf(route, labels).groupLabels, expected);
  });
}

test('group keys: equal group labels share a key, the order labels come in does not matter, routes do not share', () => {
  const route: Route = { policyIds: ['rpo_a', 'rpo_b'], channelIds: [], groupBy: ['alertname', 'service'], groupWaitMs: 0, groupIntervalMs: 0, repeatIntervalMs: 0, muteTimeWindowIds: [], scope: 'team', impactNotices: false };
  const one = groupKeyOf(route, { alertname: 'Down', service: 'db', monitor: 'm1' });
  const two = groupKeyOf(route, { monitor: 'm2', service: 'db', alertname: 'Down' });
  assert.equal(one.key, two.key);
  assert.notEqual(one.key, groupKeyOf(route, { alertname: 'Down', service: 'web' }).key);
  assert.notEqual(one.key, groupKeyOf({ ...route, policyIds: ['rpo_a'] }, { alertname: 'Down', service: 'db' }).key);
  // A value containing the separators cannot collide with another label set.
  assert.notEqual(groupKeyOf(route, { alertname: 'a","service', service: '' }).key, groupKeyOf(route, { alertname: 'a', service: '' }).key);
});
