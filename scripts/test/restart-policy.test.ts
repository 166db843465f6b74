import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultRestartPolicy, failuresAfterExit, restartDelayMs } from '../start/restart.policy.ts';

test('restart delays double from 1 s and stop at 30 s', () => {
  const cases: [failures: number, delayMs: number][] = [[1, 1_000], [2, 2_000], [3, 4_000], [4, 8_000], [5, 16_000], [6, 30_000], [7, 30_000], [1_000, 30_000]];
  for (const [failures, delayMs] of cases) assert.equal(restartDelayMs(failures), delayMs, `after ${failures} failures`);
});

test('a child that stayed up for a minute starts the backoff again; a quick crash continues it', () => {
  const cases: [previous: number, uptimeMs: number, next: number][] = [
    [0, 500, 1],
    [3, 500, 4],
    [5, defaultRestartPolicy.stableMs - 1, 6],
    [5, defaultRestartPolicy.stableMs, 1],
    [12, 3_600_000, 1],
  ];
  for (const [previous, uptimeMs, next] of cases) assert.equal(failuresAfterExit(previous, uptimeMs), next, `${previous} failures, up ${uptimeMs} ms`);
});
