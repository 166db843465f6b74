import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateSlot, initialSlot, monitorState, worstState, type SlotCounters } from '../src/modules/state/state.machine.ts';
import type { ResultStatus } from '../src/contract/result.schema.ts';

const t0 = new Date('2026-01-01T00:00:00Z');
const run = (statuses: ResultStatus[], ft = 2, rt = 1, start: SlotCounters = initialSlot(t0)) => {
  let slot = start;
  const states: string[] = [];
  const confirmations: boolean[] = [];
  statuses.forEach((s, i) => {
    const step = evaluateSlot(slot, s, new Date(t0.getTime() + (i + 1) * 1000), { failure_threshold: ft, recovery_threshold: rt });
    slot = step.next;
    states.push(slot.state);
    confirmations.push(step.wantsConfirmation);
  });
  return { states, confirmations, slot };
};

const cases: Array<[string, ResultStatus[], number, number, string[]]> = [
  ['up on the first success', ['up'], 2, 1, ['up']],
  ['down after two failures', ['up', 'down', 'down'], 2, 1, ['up', 'up', 'down']],
  ['a single failure is not an outage', ['up', 'down', 'up', 'down'], 2, 1, ['up', 'up', 'up', 'up']],
  ['threshold 1 goes down at once', ['up', 'down'], 1, 1, ['up', 'down']],
  ['recovery needs its threshold', ['down', 'down', 'up', 'up'], 2, 2, ['unknown', 'down', 'down', 'up']],
  ['degraded after consecutive slow checks', ['up', 'degraded', 'degraded'], 2, 1, ['up', 'up', 'degraded']],
  ['down to degraded through recovery threshold', ['down', 'down', 'degraded'], 2, 1, ['unknown', 'down', 'degraded']],
  ['failure streak resets on degraded', ['up', 'down', 'degraded', 'down'], 2, 1, ['up', 'up', 'up', 'up']],
];
for (const [name, statuses, ft, rt, expected] of cases) {
  test(`slot: ${name}`, () => assert.deepEqual(run(statuses, ft, rt).states, expected));
}

test('slot: a first failure asks for confirmation, a down slot no longer does', () => {
  assert.deepEqual(run(['up', 'down', 'down', 'down']).confirmations, [false, true, false, false]);
});

test('slot: since moves only on a change', () => {
  const { slot } = run(['up', 'up', 'down', 'down']);
  assert.equal(slot.since.toISOString(), '2026-01-01T00:00:04.000Z');
});

const quorum: Array<[string, Parameters<typeof monitorState>, string]> = [
  ['one of two regions down with quorum 1', [['down', 'up'], 1, true], 'down'],
  ['one of two regions down with quorum 2', [['down', 'up'], 2, true], 'degraded'],
  ['both down with quorum 2', [['down', 'down'], 2, true], 'down'],
  ['quorum above the regions reporting', [['down'], 2, true], 'down'],
  ['degraded region', [['degraded', 'up'], 1, true], 'degraded'],
  ['no data', [[], 1, true], 'unknown'],
  ['unknown and up', [['unknown', 'up'], 1, true], 'up'],
  ['a silent region does not block the quorum', [['down', 'unknown'], 2, true], 'down'],
  ['quorum 2 of 3 reporting', [['down', 'up', 'up'], 2, true], 'degraded'],
  ['disabled', [['down'], 1, false], 'unknown'],
];
for (const [name, args, expected] of quorum) test(`monitor: ${name}`, () => assert.equal(monitorState(...args), expected));

test('service: worst of its monitors, unknown only when all are', () => {
  assert.equal(worstState(['up', 'down', 'degraded']), 'down');
  assert.equal(worstState(['up', 'unknown']), 'up');
  assert.equal(worstState(['unknown']), 'unknown');
  assert.equal(worstState([]), 'unknown');
});
