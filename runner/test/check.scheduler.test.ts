import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import { CheckScheduler, maxRoundsPerWake, type ScheduledJob, type SchedulerOptions, type SkipReason } from '../src/schedule/check.scheduler.ts';
import { nextSlotAt, phaseOffsetMs } from '../src/schedule/phase.spread.ts';
import { MinHeap } from '../src/schedule/schedule.heap.ts';
import { createSystemClock } from '../src/schedule/clock.port.ts';
import { FakeClock } from './helpers/fake.clock.ts';

type Payload = { v: number };

/** A scheduler on a fake clock that records every job it starts. */
function setup(options: Partial<SchedulerOptions<Payload>> = {}) {
  const clock = new FakeClock();
  const jobs: ScheduledJob<Payload>[] = [];
  const lateness: number[] = [];
  const skips: [string, SkipReason, number][] = [];
  const scheduler = new CheckScheduler<Payload>({
    clock,
    maxConcurrent: 10_000,
    execute: async (job) => void jobs.push(job),
    onLateness: (ms) => lateness.push(ms),
    onSkip: (id, reason, count) => skips.push([id, reason, count]),
    ...options,
  });
  return { clock, jobs, lateness, skips, scheduler };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('schedule heap', () => {
  it('pops in ascending order whatever the insertion order', () => {
    const heap = new MinHeap<number>((a, b) => a - b);
    let seed = 42;
    const values: number[] = [];
    for (let i = 0; i < 500; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      values.push(seed % 1000);
      heap.push(seed % 1000);
    }
    const popped: number[] = [];
    while (heap.size > 0) popped.push(heap.pop()!);
    assert.deepEqual(popped, [...values].sort((a, b) => a - b));
    assert.equal(heap.pop(), undefined);
  });
});

describe('phase spread', () => {
  it('is stable per id, within the interval, and slots are epoch-aligned', () => {
    assert.equal(phaseOffsetMs('mon_a', 30_000), phaseOffsetMs('mon_a', 30_000));
    assert.notEqual(phaseOffsetMs('mon_a', 30_000), phaseOffsetMs('mon_b', 30_000));
    const phase = phaseOffsetMs('mon_a', 30_000);
    assert.ok(phase >= 0 && phase < 30_000);
    assert.equal(nextSlotAt(1_000, 30_000, 500), 30_500);
    assert.equal(nextSlotAt(30_500, 30_000, 500), 30_500, 'a slot exactly now is taken now');
    assert.equal(nextSlotAt(30_501, 30_000, 500), 60_500);
  });

  it('is the first 48 bits of the id\'s SHA-256 modulo the interval, so every runner version agrees', () => {
    const reference = (id: string, intervalMs: number) => createHash('sha256').update(id).digest().readUIntBE(0, 6) % intervalMs;
    const cases: Array<[string, number]> = [['mon_a', 30_000], ['mon_b', 60_000], ['', 5_000], ['mon_01JABCDEFGHJKMNPQRSTVWXYZ0', 86_400_000], ['mön_ünïcode', 10_000]];
    for (let i = 0; i < 200; i++) cases.push([`mon_${i.toString(36)}`, 5_000 + i * 997]);
    for (const [id, interval] of cases) assert.equal(phaseOffsetMs(id, interval), reference(id, interval), `${id} at ${interval} ms`);
  });

  it('spreads 1,000 monitors at 30 s over the interval instead of firing them together', async () => {
    const { clock, jobs, scheduler } = setup();
    for (let i = 0; i < 1000; i++) scheduler.upsert(`mon_${i}`, 30_000, { v: i });
    assert.equal(clock.pending, 1, 'one timer for all monitors');
    await clock.advance(30_000);
    assert.equal(jobs.length, 1000, 'each monitor ran once in its first interval');
    assert.equal(new Set(jobs.map((j) => j.id)).size, 1000);
    // 30 one-second buckets hold ~33 each; everything in one bucket would be the thundering herd.
    const buckets = new Array<number>(30).fill(0);
    for (const job of jobs) buckets[Math.floor((job.scheduledAt % 30_000) / 1000)]! += 1;
    assert.ok(Math.max(...buckets) <= 70, `busiest second had ${Math.max(...buckets)} checks`);
    assert.ok(Math.min(...buckets) >= 8, `quietest second had ${Math.min(...buckets)} checks`);
    // Start times within any 5 ms window stay small.
    const starts = jobs.map((j) => j.startedAt).sort((a, b) => a - b);
    let worst = 0;
    for (let i = 0, j = 0; i < starts.length; i++) {
      while (starts[i]! - starts[j]! > 5) j++;
      worst = Math.max(worst, i - j + 1);
    }
    assert.ok(worst <= 10, `${worst} checks started within 5 ms`);
    void scheduler.stop();
  });
});

describe('check scheduler', () => {
  it('keeps a fixed cadence with no drift even when every wake-up is late', async () => {
    const { clock, jobs, lateness, scheduler } = setup();
    clock.fireOffsetMs = 7; // every timer fires 7 ms late
    scheduler.upsert('mon_a', 10_000, { v: 1 });
    await clock.advance(1_000_000);
    assert.equal(jobs.length, 100);
    const first = jobs[0]!.scheduledAt;
    jobs.forEach((job, k) => {
      assert.equal(job.scheduledAt, first + k * 10_000, `run ${k} is due exactly k intervals after the first`);
      assert.equal(job.startedAt, job.scheduledAt + 7, 'lateness does not accumulate');
    });
    assert.equal(first % 10_000, phaseOffsetMs('mon_a', 10_000));
    assert.ok(lateness.every((l) => l === 7));
    void scheduler.stop();
  });

  it('takes a slot when the timer fires up to 1 ms early, without a second wake-up', async () => {
    const { clock, jobs, scheduler } = setup({ coalesceMs: 1 });
    clock.fireOffsetMs = -1;
    scheduler.upsert('mon_a', 10_000, { v: 1 });
    scheduler.upsert('mon_b', 10_000, { v: 2 });
    await clock.advance(100_000);
    assert.equal(jobs.length, 20);
    assert.equal(clock.fired, 20, 'one wake-up per run: no re-arm spin after an early fire');
    void scheduler.stop();
  });

  it('coalesces everything due within the window into one wake-up', async () => {
    const phases: Record<string, number> = { a: 1000, b: 1002, c: 1004, d: 1010 };
    const { clock, jobs, scheduler } = setup({ coalesceMs: 5, phaseOf: (id) => phases[id]! });
    for (const id of Object.keys(phases)) scheduler.upsert(id, 60_000, { v: 0 });
    await clock.advance(60_000);
    assert.deepEqual(jobs.map((j) => j.id), ['a', 'b', 'c', 'd']);
    assert.equal(clock.fired, 2, 'a, b and c share a wake-up; d gets its own');
    assert.equal(jobs[1]!.startedAt, jobs[0]!.startedAt);
    assert.equal(jobs[2]!.startedAt, jobs[0]!.startedAt);
    void scheduler.stop();
  });

  it('takes slots that fall due while a wake-up starts its batch in that same wake-up', async () => {
    // Each start holds the (fake) loop for 8 ms, like checks whose synchronous part is slow.
    const phases: Record<string, number> = { a: 1000, b: 1010, c: 1020, d: 1040 };
    const holder: { clock?: FakeClock } = {};
    const { clock, jobs, lateness, scheduler } = setup({
      phaseOf: (id) => phases[id]!,
      execute: async (job) => {
        jobs.push(job);
        holder.clock!.jump(8);
      },
    });
    holder.clock = clock;
    for (const id of Object.keys(phases)) scheduler.upsert(id, 60_000, { v: 0 });
    await clock.advance(scheduler.nextDueAt('a')! - clock.now() + 100);
    assert.deepEqual(jobs.map((j) => j.id), ['a', 'b', 'c', 'd']);
    // a starts at 1000 and holds until 1008: b (due 1010) is within the window then, c once b is done.
    assert.equal(clock.fired, 2, 'a, b and c share one wake-up; d, due 12 ms after c started, gets its own');
    assert.deepEqual(lateness, [0, 0, 0, 0], 'nothing waited for a second wake-up');
    assert.deepEqual(jobs.map((j) => j.scheduledAt % 60_000), [1000, 1010, 1020, 1040], 'due times stay on their phases');
    void scheduler.stop();
  });

  it(`hands the loop back after ${maxRoundsPerWake} rounds of starting work, and loses nothing`, async () => {
    const holder: { clock?: FakeClock } = {};
    const { clock, jobs, scheduler } = setup({
      phaseOf: (id) => 1000 + Number(id.slice(1)) * 10,
      execute: async (job) => {
        jobs.push(job);
        holder.clock!.jump(10);
      },
    });
    holder.clock = clock;
    const count = 2 * maxRoundsPerWake + 3;
    for (let i = 0; i < count; i++) scheduler.upsert(`m${i}`, 60_000, { v: i });
    await clock.advance(scheduler.nextDueAt('m0')! - clock.now() + 1000);
    assert.equal(jobs.length, count, 'every monitor ran once');
    assert.deepEqual(jobs.map((j) => j.id), Array.from({ length: count }, (_, i) => `m${i}`), 'in due order');
    assert.equal(clock.fired, 3, 'a wake-up ends after its last round; the next one continues');
    void scheduler.stop();
  });

  it('places a batch of monitors after computing every phase, so a long hand-over makes no run late', async () => {
    // Each phase computation holds the (fake) loop for 10 ms: 100 monitors take 1 s to hand over,
    // and each monitor's phase comes up 5 ms after its own computation ended.
    const holder: { clock?: FakeClock } = {};
    const handOver = (batch: boolean) => {
      const { clock, jobs, lateness, scheduler } = setup({
        phaseOf: (id) => {
          holder.clock!.jump(10);
          return (holder.clock!.now() + 5) % 60_000;
        },
      });
      holder.clock = clock;
      const entries = Array.from({ length: 100 }, (_, i) => ({ id: `m${i}`, intervalMs: 60_000, payload: { v: i } }));
      const start = clock.now();
      if (batch) scheduler.upsertMany(entries);
      else entries.forEach((e) => scheduler.upsert(e.id, e.intervalMs, e.payload));
      return { clock, jobs, lateness, scheduler, start, end: clock.now() };
    };

    const one = handOver(false);
    await one.clock.advance(120_000);
    assert.ok(Math.max(...one.lateness) >= 900, 'one at a time: the first monitors\' slots pass while the rest are hashed');
    void one.scheduler.stop();

    const batch = handOver(true);
    assert.equal(batch.end - batch.start, 1000);
    await batch.clock.advance(120_000);
    assert.deepEqual(new Set(batch.lateness), new Set([0]), 'no run started late');
    assert.equal(new Set(batch.jobs.map((j) => j.id)).size, 100, 'every monitor ran');
    assert.ok(batch.jobs.every((j) => j.scheduledAt >= batch.end), 'first runs are due after the hand-over');
    for (let i = 0; i < 100; i++) {
      const first = batch.jobs.find((j) => j.id === `m${i}`)!;
      assert.equal(first.scheduledAt % 60_000, (batch.start + 10 * (i + 1) + 5) % 60_000, `m${i} is on its phase`);
    }
    void batch.scheduler.stop();
  });

  it('applies upsert\'s rules to each entry of a batch: same interval keeps the cadence, a new one moves it', async () => {
    const { clock, jobs, scheduler } = setup();
    scheduler.upsert('a', 10_000, { v: 1 });
    scheduler.upsert('b', 10_000, { v: 1 });
    const dueA = scheduler.nextDueAt('a');
    scheduler.upsertMany([{ id: 'a', intervalMs: 10_000, payload: { v: 2 } }, { id: 'b', intervalMs: 20_000, payload: { v: 2 } }, { id: 'c', intervalMs: 10_000, payload: { v: 2 } }]);
    assert.equal(scheduler.nextDueAt('a'), dueA, 'same interval: same next due');
    assert.equal(scheduler.nextDueAt('b')! % 20_000, phaseOffsetMs('b', 20_000));
    assert.equal(scheduler.nextDueAt('c')! % 10_000, phaseOffsetMs('c', 10_000));
    assert.throws(() => scheduler.upsertMany([{ id: 'd', intervalMs: 10_000, payload: { v: 3 } }, { id: 'e', intervalMs: 1, payload: { v: 3 } }]), RangeError);
    assert.equal(scheduler.nextDueAt('d'), undefined, 'a rejected batch changes nothing');
    await clock.advance(40_000);
    assert.equal(jobs.filter((j) => j.id === 'b').length, 2, 'b runs on the 20 s cadence only');
    assert.ok(jobs.every((j) => j.payload.v === 2));
    assert.equal(clock.pending, 1);
    void scheduler.stop();
  });

  it('keeps cadence when a monitor is updated, replaced or re-added, and moves it on an interval change', async () => {
    const { clock, jobs, scheduler } = setup();
    scheduler.upsert('mon_a', 10_000, { v: 1 });
    const due = scheduler.nextDueAt('mon_a')!;
    await clock.advance(25_000);
    const dueAfterRuns = scheduler.nextDueAt('mon_a')!;
    assert.equal((dueAfterRuns - due) % 10_000, 0);

    scheduler.upsert('mon_a', 10_000, { v: 2 });
    assert.equal(scheduler.nextDueAt('mon_a'), dueAfterRuns, 'same interval: same next due');
    await clock.advance(dueAfterRuns - clock.now());
    assert.equal(jobs.at(-1)!.payload.v, 2, 'the next run sees the new configuration');

    scheduler.remove('mon_a');
    assert.equal(scheduler.nextDueAt('mon_a'), undefined);
    await clock.advance(3_000);
    scheduler.upsert('mon_a', 10_000, { v: 3 });
    assert.equal((scheduler.nextDueAt('mon_a')! - due) % 10_000, 0, 're-added: same phase as before');

    const runs = jobs.length;
    scheduler.upsert('mon_a', 20_000, { v: 4 });
    assert.equal(scheduler.nextDueAt('mon_a')! % 20_000, phaseOffsetMs('mon_a', 20_000));
    await clock.advance(40_000);
    assert.equal(jobs.length - runs, 2, 'the old 10 s slot is gone, only the 20 s cadence runs');
    void scheduler.stop();
  });

  it('does not run a removed monitor', async () => {
    const { clock, jobs, scheduler } = setup();
    scheduler.upsert('mon_a', 10_000, { v: 1 });
    scheduler.remove('mon_a');
    await clock.advance(50_000);
    assert.equal(jobs.length, 0);
    void scheduler.stop();
  });

  it('runs now on request, ahead of the cadence and without changing it', async () => {
    const { clock, jobs, lateness, scheduler } = setup();
    scheduler.upsert('mon_a', 60_000, { v: 1 });
    const due = scheduler.nextDueAt('mon_a');
    assert.equal(scheduler.runNow('mon_a'), true);
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]!.immediate, true);
    assert.equal(jobs[0]!.startedAt, clock.now());
    assert.equal(scheduler.nextDueAt('mon_a'), due);
    assert.equal(lateness.length, 0, 'immediate runs are not scheduling lateness');
    assert.equal(scheduler.runNow('unknown'), false, 'nothing to run without a payload');
    assert.equal(scheduler.runNow('other', { v: 9 }), true, 'an unscheduled monitor can run with a payload');
    void scheduler.stop();
  });

  it('limits concurrent runs, queues the rest, and records the wait as lateness', async () => {
    const releases: (() => void)[] = [];
    const started: string[] = [];
    const { clock, lateness, scheduler } = setup({
      maxConcurrent: 2,
      phaseOf: () => 0,
      execute: (job) => {
        started.push(job.id);
        return new Promise<void>((resolve) => releases.push(resolve));
      },
    });
    for (const id of ['a', 'b', 'c', 'd', 'e']) scheduler.upsert(id, 60_000, { v: 0 });
    await clock.advance(scheduler.nextDueAt('a')! - clock.now());
    assert.deepEqual(started, ['a', 'b']);
    assert.deepEqual(scheduler.stats(), { scheduled: 5, queued: 3, inFlight: 2 });
    await clock.advance(100);
    releases[0]!();
    await flush();
    assert.deepEqual(started, ['a', 'b', 'c']);
    assert.equal(lateness.at(-1), 100, 'c waited 100 ms for a slot');
    assert.equal(scheduler.runNow('e'), true);
    releases[1]!();
    await flush();
    assert.equal(started.at(-1), 'e', 'an immediate run jumps the queue');
    releases.forEach((r) => r());
    await flush();
    releases.forEach((r) => r());
    await scheduler.stop();
  });

  it('skips a run while the previous one of the same monitor is still in flight', async () => {
    const releases: (() => void)[] = [];
    const { clock, skips, scheduler } = setup({
      execute: () => new Promise<void>((resolve) => releases.push(resolve)),
    });
    scheduler.upsert('mon_a', 10_000, { v: 0 });
    await clock.advance(30_000);
    assert.equal(releases.length, 1, 'only one run in flight');
    assert.ok(skips.filter(([, reason]) => reason === 'still_running').length >= 2);
    releases[0]!();
    await flush();
    await clock.advance(10_000);
    assert.equal(releases.length, 2, 'runs resume once the slow one finished');
    releases.forEach((r) => r());
    await scheduler.stop();
  });

  it('skips missed slots after a stall instead of firing a burst', async () => {
    const { clock, jobs, skips, scheduler } = setup({ phaseOf: () => 0 });
    scheduler.upsert('mon_a', 10_000, { v: 0 });
    await clock.advance(5_000);
    assert.equal(jobs.length, 1);
    clock.jump(55_000);
    await clock.advance(0);
    assert.equal(jobs.length, 2, 'one catch-up run, not five');
    assert.deepEqual(skips.at(-1), ['mon_a', 'fell_behind', 5]);
    assert.equal(scheduler.nextDueAt('mon_a')! % 10_000, 0, 'still on the original phase');
    void scheduler.stop();
  });

  it('keeps one timer armed however many monitors come and go', async () => {
    const { clock, scheduler } = setup();
    for (let i = 0; i < 200; i++) scheduler.upsert(`m${i}`, 5_000 + i, { v: i });
    for (let i = 0; i < 200; i += 2) scheduler.remove(`m${i}`);
    assert.equal(clock.pending, 1);
    await clock.advance(20_000);
    assert.equal(clock.pending, 1);
    void scheduler.stop().then(() => assert.equal(clock.pending, 0));
  });
});

describe('check scheduler on the system clock', () => {
  it('runs on real timers at exact cadence with small lateness', async () => {
    const runs = new Map<string, number[]>();
    const lateness: number[] = [];
    const clock = createSystemClock();
    const scheduler = new CheckScheduler<null>({
      clock,
      maxConcurrent: 10,
      execute: async (job) => void runs.set(job.id, [...(runs.get(job.id) ?? []), job.scheduledAt]),
      onLateness: (ms) => lateness.push(ms),
    });
    for (let i = 0; i < 5; i++) scheduler.upsert(`real_${i}`, 200, null);
    await new Promise((r) => setTimeout(r, 1100));
    await scheduler.stop();
    for (const [id, times] of runs) {
      assert.ok(times.length >= 4 && times.length <= 6, `${id} ran ${times.length} times in 1.1 s at 200 ms`);
      times.slice(1).forEach((t, k) => assert.equal(t - times[k]!, 200, 'due times are exact multiples'));
    }
    assert.equal(runs.size, 5);
    // Generous bound for a shared 2-core machine; a per-monitor setTimeout drift bug shows up as seconds.
    assert.ok(Math.max(...lateness) < 100, `max lateness ${Math.max(...lateness)} ms`);
  });
});
