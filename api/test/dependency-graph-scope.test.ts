import { test } from 'node:test';
import assert from 'node:assert/strict';
import { graphScope } from '../src/modules/dependencies/dependency-graph.service.ts';

// Which edges a scoped dependency graph keeps and which services it shows as neighbours: every edge
// with an end in scope, and the other end of each when it is out of scope.

const e = (from: string, to: string) => ({ service_id: from, depends_on_service_id: to });
const cases: Array<{ name: string; edges: Array<ReturnType<typeof e>>; scope: string[] | undefined; kept: number[]; neighbours: string[] }> = [
  { name: 'no scope: everything, no neighbours', edges: [e('a', 'b'), e('c', 'd')], scope: undefined, kept: [0, 1], neighbours: [] },
  { name: 'an outgoing edge brings its target', edges: [e('a', 'b')], scope: ['a'], kept: [0], neighbours: ['b'] },
  { name: 'an incoming edge brings its dependent', edges: [e('x', 'a')], scope: ['a'], kept: [0], neighbours: ['x'] },
  { name: 'an edge inside the scope brings no neighbour', edges: [e('a', 'b')], scope: ['a', 'b'], kept: [0], neighbours: [] },
  { name: 'an edge between two neighbours is left out (direct neighbours only)', edges: [e('a', 'b'), e('b', 'c'), e('c', 'a')], scope: ['a'], kept: [0, 2], neighbours: ['b', 'c'] },
  { name: 'a chain: only one hop', edges: [e('a', 'b'), e('b', 'c'), e('c', 'd')], scope: ['a'], kept: [0], neighbours: ['b'] },
  { name: 'an empty scope keeps nothing', edges: [e('a', 'b')], scope: [], kept: [], neighbours: [] },
  { name: 'a cycle of two in and out of scope', edges: [e('a', 'b'), e('b', 'a')], scope: ['b'], kept: [0, 1], neighbours: ['a'] },
];

for (const c of cases) {
  test(`graphScope: ${c.name}`, () => {
    const got = graphScope(c.edges, c.scope ? new Set(c.scope) : undefined);
    assert.deepEqual(got.edges, c.kept);
    assert.deepEqual([...got.neighbours].sort(), c.neighbours);
  });
}
