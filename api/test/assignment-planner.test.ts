import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planAssignments, slotKey, type PlannedSlot, type PlannerRunner } from '../src/modules/runner/assignment.planner.ts';

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
