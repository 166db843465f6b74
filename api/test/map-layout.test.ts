import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packRows, teamOrder } from '../src/web/console/components/map-layout.ts';

// Where the dependency map puts its team boxes (pure): dependency order, then rows that fit the
// canvas's shape.

test('teams come after the teams that depend on them; ties keep their order', () => {
  const cases: Array<[string, string[], Array<[string, string]>, string[]]> = [
    ['no dependencies', ['a', 'b', 'c'], [], ['a', 'b', 'c']],
    ['a chain, given backwards', ['c', 'b', 'a'], [['a', 'b'], ['b', 'c']], ['a', 'b', 'c']],
    ['longest path wins', ['x', 'y', 'z'], [['x', 'z'], ['x', 'y'], ['y', 'z']], ['x', 'y', 'z']],
    ['self and unknown teams are ignored', ['a', 'b'], [['a', 'a'], ['a', 'nope'], ['b', 'a']], ['b', 'a']],
  ];
  for (const [name, teams, deps, expected] of cases) assert.deepEqual(teamOrder(teams, deps), expected, name);
});

test('a cycle between teams still gives every team once, in a finite number of steps', () => {
  const order = teamOrder(['a', 'b', 'c', 'd'], [['a', 'b'], ['b', 'c'], ['c', 'a'], ['c', 'd']]);
  assert.deepEqual([...order].sort(), ['a', 'b', 'c', 'd']);
  assert.equal(order[0], 'a', 'the cycle is broken where the walk entered it');
  assert.equal(order.at(-1), 'd');
});

test('boxes are packed left to right in rows no wider than the aspect asks, never overlapping', () => {
  const boxes = Array.from({ length: 6 }, (_, i) => ({ id: `t${i}`, w: 400, h: 200 + (i % 2) * 100 }));
  const wide = packRows(boxes, 2, { x: 50, y: 30 });
  const rows = new Set([...wide.values()].map((p) => p.y));
  assert.equal(rows.size, 2, 'a wide canvas: two rows of three');
  assert.deepEqual(wide.get('t0'), { x: 0, y: 0 });
  assert.deepEqual(wide.get('t1'), { x: 450, y: 0 });
  assert.deepEqual(wide.get('t3'), { x: 0, y: 330 }, 'the next row starts below the tallest box of the row and the gap');
  const tall = packRows(boxes, 0.5, { x: 50, y: 30 });
  assert.equal(new Set([...tall.values()].map((p) => p.y)).size, 6, 'a phone: one box a row');
  for (const placed of [wide, tall]) {
    const rects = boxes.map((b) => ({ ...placed.get(b.id)!, w: b.w, h: b.h }));
    for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) {
      const a = rects[i]!;
      const b = rects[j]!;
      assert.ok(!(a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h), `boxes ${i} and ${j} overlap`);
    }
  }
  const one = packRows([{ id: 'big', w: 5000, h: 10 }, { id: 'small', w: 10, h: 10 }], Number.NaN, { x: 10, y: 10 });
  assert.deepEqual(one.get('big'), { x: 0, y: 0 }, 'a box wider than the row still gets a place');
  assert.equal(packRows([], 1, { x: 0, y: 0 }).size, 0);
});
