import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { CheckResult } from '../../api/src/contract/index.ts';
import type { QueuedResult } from '../src/results/result.queue.ts';
import { ResultSpool, type ResultSpoolOptions } from '../src/results/result.spool.ts';

const result = (n: number, body = ''): CheckResult => ({
  id: `res_${String(n).padStart(26, '0')}`,
  monitor_id: 'mon_01J00000000000000000000000',
  region: 'eu-west-1',
  started_at: '2026-12-01T08:00:00.000Z',
  status: 'up',
  duration_ms: n,
  ...(body ? { error: { code: 'x', message: body } } : {}),
});
const queued = (n: number, runnerId = 'run_a', body = ''): QueuedResult => ({ runnerId, result: result(n, body) });
const ids = (entries: QueuedResult[]) => entries.map((e) => e.result.duration_ms);

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pharos-spool-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function openSpool(options: Partial<ResultSpoolOptions> = {}) {
  const drops: number[] = [];
  const skipped: { file: string; count: number }[] = [];
  const errors: Error[] = [];
  const spool = new ResultSpool({
    dir,
    maxResults: 1000,
    maxBytes: 10 * 1024 * 1024,
    onDrop: (e) => drops.push(e.result.duration_ms),
    onSkipped: (file, count) => skipped.push({ file, count }),
    onError: (err) => errors.push(err),
    ...options,
  });
  const { recovered } = await spool.open();
  return { spool, recovered, drops, skipped, errors };
}

const files = () => readdirSync(dir).sort();
const diskUse = () => files().reduce((n, f) => n + statSync(join(dir, f)).size, 0);

describe('result spool', () => {
  it('reads back what a previous process appended, in order, with the runner id each was produced under', async () => {
    const first = await openSpool();
    first.spool.push(queued(1, 'run_a'));
    first.spool.push(queued(2, 'run_a'));
    first.spool.push(queued(3, 'run_b'));
    await first.spool.close();
    const second = await openSpool();
    assert.equal(second.recovered, 3);
    const back = second.spool.peek(10);
    assert.deepEqual(ids(back), [1, 2, 3]);
    assert.deepEqual(back.map((e) => e.runnerId), ['run_a', 'run_a', 'run_b']);
    assert.deepEqual(back[2]!.result, result(3));
    await second.spool.close();
  });

  it('forgets acknowledged results and deletes segment files once everything in them is acknowledged', async () => {
    const s = await openSpool();
    for (let n = 1; n <= 5; n++) s.spool.push(queued(n));
    await s.spool.commit();
    assert.equal(s.spool.acknowledge([result(1).id, result(3).id, 'res_unknown']), 2);
    assert.deepEqual(ids(s.spool.peek(10)), [2, 4, 5]);
    await s.spool.commit();
    assert.ok(files().some((f) => f.endsWith('.acks')), 'acknowledgements are recorded beside their segment');
    const reopened = await openSpool();
    assert.deepEqual(ids(reopened.spool.peek(10)), [2, 4, 5], 'acknowledged results do not come back after a restart');
    reopened.spool.acknowledge(reopened.spool.peek(10).map((e) => e.result.id));
    await reopened.spool.commit();
    await s.spool.close();
    await reopened.spool.close();
    assert.deepEqual(files(), [], 'a drained spool leaves no files behind');
    assert.equal(reopened.spool.diskBytes, 0);
  });

  it('never writes a result acknowledged before its commit', async () => {
    const s = await openSpool({ commitDelayMs: 10_000 });
    s.spool.push(queued(1));
    s.spool.acknowledge([result(1).id]);
    await s.spool.commit();
    assert.deepEqual(files(), []);
    await s.spool.close();
  });

  it('is bounded by count: the oldest results are evicted and counted, also across a restart with a lower limit', async () => {
    const s = await openSpool({ maxResults: 3 });
    for (let n = 1; n <= 5; n++) s.spool.push(queued(n));
    assert.equal(s.spool.depth, 3);
    assert.deepEqual(ids(s.spool.peek(10)), [3, 4, 5]);
    assert.deepEqual(s.drops, [1, 2]);
    assert.equal(s.spool.dropped, 2);
    await s.spool.close();
    const again = await openSpool({ maxResults: 3 });
    assert.deepEqual(ids(again.spool.peek(10)), [3, 4, 5], 'evicted results do not come back');
    await again.spool.close();
    const smaller = await openSpool({ maxResults: 2 });
    assert.deepEqual(ids(smaller.spool.peek(10)), [4, 5]);
    assert.deepEqual(smaller.drops, [3]);
    await smaller.spool.close();
  });

  it('is bounded by bytes on disk: the oldest segment is evicted, the newest results stay', async () => {
    const maxBytes = 64 * 1024;
    const s = await openSpool({ maxBytes, segmentBytes: 8 * 1024 });
    const body = 'x'.repeat(900); // about 1.2 kB per record
    for (let n = 1; n <= 400; n++) {
      s.spool.push(queued(n, 'run_a', body));
      if (n % 25 === 0) await s.spool.commit();
      assert.ok(s.spool.diskBytes <= maxBytes, `accounted bytes within the bound after ${n}: ${s.spool.diskBytes}`);
    }
    await s.spool.commit();
    assert.ok(diskUse() <= maxBytes, `files within the bound: ${diskUse()} bytes`);
    assert.ok(s.drops.length > 300, `evicted: ${s.drops.length}`);
    assert.equal(s.drops.length + s.spool.depth, 400, 'every result is either kept or counted as dropped');
    assert.deepEqual(s.drops, [...s.drops].sort((a, b) => a - b), 'oldest first');
    assert.equal(ids(s.spool.peek(1000)).at(-1), 400, 'the newest result is kept');
    await s.spool.close();
    const back = await openSpool({ maxBytes, segmentBytes: 8 * 1024 });
    assert.deepEqual(ids(back.spool.peek(1000)), ids(s.spool.peek(1000)));
    await back.spool.close();
  });

  it('skips a torn last record and a damaged one, keeps the rest, and never appends to the damaged file', async () => {
    const s = await openSpool();
    for (let n = 1; n <= 4; n++) s.spool.push(queued(n));
    await s.spool.commit();
    // Simulate a crash mid-write (half a record, no newline) and a damaged byte in record 2.
    const [segment] = files();
    const path = join(dir, segment!);
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[1] = lines[1]!.replace('"duration_ms":2', '"duration_ms":7');
    writeFileSync(path, lines.join('\n'));
    appendFileSync(path, lines[0]!.slice(0, 40));
    const back = await openSpool();
    assert.equal(back.recovered, 3);
    assert.deepEqual(ids(back.spool.peek(10)), [1, 3, 4]);
    assert.deepEqual(back.skipped, [{ file: segment, count: 2 }]);
    back.spool.push(queued(5));
    await back.spool.commit();
    assert.equal(files().filter((f) => f.endsWith('.results')).length, 2, 'the new process writes a new segment');
    const third = await openSpool();
    assert.deepEqual(ids(third.spool.peek(10)), [1, 3, 4, 5]);
    await Promise.all([s.spool.close(), back.spool.close(), third.spool.close()]);
  });

  it('survives a process that stopped without closing (as after SIGKILL): everything committed is there', async () => {
    const s = await openSpool({ commitDelayMs: 5 });
    for (let n = 1; n <= 50; n++) s.spool.push(queued(n));
    s.spool.acknowledge([result(1).id]);
    await new Promise((r) => setTimeout(r, 200)); // the group commit ran on its own
    // No close(): the next process opens the same directory.
    const back = await openSpool();
    assert.equal(back.recovered, 49);
    assert.deepEqual(ids(back.spool.peek(100)), Array.from({ length: 49 }, (_, i) => i + 2));
    await back.spool.close();
  });

  it('a writer killed with SIGKILL mid-write loses nothing it had committed, and the spool opens cleanly', async () => {
    const fixture = fileURLToPath(new URL('./helpers/spool-writer.fixture.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let committed = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const all = [...chunk.matchAll(/committed (\d+)/g)];
      if (all.length) committed = Number(all.at(-1)![1]);
    });
    const exited = new Promise((r) => child.once('exit', r));
    const deadline = Date.now() + 30_000;
    while (committed < 5_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await exited;
    assert.ok(committed >= 5_000, `the writer got going: ${committed}`);
    const back = await openSpool({ maxResults: 1_000_000, maxBytes: 512 * 1024 * 1024 });
    assert.ok(back.recovered >= committed, `every committed result is back: ${back.recovered} of ${committed}`);
    process.stdout.write(`# spool SIGKILL: ${committed} committed when killed, ${back.recovered} read back, ${back.skipped.length} torn line(s) skipped\n`);
    const got = ids(back.spool.peek(1_000_000));
    assert.deepEqual(got, Array.from({ length: got.length }, (_, i) => i + 1), 'in order, without gaps or repeats');
    assert.ok(back.skipped.every((s) => s.count === 1), `at most the torn last line of a file is skipped: ${JSON.stringify(back.skipped)}`);
    await back.spool.close();
  });

  it('ignores files that are not its own and removes acknowledgements whose segment is gone', async () => {
    writeFileSync(join(dir, 'README'), 'not a segment');
    writeFileSync(join(dir, '0000000000000007.acks'), 'garbage\n');
    const s = await openSpool();
    assert.equal(s.recovered, 0);
    assert.deepEqual(files(), ['README']);
    await s.spool.close();
  });
});
