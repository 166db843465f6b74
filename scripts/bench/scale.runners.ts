import { createResultIdFactory } from '../../runner/src/results/result-id.factory.ts';
import { percentile } from './load.ts';
import type { ScaleFigure } from './scale.context.ts';
import type { ScaleHttp } from './scale.http.ts';

// Simulated runners of bench:scale: RUNNERS_PER_REGION per region, registered over HTTP with the
// region's runner token, long-polling /v1/runner/assignments as the real runner does (revision passed
// back) and pushing fabricated results for the slots they own; they run no checks.

export const RUNNERS_PER_REGION = 10;
const POLL_WAIT_S = 2;

export interface SimRunner {
  id: string;
  token: string;
  region: string;
  revision: number;
  monitors: Set<string>;
  maxBatch: number;
  paused: boolean;
  loop?: Promise<void>;
}

export interface RunnerPool {
  runners: SimRunner[];
  figures: ScaleFigure[];
  /** Stops every poll loop. */
  stop(): Promise<void>;
}

const capabilities = ['http', 'tcp', 'dns', 'tls', 'multistep'];

async function poll(http: ScaleHttp, r: SimRunner, wait: number) {
  const answer = await http.call(r.token, 'GET', `/v1/runner/assignments?runner_id=${r.id}&revision=${r.revision}&wait=${wait}`);
  const body = answer.body as { revision: number; full: boolean; monitors: Array<{ id: string }>; removed: string[] };
  if (body.full) r.monitors = new Set(body.monitors.map((m) => m.id));
  else {
    for (const m of body.monitors) r.monitors.add(m.id);
    for (const id of body.removed) r.monitors.delete(id);
  }
  r.revision = body.revision;
  return { ...answer, body };
}

function startLoop(http: ScaleHttp, r: SimRunner): void {
  r.paused = false;
  r.loop = (async () => {
    while (!r.paused) await poll(http, r, POLL_WAIT_S).catch(() => new Promise((res) => setTimeout(res, 200)));
  })();
}

async function pause(r: SimRunner): Promise<void> {
  r.paused = true;
  await r.loop;
}

/**
 * Registers the runners of every region: all but the last at once (the initial placement of the
 * whole fleet), then the last alone, whose registration is one full reconcile of every slot over all
 * the runners (the planning figure). Then each runner's full poll, measured one at a time.
 */
export async function startRunners(http: ScaleHttp, regions: Array<{ name: string; runnerToken: string }>, size: number, slots: number, countAssigned: () => Promise<number>, out: (l?: string) => void): Promise<RunnerPool> {
  const figures: ScaleFigure[] = [];
  const runners: SimRunner[] = [];
  const register = async (region: { name: string; runnerToken: string }) => {
    const t = performance.now();
    const reg = await http.call(region.runnerToken, 'POST', '/v1/runner/register', { protocol_version: 1, version: 'bench-scale', capabilities });
    const r: SimRunner = { id: reg.body.runner_id, token: region.runnerToken, region: region.name, revision: 0, monitors: new Set(), maxBatch: reg.body.max_batch, paused: false };
    runners.push(r);
    startLoop(http, r);
    return performance.now() - t;
  };
  try {
    return await placeAndPoll();
  } catch (error) {
    // Started loops would keep polling (and the bench process alive) after the failure is reported.
    await Promise.all(runners.map(pause));
    throw error;
  }

  async function placeAndPoll(): Promise<RunnerPool> {
    const all = regions.flatMap((region) => Array.from({ length: RUNNERS_PER_REGION }, () => region));
    const t0 = performance.now();
    await Promise.all(all.slice(0, -1).map(register));
    while ((await countAssigned()) < slots && performance.now() - t0 < 600_000) await new Promise((r) => setTimeout(r, 100));
    const initial = performance.now() - t0;
    figures.push({ name: 'initial placement (all slots, 19 runners)', size, value: initial, unit: 'ms', note: `${slots} slots` });
    out(`initial placement: ${all.length - 1} runners registered at once, all ${slots} slots owned after ${(initial / 1000).toFixed(2)} s`);
    // Until the new runner has its share: a registration answers once placed or after a third of
    // the lease, so its answer alone may come before the replan is done.
    const tReconcile = performance.now();
    await register(all.at(-1)!);
    const newcomer = runners.at(-1)!;
    while (newcomer.monitors.size === 0 && performance.now() - tReconcile < 600_000) await new Promise((r) => setTimeout(r, 20));
    const reconcile = performance.now() - tReconcile;
    figures.push({ name: 'full reconcile (register 20th runner)', size, value: reconcile, unit: 'ms', note: `${slots} slots over ${all.length} runners` });
    out(`full reconcile: registering runner ${all.length} (every slot replanned, ~1/${RUNNERS_PER_REGION} of a region's slots move to it) took ${reconcile.toFixed(0)} ms`);

    // Full polls: each runner asks for its whole set (revision 0), one at a time.
    await new Promise((r) => setTimeout(r, 500));
    const full: Array<{ ms: number; bytes: number; monitors: number }> = [];
    for (const r of runners) {
      await pause(r);
      r.revision = 0;
      const answer = await poll(http, r, 0);
      full.push({ ms: answer.ms, bytes: answer.bytes, monitors: answer.body.monitors.length });
      startLoop(http, r);
    }
    const ms = full.map((f) => f.ms).sort((a, b) => a - b);
    const bytes = full.map((f) => f.bytes).sort((a, b) => a - b);
    const owned = full.map((f) => f.monitors).sort((a, b) => a - b);
    figures.push({ name: 'full poll: p50 time', size, value: percentile(ms, 50), unit: 'ms', note: `max ${ms.at(-1)!.toFixed(0)} ms` });
    figures.push({ name: 'full poll: p50 size', size, value: percentile(bytes, 50) / 1024, unit: 'KiB', note: `${percentile(owned, 50)} monitors per runner (${owned[0]}–${owned.at(-1)})` });
    out(`full poll (revision 0), each of ${runners.length} runners: p50 ${percentile(ms, 50).toFixed(0)} ms, max ${ms.at(-1)!.toFixed(0)} ms; p50 ${(percentile(bytes, 50) / 1024).toFixed(0)} KiB for ${percentile(owned, 50)} monitors`);
    return { runners, figures, stop: async () => void (await Promise.all(runners.map(pause))) };
  }
}

/** Edits one monitor (PATCH) and measures the incremental poll of a runner that owns it. */
export async function incrementalPoll(http: ScaleHttp, adminToken: string, pool: RunnerPool, size: number): Promise<ScaleFigure[]> {
  const r = pool.runners[0]!;
  await pause(r);
  const monitorId = [...r.monitors][Math.floor(r.monitors.size / 2)]!;
  const t0 = performance.now();
  await http.call(adminToken, 'PATCH', `/v1/monitors/${monitorId}`, { tags: { env: 'prod', edited: 'yes' } });
  const deadline = t0 + 15_000;
  let answer: Awaited<ReturnType<typeof poll>> | undefined;
  let polls = 0;
  let lastSeen = '';
  while (performance.now() < deadline) {
    answer = await poll(http, r, 0);
    polls++;
    if (answer.body.monitors.some((m) => m.id === monitorId)) break;
    lastSeen = `revision ${answer.body.revision}, full ${answer.body.full}, ${answer.body.monitors.length} monitors, ${answer.body.removed.length} removed, owns it ${r.monitors.has(monitorId)}`;
    answer = undefined;
    await new Promise((res) => setTimeout(res, 20));
  }
  const seen = performance.now() - t0;
  startLoop(http, r);
  if (!answer) throw new Error(`the edit of ${monitorId} never reached its runner after ${polls} polls (last: ${lastSeen})`);
  return [
    { name: 'incremental poll after one edit: time', size, value: answer.ms, unit: 'ms', note: `edit → runner has it ${seen.toFixed(0)} ms` },
    { name: 'incremental poll after one edit: size', size, value: answer.bytes, unit: 'B', note: `${answer.body.monitors.length} monitor(s), full=${answer.body.full}` },
  ];
}

/**
 * Every runner pushes fabricated results for its slots for `seconds`, at the fleet's own rate (each
 * slot once per 60 s interval, so 2 × size / 60 results/s in all), a batch per runner per second,
 * always from its first slot on. So the first pass brings slots their first result (each slot and
 * monitor turns up: transitions, monitor and service states), and a second pass brings the same
 * slots a newer up result: a running fleet's steady case.
 */
export async function pushAtFleetRate(http: ScaleHttp, pool: RunnerPool, size: number, seconds: number, pass: 'first' | 'again' = 'first'): Promise<ScaleFigure[]> {
  const newId = createResultIdFactory();
  const perRunnerPerSecond = (2 * size) / 60 / pool.runners.length;
  const latencies: number[] = [];
  let sent = 0;
  let rejected = 0;
  const start = performance.now();
  await Promise.all(
    pool.runners.map(async (r, ri) => {
      const owned = [...r.monitors];
      let next = 0;
      let due = 0;
      for (let tick = 0; tick < seconds; tick++) {
        const tickAt = start + tick * 1000 + (ri * 1000) / pool.runners.length;
        const wait = tickAt - performance.now();
        if (wait > 0) await new Promise((res) => setTimeout(res, wait));
        due += perRunnerPerSecond;
        while (due >= 1) {
          const n = Math.min(r.maxBatch, Math.floor(due));
          due -= n;
          const startedAt = new Date().toISOString();
          const results = Array.from({ length: n }, () => ({
            id: newId(), monitor_id: owned[next++ % owned.length]!, region: r.region, started_at: startedAt, status: 'up', duration_ms: 12.5, status_code: 200,
            timings: { connect_ms: 0.4, first_byte_ms: 11.8, download_ms: 0.3, total_ms: 12.5 },
          }));
          sent += n;
          const answer = await http.call(r.token, 'POST', '/v1/runner/results', { runner_id: r.id, results });
          latencies.push(answer.ms);
          rejected += (answer.body.rejected as unknown[]).length;
        }
      }
    }),
  );
  const wall = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const fleetRate = (2 * size) / 60;
  const which = pass === 'first' ? 'first results' : 'slots up, a newer result';
  return [
    { name: `results pushed at fleet rate (${which}): stored/s`, size, value: (sent - rejected) / wall, unit: '/s', note: `fleet rate ${fleetRate.toFixed(0)}/s; ${sent} sent in ${wall.toFixed(1)} s, ${rejected} rejected` },
    { name: `results push (${which}): p99 batch`, size, value: percentile(latencies, 99), unit: 'ms', note: `p50 ${percentile(latencies, 50).toFixed(0)} ms over ${latencies.length} batches` },
  ];
}
