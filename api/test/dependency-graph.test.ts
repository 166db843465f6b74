import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cycleThrough } from '../src/modules/dependencies/dependency-graph.ts';

const edges = (...pairs: string[]) => pairs.map((p) => ({ from: p[0]!, to: p[1]! }));

test('no cycle in a chain', () => assert.equal(cycleThrough(edges('ab', 'bc'), 'c', 'd'), undefined));
test('a back edge closes a two-node cycle', () => assert.deepEqual(cycleThrough(edges('ab'), 'b', 'a'), ['b', 'a', 'b']));
test('a longer cycle is reported in order', () => assert.deepEqual(cycleThrough(edges('ab', 'bc'), 'c', 'a'), ['c', 'a', 'b', 'c']));
test('the shortest cycle is reported', () => assert.deepEqual(cycleThrough(edges('ab', 'bc', 'cd', 'ad'), 'd', 'a'), ['d', 'a', 'd']));
test('unrelated cycles are ignored', () => assert.equal(cycleThrough(edges('xy', 'yx'), 'a', 'b'), undefined));
