import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { Background } from '../src/background.ts';
import { createLogger } from '../src/observability/logger.ts';

// Background jobs outlive a database outage: a failing run is logged (once per streak, not once per
// tick), the job keeps its schedule, and its recovery is logged.

function capture() {
  const lines: Array<{ level: number; msg: string; job?: string; failures?: number }> = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      cb();
    },
  });
  return { lines, logger: createLogger('info', stream) };
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

test('a job failing with the database down keeps running, logs the streak once and its recovery', async () => {
  const { lines, logger } = capture();
  let runs = 0;
  const job = async () => {
    runs++;
    if (runs <= 5) throw refused();
  };
  const background = new Background([{ name: 'sweep', everyMs: 10, run: job }], logger);
  background.start();
  const deadline = Date.now() + 5_000;
  while (runs < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  await background.stop();
  assert.ok(runs >= 8, `the job kept its schedule through the failures (${runs} runs)`);
  const skipped = lines.filter((l) => l.msg === 'background job skipped: database unavailable');
  assert.equal(skipped.length, 1, 'one line for the whole streak');
  assert.equal(skipped[0]!.level, 40, 'a database outage is a warning');
  const recovered = lines.filter((l) => l.msg === 'background job recovered');
  assert.equal(recovered.length, 1);
  assert.equal(recovered[0]!.failures, 5);
});

test('a job that throws synchronously or fails with a bug is logged as an error and runs again', async () => {
  const { lines, logger } = capture();
  let runs = 0;
  const job = (): Promise<void> => {
    runs++;
    throw new TypeError('x is undefined');
  };
  const background = new Background([{ name: 'buggy', everyMs: 10, run: job }], logger);
  background.start();
  const deadline = Date.now() + 5_000;
  while (runs < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  await background.stop();
  assert.ok(runs >= 3);
  const failed = lines.filter((l) => l.msg === 'background job failed');
  assert.equal(failed.length, 1);
  assert.equal(failed[0]!.level, 50);
});
