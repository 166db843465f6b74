import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultInstanceSpec, dueAt, initialInstance, instanceKey, instanceSpecOf, stepInstance, type InstanceSpec, type InstanceState, type InstanceTransition } from '../src/modules/alerts/alert-instance.machine.ts';
import type { Outcome } from '../src/modules/alerts/evaluate.logic.ts';

const t0 = Date.parse('2026-12-01T09:00:00Z');
const s = 1000;
const m = 60 * s;
const T: Outcome = 'true';
const F: Outcome = 'false';
const N: Outcome = 'no_data';
const E: Outcome = 'error';

/** Feeds (seconds after t0, outcome) steps to a fresh instance; returns the state after each step and every transition (at in seconds). */
function run(steps: Array<[number, Outcome]>, spec: Partial<InstanceSpec> = {}, start: InstanceState = initialInstance(t0)) {
  const full = { ...defaultInstanceSpec, ...spec };
  let instance = start;
  const states: string[] = [];
  const transitions: Array<[string, string, number, string]> = [];
  for (const [sec, outcome] of steps) {
    const step = stepInstance(instance, outcome, t0 + sec * s, full);
    instance = step.next;
    states.push(instance.state);
    for (const t of step.transitions) transitions.push([t.from, t.to, (t.at - t0) / s, t.reason]);
  }
  return { states, transitions, instance };
}

type Case = [string, Partial<InstanceSpec>, Array<[number, Outcome]>, string[], Array<[string, string, number, string]>];
const cases: Case[] = [
  ['for 0: fires on the first true evaluation', {}, [[0, T]], ['firing'], [['inactive', 'firing', 0, 'condition_met']]],
  ['for 0: resolves on the first false evaluation', {}, [[0, T], [10, F]], ['firing', 'resolved'], [['inactive', 'firing', 0, 'condition_met'], ['firing', 'resolved', 10, 'condition_cleared']]],
  ['false while inactive records nothing', {}, [[0, F], [10, F]], ['inactive', 'inactive'], []],
  ['for 60s: pending, then firing exactly at active_at + 60s', { for_ms: 60 * s }, [[0, T], [30, T], [60, T]], ['pending', 'pending', 'firing'], [['inactive', 'pending', 0, 'condition_met'], ['pending', 'firing', 60, 'for_elapsed']]],
  ['for 60s: one millisecond short does not fire', { for_ms: 60 * s }, [[0, T], [59.999, T]], ['pending', 'pending'], [['inactive', 'pending', 0, 'condition_met']]],
  ['for 60s interrupted: the clock restarts at the next true', { for_ms: 60 * s }, [[0, T], [30, F], [60, T], [90, T], [119, T], [120, T]], ['pending', 'inactive', 'pending', 'pending', 'pending', 'firing'], [['inactive', 'pending', 0, 'condition_met'], ['pending', 'inactive', 30, 'condition_cleared'], ['inactive', 'pending', 60, 'condition_met'], ['pending', 'firing', 120, 'for_elapsed']]],
  ['firing stays firing while true, without new transitions', {}, [[0, T], [10, T], [20, T]], ['firing', 'firing', 'firing'], [['inactive', 'firing', 0, 'condition_met']]],
  ['resolved then true again: pending again, firing after for', { for_ms: 60 * s }, [[0, T], [60, T], [70, F], [80, T], [139, T], [140, T]], ['pending', 'firing', 'resolved', 'pending', 'pending', 'firing'], [['inactive', 'pending', 0, 'condition_met'], ['pending', 'firing', 60, 'for_elapsed'], ['firing', 'resolved', 70, 'condition_cleared'], ['resolved', 'pending', 80, 'condition_met'], ['pending', 'firing', 140, 'for_elapsed']]],
  ['resolved then true with for 0: straight back to firing', {}, [[0, T], [10, F], [20, F], [30, T]], ['firing', 'resolved', 'resolved', 'firing'], [['inactive', 'firing', 0, 'condition_met'], ['firing', 'resolved', 10, 'condition_cleared'], ['resolved', 'firing', 30, 'condition_met']]],
  ['keep_firing_for 60s: resolves exactly 60s after the condition turned false', { keep_firing_for_ms: 60 * s }, [[0, T], [10, F], [40, F], [69.999, F], [70, F]], ['firing', 'firing', 'firing', 'firing', 'resolved'], [['inactive', 'firing', 0, 'condition_met'], ['firing', 'resolved', 70, 'keep_firing_elapsed']]],
  ['keep_firing_for: true inside the window restarts the window', { keep_firing_for_ms: 60 * s }, [[0, T], [10, F], [60, T], [70, F], [120, F], [130, F]], ['firing', 'firing', 'firing', 'firing', 'firing', 'resolved'], [['inactive', 'firing', 0, 'condition_met'], ['firing', 'resolved', 130, 'keep_firing_elapsed']]],
  ['flapping without keep_firing_for: a page and a resolve per flap', {}, [[0, T], [10, F], [20, T], [30, F]], ['firing', 'resolved', 'firing', 'resolved'], [['inactive', 'firing', 0, 'condition_met'], ['firing', 'resolved', 10, 'condition_cleared'], ['resolved', 'firing', 20, 'condition_met'], ['firing', 'resolved', 30, 'condition_cleared']]],
  ['flapping with keep_firing_for 60s: one page, one resolve', { keep_firing_for_ms: 60 * s }, [[0, T], [10, F], [20, T], [30, F], [50, T], [60, F], [119, F], [120, F]], ['firing', 'firing', 'firing', 'firing', 'firing', 'firing', 'firing', 'resolved'], [['inactive', 'firing', 0, 'condition_met'], ['firing', 'resolved', 120, 'keep_firing_elapsed']]],
  ['flapping faster than for 60s never fires', { for_ms: 60 * s }, [[0, T], [30, F], [40, T], [70, F], [80, T]], ['pending', 'inactive', 'pending', 'inactive', 'pending'], [['inactive', 'pending', 0, 'condition_met'], ['pending', 'inactive', 30, 'condition_cleared'], ['inactive', 'pending', 40, 'condition_met'], ['pending', 'inactive', 70, 'condition_cleared'], ['inactive', 'pending', 80, 'condition_met']]],
  ['no_data (keep_last) while inactive: stays inactive, records nothing', {}, [[0, N], [3600, N], [3610, F]], ['inactive', 'inactive', 'inactive'], []],
  ['no_data (keep_last) while pending: does not fire even past for; the next true fires', { for_ms: 60 * s }, [[0, T], [30, N], [90, N], [100, T]], ['pending', 'pending', 'pending', 'firing'], [['inactive', 'pending', 0, 'condition_met'], ['pending', 'firing', 100, 'for_elapsed']]],
  ['no_data (keep_last) while firing: keeps firing until 15 min of no data, then resolves', {}, [[0, T], [60, N], [600, N], [959.999, N], [960, N]], ['firing', 'firing', 'firing', 'firing', 'resolved'], [['inactive', 'firing', 0, 'condition_met'], ['firing', 'resolved', 960, 'no_data_timeout']]],
  ['no_data (keep_last) while pending: back to inactive after the timeout', { for_ms: 30 * m }, [[0, T], [60, N], [960, N]], ['pending', 'pending', 'inactive'], [['inactive', 'pending', 0, 'condition_met'], ['pending', 'inactive', 960, 'no_data_timeout']]],
  ['no_data (keep_last): a decided evaluation restarts the timeout', {}, [[0, T], [60, N], [500, T], [600, N], [1499, N], [1500, N]], ['firing', 'firing', 'firing', 'firing', 'firing', 'resolved'], [['inactive', 'firing', 0, 'condition_met'], ['firing', 'resolved', 1500, 'no_data_timeout']]],
  ['no_data (keep_last) with a custom timeout of 1 min', { no_data_timeout_ms: m }, [[0, T], [10, N], [70, N]], ['firing', 'firing', 'resolved'], [['inactive', 'firing', 0, 'condition_met'], ['firing', 'resolved', 70, 'no_data_timeout']]],
  ['no_data (keep_last) while resolved: stays resolved past the timeout', {}, [[0, T], [10, F], [20, N], [2000, N]], ['firing', 'resolved', 'resolved', 'resolved'], [['inactive', 'firing', 0, 'condition_met'], ['firing', 'resolved', 10, 'condition_cleared']]],
  ['no_data (keep_last) with keep_firing_for: the keep window runs on, checked at the next false', { keep_firing_for_ms: 60 * s }, [[0, T], [10, F], [20, N], [80, N], [81, F]], ['firing', 'firing', 'firing', 'firing', 'resolved'], [['inactive', 'firing', 0, 'condition_met'], ['firing', 'resolved', 81, 'keep_firing_elapsed']]],
  ['no_data as ok: a firing instance resolves', { no_data: 'ok' }, [[0, T], [10, N]], ['firing', 'resolved'], [['inactive', 'firing', 0, 'condition_met'], ['firing', 'resolved', 10, 'condition_cleared']]],
  ['no_data as ok: a pending instance goes back to inactive', { no_data: 'ok', for_ms: m }, [[0, T], [10, N]], ['pending', 'inactive'], [['inactive', 'pending', 0, 'condition_met'], ['pending', 'inactive', 10, 'condition_cleared']]],
  ['no_data as alerting: fires (a dead man\'s switch)', { no_data: 'alerting' }, [[0, N]], ['firing'], [['inactive', 'firing', 0, 'condition_met']]],
  ['no_data as alerting with for 60s: pending, then firing', { no_data: 'alerting', for_ms: m }, [[0, N], [60, N]], ['pending', 'firing'], [['inactive', 'pending', 0, 'condition_met'], ['pending', 'firing', 60, 'for_elapsed']]],
  ['error while inactive / pending / firing changes nothing, however long', { for_ms: m }, [[0, E], [10, T], [100, E], [200, T], [300, E], [86_400, E]], ['inactive', 'pending', 'pending', 'firing', 'firing', 'firing'], [['inactive', 'pending', 10, 'condition_met'], ['pending', 'firing', 200, 'for_elapsed']]],
  ['error does not restart the no-data timeout', {}, [[0, T], [60, N], [500, E], [960, N]], ['firing', 'firing', 'firing', 'resolved'], [['inactive', 'firing', 0, 'condition_met'], ['firing', 'resolved', 960, 'no_data_timeout']]],
  ['a clock running backwards counts as no time elapsed', { for_ms: 60 * s }, [[100, T], [50, T], [159, T], [160, T]], ['pending', 'pending', 'pending', 'firing'], [['inactive', 'pending', 100, 'condition_met'], ['pending', 'firing', 160, 'for_elapsed']]],
];
for (const [name, spec, steps, states, transitions] of cases) {
  test(`instance: ${name}`, () => {
    const r = run(steps, spec);
    assert.deepEqual(r.states, states);
    assert.deepEqual(r.transitions, transitions);
  });
}

// Every state × (no_data under each policy, error): the next state and the reason of the transition,
// one evaluation after the instance got there (for 60s, so pending is reachable; well inside the timeout).
const reach: Record<string, Array<[number, Outcome]>> = {
  inactive: [[0, F]],
  pending: [[0, T]],
  firing: [[0, T], [60, T]],
  resolved: [[0, T], [60, T], [70, F]],
};
const matrix: Array<[string, 'keep_last' | 'ok' | 'alerting', Outcome, string, string | null]> = [
  ['inactive', 'keep_last', N, 'inactive', null],
  ['pending', 'keep_last', N, 'pending', null],
  ['firing', 'keep_last', N, 'firing', null],
  ['resolved', 'keep_last', N, 'resolved', null],
  ['inactive', 'ok', N, 'inactive', null],
  ['pending', 'ok', N, 'inactive', 'condition_cleared'],
  ['firing', 'ok', N, 'resolved', 'condition_cleared'],
  ['resolved', 'ok', N, 'resolved', null],
  ['inactive', 'alerting', N, 'pending', 'condition_met'],
  ['pending', 'alerting', N, 'firing', 'for_elapsed'],
  ['firing', 'alerting', N, 'firing', null],
  ['resolved', 'alerting', N, 'pending', 'condition_met'],
  ...(['inactive', 'pending', 'firing', 'resolved'] as const).flatMap((state) => (['keep_last', 'ok', 'alerting'] as const).map((policy): [string, typeof policy, Outcome, string, null] => [state, policy, E, state, null])),
];
for (const [state, policy, outcome, expected, reason] of matrix) {
  test(`instance: ${outcome} in ${state} under no_data=${policy} → ${expected}`, () => {
    const spec = { ...defaultInstanceSpec, for_ms: 60 * s, no_data: policy };
    const before = run(reach[state]!, spec).instance;
    assert.equal(before.state, state);
    const step = stepInstance(before, outcome, t0 + 100 * s, spec);
    assert.equal(step.next.state, expected);
    assert.deepEqual(step.transitions.map((t) => t.reason), reason ? [reason] : []);
  });
}

test('instance: transitions carry the outcome that caused them', () => {
  const spec = { ...defaultInstanceSpec, no_data: 'ok' as const };
  const fired = stepInstance(initialInstance(t0), 'true', t0, spec);
  const resolved = stepInstance(fired.next, 'no_data', t0 + s, spec);
  assert.deepEqual(resolved.transitions, [{ from: 'firing', to: 'resolved', at: t0 + s, reason: 'condition_cleared', outcome: 'no_data' }]);
  const timedOut = run([[0, T], [10, N], [910, N]]).instance;
  assert.equal(timedOut.state, 'resolved');
});

test('instance: the record keeps active_at, fired_at, false_since and since', () => {
  const { instance: firing } = run([[0, T], [60, T], [70, F]], { for_ms: 60 * s, keep_firing_for_ms: 5 * m });
  assert.deepEqual(firing, { state: 'firing', since: t0 + 60 * s, active_at: t0, fired_at: t0 + 60 * s, false_since: t0 + 70 * s, no_data_since: null });
  const { instance: resolved } = run([[0, T], [60, T], [70, F], [370, F]], { for_ms: 60 * s, keep_firing_for_ms: 5 * m });
  assert.deepEqual(resolved, { state: 'resolved', since: t0 + 370 * s, active_at: null, fired_at: t0 + 60 * s, false_since: null, no_data_since: null });
});

test('instanceSpecOf: a stored rule\'s durations in milliseconds, defaults for what is absent', () => {
  assert.deepEqual(instanceSpecOf({}), { for_ms: 0, keep_firing_for_ms: 0, no_data: 'keep_last', no_data_timeout_ms: 15 * m });
  assert.deepEqual(instanceSpecOf({ for_duration: '1m30s', keep_firing_for: '5m', no_data: 'ok', no_data_timeout: '1h' }), { for_ms: 90 * s, keep_firing_for_ms: 5 * m, no_data: 'ok', no_data_timeout_ms: 60 * m });
  assert.deepEqual(instanceSpecOf({ for_duration: '0s', keep_firing_for: null, no_data: null }), defaultInstanceSpec);
  assert.throws(() => instanceSpecOf({ for_duration: 'soon' }), /for_duration "soon" is not a duration/);
});

test('dueAt: when a tick with the same outcome could change the instance', () => {
  const spec = { ...defaultInstanceSpec, for_ms: 60 * s, keep_firing_for_ms: 120 * s };
  const at = (steps: Array<[number, Outcome]>) => {
    const due = dueAt(run(steps, spec).instance, spec);
    return due === null ? null : (due - t0) / s;
  };
  assert.equal(at([[0, F]]), null, 'inactive');
  assert.equal(at([[10, T]]), 70, 'pending: active_at + for');
  assert.equal(at([[10, T], [70, T]]), null, 'firing while true');
  assert.equal(at([[10, T], [70, T], [80, F]]), 200, 'firing while false: false_since + keep_firing_for');
  assert.equal(at([[10, T], [30, N]]), 30 + 900, 'pending in no data: the no-data timeout, not for');
  assert.equal(at([[10, T], [70, T], [80, N]]), 80 + 900, 'firing in no data: the no-data timeout');
  assert.equal(at([[10, T], [70, T], [80, F], [200, F]]), null, 'resolved');
  assert.equal(dueAt(run([[0, T], [10, N]], { ...spec, no_data: 'ok' }).instance, { ...spec, no_data: 'ok' }), null, 'no timeout under the ok policy');
});

// Property tests over random specs and random outcome sequences.
const allowed = new Set(['inactive>pending', 'inactive>firing', 'pending>firing', 'pending>inactive', 'firing>resolved', 'resolved>pending', 'resolved>firing']);
const specArb = fc.record({
  for_ms: fc.constantFrom(0, 1000, 30_000, 60_000, 300_000),
  keep_firing_for_ms: fc.constantFrom(0, 1000, 60_000, 600_000),
  no_data: fc.constantFrom('keep_last' as const, 'ok' as const, 'alerting' as const),
  no_data_timeout_ms: fc.constantFrom(60_000, 900_000),
});
const stepsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 400_000 }), fc.constantFrom<Outcome>('true', 'false', 'no_data', 'error')), { maxLength: 60 });

function play(spec: InstanceSpec, steps: Array<[number, Outcome]>) {
  let instance = initialInstance(t0);
  let now = t0;
  const transitions: InstanceTransition[] = [];
  for (const [delta, outcome] of steps) {
    now += delta;
    const prev = instance;
    const step = stepInstance(prev, outcome, now, spec);
    assert.ok(step.transitions.length <= 1, 'at most one transition per evaluation');
    const t = step.transitions[0];
    if (t) {
      assert.equal(t.from, prev.state);
      assert.equal(t.to, step.next.state);
      assert.equal(t.at, now);
      assert.equal(step.next.since, now);
    } else assert.equal(step.next.state, prev.state, 'a state change always comes with its transition');
    if (outcome === 'error') assert.deepEqual(step.next, prev, 'an error changes nothing');
    instance = step.next;
    transitions.push(...step.transitions);
  }
  return { instance, transitions, now };
}

test('property: only the edges of the diagram are taken; firing is left only for resolved', () => {
  fc.assert(
    fc.property(specArb, stepsArb, (spec, steps) => {
      const { transitions } = play(spec, steps);
      for (const t of transitions) assert.ok(allowed.has(`${t.from}>${t.to}`), `${t.from} → ${t.to}`);
      // Entering and leaving firing alternate: every page is resolved before the next one.
      const firingEdges = transitions.filter((t) => t.to === 'firing' || t.from === 'firing').map((t) => (t.to === 'firing' ? 'in' : 'out'));
      firingEdges.forEach((edge, i) => assert.equal(edge, i % 2 === 0 ? 'in' : 'out'));
    }),
    { seed: 8, numRuns: 400 },
  );
});

test('property: a firing instance whose condition ends is resolved once keep_firing_for has passed', () => {
  fc.assert(
    fc.property(specArb, stepsArb, (spec, steps) => {
      const played = play(spec, steps);
      const wasFiring = played.instance.state === 'firing';
      const a = stepInstance(played.instance, 'false', played.now + 1, spec);
      const b = stepInstance(a.next, 'false', played.now + 1 + spec.keep_firing_for_ms, spec);
      assert.ok(b.next.state === 'inactive' || b.next.state === 'resolved', b.next.state);
      if (wasFiring) assert.equal([...a.transitions, ...b.transitions].filter((t) => t.from === 'firing' && t.to === 'resolved').length, 1);
    }),
    { seed: 8, numRuns: 400 },
  );
});

test('property: nothing fires through pending before the condition has been true for for_duration', () => {
  fc.assert(
    fc.property(specArb, stepsArb, (spec, steps) => {
      const { transitions } = play(spec, steps);
      let pendingAt: number | undefined;
      for (const t of transitions) {
        if (t.to === 'pending') pendingAt = t.at;
        if (t.from === 'pending' && t.to === 'firing') assert.ok(pendingAt !== undefined && t.at - pendingAt >= spec.for_ms);
      }
    }),
    { seed: 8, numRuns: 400 },
  );
});

test('instanceKey: the same labels in any order give the same key; anything else differs', () => {
  const a = instanceKey('rule-1', { monitor: 'api', region: 'us-east-1', team: 'payments' });
  assert.match(a, /^[0-9a-f]{32}$/);
  assert.equal(instanceKey('rule-1', { team: 'payments', region: 'us-east-1', monitor: 'api' }), a);
  assert.notEqual(instanceKey('rule-2', { monitor: 'api', region: 'us-east-1', team: 'payments' }), a);
  assert.notEqual(instanceKey('rule-1', { monitor: 'api', region: 'us-west-2', team: 'payments' }), a);
  assert.notEqual(instanceKey('rule-1', { monitor: 'api', region: 'us-east-1' }), a);
  assert.notEqual(instanceKey('rule-1', { a: 'b,c' }), instanceKey('rule-1', { a: 'b', c: '' }));
  assert.notEqual(instanceKey('rule-1', { a: 'b' }), instanceKey('rule-1a', { '': 'b' }));
  assert.equal(instanceKey('rule-1', {}), instanceKey('rule-1', {}));
});

test('instanceKey: stable across processes and releases (stored keys stay valid)', () => {
  // sha256('["01JRULE",[["monitor","checkout-api"],["region","us-east-1"]]]'), first 32 hex digits.
  assert.equal(instanceKey('01JRULE', { region: 'us-east-1', monitor: 'checkout-api' }), '286d628ddc58bdb83a9f8d89c1d76d76');
  assert.equal(instanceKey('01JRULE', {}), '9af9b4440517ef1f2f96445cd7ab86e9');
});

test('property: instanceKey ignores label order and separates distinct label sets', () => {
  const labels = fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 5 });
  fc.assert(
    fc.property(fc.string({ minLength: 1, maxLength: 8 }), labels, labels, (rule, x, y) => {
      const reversed = Object.fromEntries(Object.entries(x).reverse());
      assert.equal(instanceKey(rule, reversed), instanceKey(rule, x));
      const same = JSON.stringify(Object.entries(x).sort()) === JSON.stringify(Object.entries(y).sort());
      assert.equal(instanceKey(rule, x) === instanceKey(rule, y), same);
    }),
    { seed: 8, numRuns: 500 },
  );
});
