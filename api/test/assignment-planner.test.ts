import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monitorSpec } from '../src/modules/monitors/monitor-spec.ts';
import { monitorSlots, planAssignments, slotKey, unplaceable, type PlannedSlot, type PlannerRunner } from '../src/modules/runner/assignment.planner.ts';

const all = ['http', 'tcp', 'dns', 'tls', 'multistep'];
const runner = (id: string, region = 'r1', labels: Record<string, string> = {}): PlannerRunner => ({ id, region, labels, capabilities: all });
const slots = (n: number, region = 'r1', selector: Record<string, string> = {}): PlannedSlot[] =>
  Array.from({ length: n }, (_, i) => ({ monitorId: `m${String(i).padStart(3, '0')}`, region, selector, type: 'http' }));
const loads = (plan: Map<string, string>) => {
  const l: Record<string, number> = {};
  for (const r of plan.values()) l[r] = (l[r] ?? 0) + 1;
  return l;
};

test('every slot gets exactly one runner of its region, balanced', () => {
  const plan = planAssignments(slots(100), [runner('a'), runner('b'), runner('c')], new Map());
  assert.equal(plan.size, 100);
  const l = loads(plan);
  assert.ok(Math.max(...Object.values(l)) - Math.min(...Object.values(l)) <= 1, JSON.stringify(l));
});

test('slots stay with their live runner', () => {
  const first = planAssignments(slots(50), [runner('a'), runner('b')], new Map());
  const second = planAssignments(slots(50), [runner('a'), runner('b')], first);
  assert.deepEqual([...second], [...first]);
});

test("a dead runner's slots move to the live ones, the others stay put", () => {
  const first = planAssignments(slots(60), [runner('a'), runner('b'), runner('c')], new Map());
  const second = planAssignments(slots(60), [runner('a'), runner('b')], first);
  assert.equal(second.size, 60);
  for (const [key, owner] of first) if (owner !== 'c') assert.equal(second.get(key), owner, `${key} moved although its runner lives`);
  assert.ok(![...second.values()].includes('c'));
});

test('a new runner takes its share', () => {
  const first = planAssignments(slots(60), [runner('a')], new Map());
  const second = planAssignments(slots(60), [runner('a'), runner('b')], first);
  assert.deepEqual(loads(second), { a: 30, b: 30 });
});

test('zone selectors pick only runners with that label; no eligible runner means unassigned', () => {
  const s = [...slots(4, 'r1', { zone: 'fulfillment' }), ...slots(2, 'r2')];
  s[4]!.monitorId = 'x1';
  s[5]!.monitorId = 'x2';
  const plan = planAssignments(s, [runner('a', 'r1'), runner('f', 'r1', { zone: 'fulfillment' })], new Map());
  for (let i = 0; i < 4; i++) assert.equal(plan.get(slotKey(s[i]!.monitorId, 'r1')), 'f');
  assert.equal(plan.has(slotKey('x1', 'r2')), false, 'no runner in r2');
});

test('a runner without the capability is not chosen', () => {
  const plan = planAssignments([{ monitorId: 'm', region: 'r1', selector: {}, type: 'dns' }], [{ ...runner('a'), capabilities: ['http'] }, runner('b')], new Map());
  assert.equal(plan.get(slotKey('m', 'r1')), 'b');
});

test('a partial plan places changed slots on the least-loaded runner, counting everything else it owns', () => {
  const plan = planAssignments(slots(2), [runner('a'), runner('b')], new Map(), new Map([['a', 10], ['b', 3]]));
  assert.deepEqual([...plan.values()], ['b', 'b']);
  const kept = planAssignments(slots(1), [runner('a'), runner('b')], new Map([[slotKey('m000', 'r1'), 'a']]), new Map([['a', 10], ['b', 0]]));
  assert.equal(kept.get(slotKey('m000', 'r1')), 'a', 'an edited monitor stays where it runs');
});

// Zones: a runner whose labels name a zone sits in a network namespace of its own. The fleet of the
// report: two regional runners and a fulfillment zone runner in us-east-1, 125 general and 5 zone slots.
const fleet = () => {
  const general = slots(125, 'use1');
  const zone = slots(5, 'use1', { zone: 'fulfillment' }).map((s, i) => ({ ...s, monitorId: `z${i}` }));
  return { general, zone, all: [...general, ...zone] };
};
const ownersOf = (plan: Map<string, string>, list: readonly PlannedSlot[]) => new Set(list.map((s) => plan.get(slotKey(s.monitorId, s.region))));

const zoneCases: Array<{ name: string; runners: PlannerRunner[]; general: string[]; zone: string[] }> = [
  {
    name: 'a zone runner never takes general slots',
    runners: [runner('a', 'use1'), runner('b', 'use1'), runner('f', 'use1', { zone: 'fulfillment' })],
    general: ['a', 'b'],
    zone: ['f'],
  },
  {
    name: 'a zone runner whose token serves the general pool takes its share of general slots too',
    runners: [runner('a', 'use1'), runner('b', 'use1'), { ...runner('f', 'use1', { zone: 'fulfillment' }), servesGeneralPool: true }],
    general: ['a', 'b', 'f'],
    zone: ['f'],
  },
  {
    name: 'a zone monitor runs only on its zone, never on a general runner or another zone',
    runners: [runner('a', 'use1'), { ...runner('g', 'use1', { zone: 'billing' }), servesGeneralPool: true }, runner('f', 'use1', { zone: 'fulfillment' })],
    general: ['a', 'g'],
    zone: ['f'],
  },
];

for (const c of zoneCases) {
  test(`zones: ${c.name}`, () => {
    const { general, zone, all } = fleet();
    const plan = planAssignments(all, c.runners, new Map());
    assert.equal(plan.size, all.length, 'every slot is placed');
    assert.deepEqual([...ownersOf(plan, general)].sort(), c.general);
    assert.deepEqual([...ownersOf(plan, zone)], c.zone);
    const l = loads(plan);
    const generalLoads = c.general.map((id) => general.filter((s) => plan.get(slotKey(s.monitorId, s.region)) === id).length);
    assert.ok(Math.max(...generalLoads) - Math.min(...generalLoads) <= 1 + (c.zone.some((z) => c.general.includes(z)) ? zone.length : 0), JSON.stringify(l));
  });
}

test('zones: the general slots are balanced over the general runners only, and a second plan moves nothing', () => {
  const { all, general } = fleet();
  const runners = [runner('a', 'use1'), runner('b', 'use1'), runner('f', 'use1', { zone: 'fulfillment' })];
  const first = planAssignments(all, runners, new Map());
  const l = loads(first);
  assert.deepEqual({ f: l.f }, { f: 5 }, 'the zone runner owns its 5 zone slots and nothing else (the report: 65 of 130)');
  assert.ok(Math.abs(l.a! - l.b!) <= 1, JSON.stringify(l));
  assert.equal(l.a! + l.b!, general.length);
  // One cap for the whole region (130 / 3) made the general runners shed slots to each other on every plan.
  const second = planAssignments(all, runners, first);
  assert.deepEqual([...second].sort(), [...first].sort());
});

test('zones: when the general runners die their slots are not moved into the zone, and are reported', () => {
  const { all, general, zone } = fleet();
  const zoneRunner = runner('f', 'use1', { zone: 'fulfillment' });
  const first = planAssignments(all, [runner('a', 'use1'), runner('b', 'use1'), zoneRunner], new Map());
  const second = planAssignments(all, [zoneRunner], first);
  for (const s of general) assert.equal(second.has(slotKey(s.monitorId, s.region)), false, `${s.monitorId} ran from inside the zone`);
  for (const s of zone) assert.equal(second.get(slotKey(s.monitorId, s.region)), 'f');
  assert.deepEqual(unplaceable(all, [zoneRunner]).map((s) => s.monitorId), general.map((s) => s.monitorId));
});

const gapCases: Array<{ name: string; slot: PlannedSlot; runners: PlannerRunner[]; reported: boolean }> = [
  { name: 'a zone monitor in a region without that zone', slot: { monitorId: 'm', region: 'usw2', selector: { zone: 'fulfillment' }, type: 'http' }, runners: [runner('f', 'use1', { zone: 'fulfillment' }), runner('a', 'usw2')], reported: true },
  { name: 'a general monitor in a region with only a zone runner', slot: { monitorId: 'm', region: 'use1', selector: {}, type: 'http' }, runners: [runner('f', 'use1', { zone: 'fulfillment' })], reported: true },
  { name: 'a general monitor in a region with a zone runner that serves the general pool', slot: { monitorId: 'm', region: 'use1', selector: {}, type: 'http' }, runners: [{ ...runner('f', 'use1', { zone: 'fulfillment' }), servesGeneralPool: true }], reported: false },
  { name: 'a region with no runner at all', slot: { monitorId: 'm', region: 'euw1', selector: {}, type: 'http' }, runners: [runner('a', 'use1')], reported: true },
  { name: 'a runner of the zone without the check type', slot: { monitorId: 'm', region: 'use1', selector: { zone: 'fulfillment' }, type: 'dns' }, runners: [{ ...runner('f', 'use1', { zone: 'fulfillment' }), capabilities: ['http'] }], reported: true },
  { name: 'a zone monitor with its zone runner', slot: { monitorId: 'm', region: 'use1', selector: { zone: 'fulfillment' }, type: 'http' }, runners: [runner('f', 'use1', { zone: 'fulfillment' })], reported: false },
];

for (const c of gapCases) {
  test(`no runner: ${c.name} is ${c.reported ? '' : 'not '}reported`, () => {
    assert.equal(unplaceable([c.slot], c.runners).length, c.reported ? 1 : 0);
    assert.equal(planAssignments([c.slot], c.runners, new Map()).has(slotKey(c.slot.monitorId, c.slot.region)), !c.reported);
  });
}

test('slots of a monitor: listed regions as written; none listed, the regions whose runners can run it', () => {
  const live = [runner('a', 'use1'), runner('f', 'use1', { zone: 'fulfillment' }), runner('b', 'usw2'), runner('g', 'euw1', { zone: 'fulfillment' })];
  const regions = (stored: unknown, type = 'http') => monitorSlots('m', type, monitorSpec(stored), live).map((s) => s.region);
  assert.deepEqual(regions({ regions: ['usw2', 'apse1'] }), ['usw2', 'apse1']);
  assert.deepEqual(regions({}), ['use1', 'usw2'], 'a general monitor is not placed in a region where only a zone runs');
  assert.deepEqual(regions({ run_from: { zone: 'fulfillment' } }), ['euw1', 'use1']);
  assert.deepEqual(regions({ run_from: { zone: 'billing' } }), ['euw1', 'use1', 'usw2'], 'no runner of the zone anywhere: every live region, so the gap is reported');
  assert.deepEqual(regions({ enabled: false }), []);
  assert.deepEqual(regions({}, 'heartbeat'), []);
  assert.deepEqual(monitorSlots('m', 'http', monitorSpec({ run_from: { zone: 'fulfillment', labels: { tier: '1' } } }), live)[0]!.selector, { tier: '1', zone: 'fulfillment' });
});
