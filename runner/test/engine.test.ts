import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { CheckResult } from '../../api/src/contract/index.ts';
import { createEngine, createResultBuffer, createRunnerMetrics, type RunnerMonitor } from '../src/engine.ts';
import { FakeClock } from './helpers/fake.clock.ts';
import { startHttpFixture, type HttpFixture } from './helpers/http.fixture.ts';

let fx: HttpFixture;
let tcp: net.Server;
let tcpPort: number;

before(async () => {
  fx = await startHttpFixture();
  tcp = net.createServer((s) => s.destroy());
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  tcpPort = (tcp.address() as net.AddressInfo).port;
});
after(async () => {
  await fx.close();
  tcp.close();
});

/** Waits (bounded) for real I/O started by fake-clock wake-ups to finish. */
async function until(condition: () => boolean, what: string, timeoutMs = 4000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const id = (n: number) => `mon_${String(n).padStart(26, '0')}`;

describe('engine', () => {
  it('schedules assigned monitors, pushes full results to the sink and counts them', async () => {
    const clock = new FakeClock();
    const metrics = createRunnerMetrics();
    const buffer = createResultBuffer(100, () => metrics.recordDropped());
    metrics.setGaugeSources({ bufferDepth: () => buffer.depth });
    const engine = createEngine({ region: 'eu-west-1', sink: (r) => buffer.push(r), metrics, clock });
    const monitors: RunnerMonitor[] = [
      { id: id(1), type: 'http', interval_seconds: 30, timeout_seconds: 2, http: { url: `${fx.baseUrl}/json` } },
      { id: id(2), type: 'http', interval_seconds: 30, timeout_seconds: 2, http: { url: `${fx.baseUrl}/status/500` } },
      { id: id(3), type: 'tcp', interval_seconds: 30, timeout_seconds: 2, tcp: { host: '127.0.0.1', port: tcpPort } },
      { id: id(4), type: 'heartbeat', interval_seconds: 30, heartbeat: { period_seconds: 60 } },
      { id: id(5), type: 'http', enabled: false, interval_seconds: 30, http: { url: `${fx.baseUrl}/json` } },
    ];
    engine.setMonitors(monitors);
    assert.equal(engine.stats().scheduled, 3, 'heartbeat and disabled monitors are not run by runners');

    await clock.advance(30_000);
    await until(() => buffer.depth === 3, 'three results');
    const results = new Map(buffer.peek(10).map((r) => [r.monitor_id, r]));
    assert.equal(results.get(id(1))?.status, 'up');
    assert.equal(results.get(id(2))?.status, 'down');
    assert.equal(results.get(id(2))?.error?.code, 'http_error');
    assert.equal(results.get(id(3))?.status, 'up');
    for (const r of results.values()) {
      assert.equal(r.region, 'eu-west-1');
      assert.match(r.id, /^res_[0-9A-HJKMNP-TV-Z]{26}$/);
      assert.ok(!Number.isNaN(Date.parse(r.started_at)));
    }

    const text = await metrics.render();
    assert.match(text, /^pharos_runner_checks_total\{type="http",status="up"\} 1$/m);
    assert.match(text, /^pharos_runner_check_failures_total\{type="http",code="http_error"\} 1$/m);
    assert.match(text, /^pharos_runner_checks_total\{type="tcp",status="up"\} 1$/m);
    assert.match(text, /^pharos_runner_schedule_lateness_seconds_count 3$/m);
    assert.match(text, /^pharos_runner_result_buffer_depth 3$/m);
    assert.match(text, /^pharos_runner_monitors_scheduled 3$/m);

    // New assignments: monitor 1 gone, monitor 2 fixed. The fix applies on its existing cadence.
    buffer.acknowledge(buffer.peek(10).map((r) => r.id));
    engine.setMonitors([{ ...monitors[1]!, http: { url: `${fx.baseUrl}/json` } }, monitors[2]!]);
    assert.equal(engine.stats().scheduled, 2);
    await clock.advance(30_000);
    await until(() => buffer.depth === 2, 'two more results');
    const second = buffer.peek(10);
    assert.deepEqual(second.map((r) => r.monitor_id).sort(), [id(2), id(3)]);
    assert.equal(second.find((r) => r.monitor_id === id(2))?.status, 'up');
    await engine.stop();
  });

  it('runs a confirmation check now and returns it, also to the sink', async () => {
    const sink: CheckResult[] = [];
    const engine = createEngine({ region: 'us-east-1', sink: (r) => sink.push(r) });
    const m: RunnerMonitor = { id: id(10), type: 'http', interval_seconds: 3600, timeout_seconds: 2, http: { url: `${fx.baseUrl}/status/503` } };
    const result = await engine.runNow(m, { confirmation: true });
    assert.equal(result.confirmation, true);
    assert.equal(result.status, 'down');
    assert.deepEqual(sink, [result]);

    engine.upsertMonitor({ ...m, http: { url: `${fx.baseUrl}/json` } });
    const byId = await engine.runNow(m.id);
    assert.equal(byId.status, 'up', 'by id, the scheduled configuration runs');
    assert.equal(byId.confirmation, undefined);
    await assert.rejects(engine.runNow('mon_unknown'), /not scheduled/);

    // With every slot busy, two requests for the same monitor share one queued run.
    const busy = createEngine({ region: 'r', sink: () => {}, maxConcurrent: 1 });
    const slowRun = busy.runNow({ ...m, id: id(11), http: { url: `${fx.baseUrl}/slow?ms=100` } });
    const [a, b] = await Promise.all([busy.runNow(m), busy.runNow(m), slowRun]);
    assert.equal(a.id, b.id);
    await busy.stop();
    await engine.stop();
    await assert.rejects(engine.runNow(m), /stopped/);
  });

  it('tells onMonitorRemoved about every monitor it stops running, including one removed mid-check', async () => {
    const clock = new FakeClock();
    const removed: string[] = [];
    const sink: CheckResult[] = [];
    const engine = createEngine({ region: 'r', sink: (r) => sink.push(r), clock, onMonitorRemoved: (mid) => removed.push(mid) });
    const m = (n: number, extra: Partial<RunnerMonitor> = {}): RunnerMonitor => ({ id: id(n), type: 'http', interval_seconds: 30, timeout_seconds: 2, http: { url: `${fx.baseUrl}/json` }, ...extra });
    engine.setMonitors([m(30), m(31), m(32), m(33)]);
    assert.deepEqual(removed, []);
    engine.setMonitors([m(30), m(31), m(32)]);
    engine.removeMonitor(id(31));
    engine.upsertMonitor(m(32, { enabled: false }));
    assert.deepEqual(removed, [id(33), id(31), id(32)]);
    // A check in flight when its monitor goes: its result still reaches the sink, then the hook again.
    engine.setMonitors([m(30, { http: { url: `${fx.baseUrl}/slow?ms=200` } })]);
    await clock.advance(30_000);
    await until(() => engine.stats().inFlight === 1, 'the slow check started');
    engine.setMonitors([]);
    await until(() => sink.length === 1, 'the in-flight result');
    assert.deepEqual(removed.slice(3), [id(30), id(30)]);
    await engine.stop();
  });

  it('never has more than maxConcurrent checks in flight against a slow target', async () => {
    let open = 0;
    let maxOpen = 0;
    let served = 0;
    const slow = http.createServer((_req, res) => {
      open += 1;
      maxOpen = Math.max(maxOpen, open);
      setTimeout(() => {
        open -= 1;
        served += 1;
        res.end('ok');
      }, 150);
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    const { port } = slow.address() as net.AddressInfo;
    const clock = new FakeClock();
    const sink: CheckResult[] = [];
    const engine = createEngine({ region: 'r', sink: (r) => sink.push(r), clock, maxConcurrent: 2 });
    engine.setMonitors(
      Array.from({ length: 6 }, (_, i) => ({ id: id(20 + i), type: 'http' as const, interval_seconds: 60, timeout_seconds: 5, http: { url: `http://127.0.0.1:${port}/` } })),
    );
    await clock.advance(60_000);
    assert.ok(engine.stats().inFlight <= 2);
    await until(() => sink.length === 6, 'six results');
    assert.equal(maxOpen, 2, 'the target never saw more than two concurrent checks');
    assert.equal(served, 6);
    assert.ok(sink.every((r) => r.status === 'up'));
    await engine.stop();
    slow.closeAllConnections();
    slow.close();
  });
});
