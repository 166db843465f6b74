import pg from 'pg';
import { createResultIdFactory } from '../../runner/src/results/result-id.factory.ts';
import { percentile } from './load.ts';
import { processCpuMs, sleep } from './runner.support.ts';
import type { ScaleContext, ScaleFigure, ScaleMeasurement } from './scale.context.ts';
import { inParallel, scaleHttp, type ScaleHttp } from './scale.http.ts';

// Alert evaluation lag at fleet scale. RULES rules created through the API over the fleet's monitors
// and services (40 % state rules on one monitor, 20 % p95 and 20 % error-rate windows, 10 % service
// state, 10 % selectors over a service's monitors). One extra runner per region registers with the
// region's runner token and long-polls as a runner does; the planner gives it its share of the
// slots. FLIPS monitors that it owns in the first region and that a state rule names then fail: two
// down results (the monitors' failure_threshold) in one push, FLIP_SIZE at a time every
// FLIP_EVERY_MS. The lag is from the start of that push to the rule's alert being seen firing by a
// poller every 25 ms. Control-plane CPU per evaluated rule is its CPU over the flip phase divided by
// the evaluations counted in /metrics (pharos_alert_evaluation_seconds_count); it includes the
// ingest of the pushes, so it is an upper bound.

const RULES = Number(process.env.BENCH_SCALE_ALERT_RULES ?? 1_000);
const FLIPS = 50;
const FLIP_SIZE = 5;
const FLIP_EVERY_MS = 1_000;
const POLL_WAIT_S = 2;
const TARGET_P95_MS = 1_000;

interface Own {
  id: string;
  token: string;
  region: string;
  revision: number;
  monitors: Set<string>;
  polling: boolean;
  loop?: Promise<void>;
}

async function poll(http: ScaleHttp, r: Own, wait: number): Promise<void> {
  const body = (await http.call(r.token, 'GET', `/v1/runner/assignments?runner_id=${r.id}&revision=${r.revision}&wait=${wait}`)).body as { revision: number; full: boolean; monitors: Array<{ id: string }>; removed: string[] };
  if (body.full) r.monitors = new Set(body.monitors.map((m) => m.id));
  else {
    for (const m of body.monitors) r.monitors.add(m.id);
    for (const id of body.removed) r.monitors.delete(id);
  }
  r.revision = body.revision;
}

async function evaluations(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^pharos_alert_evaluation_seconds_count ([0-9.e+-]+)$/m.exec(text)?.[1] ?? 0);
}

/** The rule expressions: `flippable` monitors get state rules first, the rest spread over the fleet. */
function ruleSpecs(ctx: ScaleContext, names: Map<string, { name: string; team: string }>, flippable: string[]): Array<{ expression: string; team: string; monitor?: string }> {
  const all = ctx.services.flatMap((s) => s.monitorIds);
  const spread = (k: number) => all[Math.floor((k * all.length) / RULES) % all.length]!;
  const specs: Array<{ expression: string; team: string; monitor?: string }> = [];
  let flip = 0;
  for (let r = 0; r < RULES; r++) {
    const kind = r % 10;
    if (kind < 4) {
      const id = flip < flippable.length ? flippable[flip++]! : spread(r);
      specs.push({ expression: `down(monitor("${names.get(id)!.name}"))`, team: names.get(id)!.team, monitor: id });
    } else if (kind < 8) {
      const m = names.get(spread(r + 1))!;
      specs.push({ expression: kind < 6 ? `p95(monitor("${m.name}"), "5m") > 800` : `error_rate(monitor("${m.name}"), "5m") > 50%`, team: m.team });
    } else {
      const s = ctx.services[(r * 7) % ctx.services.length]!;
      specs.push({ expression: kind === 8 ? `down(service("${s.name}"))` : `down(monitors(service="${s.name}"))`, team: s.teamId });
    }
  }
  return specs;
}

export const alertEvaluationLag: ScaleMeasurement = async (ctx) => {
  const http = scaleHttp(ctx.api.url, 16);
  const db = new pg.Client({ connectionString: ctx.databaseUrl });
  await db.connect();
  const own: Own[] = [];
  try {
    for (const region of ctx.regions) {
      const reg = (await http.call(region.runnerToken, 'POST', '/v1/runner/register', { protocol_version: 1, version: 'bench-scale-alerts', capabilities: ['http', 'tcp', 'dns', 'tls', 'multistep'] })).body;
      const r: Own = { id: reg.runner_id, token: region.runnerToken, region: region.name, revision: 0, monitors: new Set(), polling: true };
      r.loop = (async () => {
        while (r.polling) await poll(http, r, POLL_WAIT_S).catch(() => sleep(200));
      })();
      own.push(r);
    }
    const first = own[0]!;
    const t0 = Date.now();
    while (first.monitors.size < FLIPS * 2 && Date.now() - t0 < 120_000) await sleep(250);
    if (first.monitors.size < FLIPS) throw new Error(`the bench's runner in ${first.region} was given ${first.monitors.size} slots after 120 s`);
    await sleep(3_000); // let placement settle: slots it owns now stay with it
    const flippable = [...first.monitors].slice(0, FLIPS);
    ctx.out(`alerts: the bench's runners own ${own.map((r) => `${r.monitors.size} in ${r.region}`).join(', ')} (placed ${((Date.now() - t0) / 1000).toFixed(1)} s after registering)`);

    const rows = (await db.query(`SELECT id, name, team_id FROM monitors WHERE org_id = $1`, [ctx.orgId])).rows as Array<{ id: string; name: string; team_id: string }>;
    const names = new Map(rows.map((m) => [m.id, { name: m.name, team: m.team_id }]));
    const specs = ruleSpecs(ctx, names, flippable);
    const ruleOf = new Map<string, string>();
    let t = performance.now();
    const createTimes = await inParallel(specs.length, 16, async (i) => {
      const s = specs[i]!;
      const rule = (await http.call(ctx.api.adminToken, 'POST', '/v1/alert-rules', { name: `scale-rule-${i}`, team_id: s.team, expression: s.expression, severity: 'warning' })).body;
      if (s.monitor) ruleOf.set(s.monitor, rule.id as string);
    });
    const createMs = performance.now() - t;
    createTimes.sort((a, b) => a - b);
    const ruleIds = [...ruleOf.values()];
    t = performance.now();
    const everyRule = async () => Number((await db.query(`SELECT count(*) AS n FROM alert_rule_status s JOIN alert_rules r ON r.id = s.rule_id WHERE r.name LIKE 'scale-rule-%'`)).rows[0].n);
    while ((await everyRule()) < specs.length && performance.now() - t < 120_000) await sleep(250);
    ctx.out(`alerts: ${specs.length} rules created in ${(createMs / 1000).toFixed(1)} s (p50 ${percentile(createTimes, 50).toFixed(0)} ms), all evaluated once ${((performance.now() - t) / 1000).toFixed(1)} s later`);
    // The placement of the bench's runners wrote a slot.cause_changed event per slot that moved; the
    // alert evaluator re-evaluates the rules over each such monitor. The lag below is measured once
    // it has caught up with the log (the steady state); the time it took is a figure of its own.
    const behind = async () => Number((await db.query(`SELECT (SELECT coalesce(max(seq), 0) FROM events WHERE org_id = $1) - coalesce((SELECT position FROM event_cursors WHERE consumer = 'alert-evaluator' AND org_id = $1), 0) AS n`, [ctx.orgId])).rows[0].n);
    const backlog = await behind();
    t = performance.now();
    while ((await behind()) > 0 && performance.now() - t < 600_000) await sleep(250);
    const catchUpMs = performance.now() - t;
    ctx.out(`alerts: the alert evaluator was ${backlog} events behind the log (the placement writes a slot.cause_changed per moved slot), caught up in ${(catchUpMs / 1000).toFixed(1)} s`);

    // Flips: FLIP_SIZE monitors every FLIP_EVERY_MS, each two down results in one push.
    const newId = createResultIdFactory();
    const pushedAt = new Map<string, number>();
    const seenAt = new Map<string, number>();
    let rejected = 0;
    const evaluations0 = await evaluations(ctx.api.url);
    const cpu0 = processCpuMs(ctx.api.pid);
    const phase0 = performance.now();
    let flipping = true;
    const watcher = (async () => {
      const deadline = Date.now() + (FLIPS / FLIP_SIZE) * FLIP_EVERY_MS + 30_000;
      while ((flipping || seenAt.size < pushedAt.size) && Date.now() < deadline) {
        const waiting = [...pushedAt.keys()].filter((m) => !seenAt.has(m)).map((m) => ruleOf.get(m)!);
        if (waiting.length) {
          const fired = new Set((await db.query(`SELECT rule_id FROM alert_instances WHERE rule_id = ANY($1) AND state IN ('firing', 'resolved')`, [waiting])).rows.map((r) => r.rule_id as string));
          const now = performance.now();
          for (const [m] of pushedAt) if (!seenAt.has(m) && fired.has(ruleOf.get(m)!)) seenAt.set(m, now);
        }
        await sleep(25);
      }
    })();
    for (let k = 0; k < flippable.length; k += FLIP_SIZE) {
      await sleep(phase0 + (k / FLIP_SIZE) * FLIP_EVERY_MS - performance.now());
      const chosen = flippable.slice(k, k + FLIP_SIZE);
      const now = Date.now();
      const results = chosen.flatMap((monitor_id) => [now - 1_000, now].map((at) => ({
        id: newId(), monitor_id, region: first.region, started_at: new Date(at).toISOString(), status: 'down', duration_ms: 10_000, error: { code: 'timeout', message: 'no answer within 10 s' },
        timings: { total_ms: 10_000 },
      })));
      const at = performance.now();
      for (const m of chosen) pushedAt.set(m, at);
      const refused = (await http.call(first.token, 'POST', '/v1/runner/results', { runner_id: first.id, results })).body.rejected as unknown[];
      if (refused.length && !rejected) ctx.out(`alerts: a flip was rejected: ${JSON.stringify(refused[0])}`);
      rejected += refused.length;
    }
    flipping = false;
    await watcher;
    const phaseMs = performance.now() - phase0;
    const cpuMs = processCpuMs(ctx.api.pid) - cpu0;
    const evaluated = (await evaluations(ctx.api.url)) - evaluations0;
    const lags = [...seenAt].map(([m, at]) => at - pushedAt.get(m)!).sort((a, b) => a - b);
    const recorded = (await db.query(`SELECT min(at) AS at, rule_id FROM alert_history WHERE rule_id = ANY($1) AND to_state = 'firing' GROUP BY rule_id`, [ruleIds])).rows.length;
    ctx.out(
      `alerts: ${lags.length} of ${pushedAt.size} flipped monitors' alerts seen firing (${recorded} recorded, ${rejected} results rejected); lag push → firing p50 ${percentile(lags, 50).toFixed(0)} ms, p95 ${percentile(lags, 95).toFixed(0)} ms, max ${(lags.at(-1) ?? NaN).toFixed(0)} ms; ` +
        `${evaluated} rule evaluations in ${(phaseMs / 1000).toFixed(1)} s, control-plane CPU ${cpuMs.toFixed(0)} ms (${(cpuMs / Math.max(1, evaluated)).toFixed(2)} ms per evaluated rule, ingest included)`,
    );
    // Where evaluation time goes: each rule's last evaluation, by kind of rule.
    const kinds = new Map<string, number[]>();
    for (const row of (await db.query(`SELECT r.spec->>'expression' AS e, s.duration_ms FROM alert_rule_status s JOIN alert_rules r ON r.id = s.rule_id WHERE r.name LIKE 'scale-rule-%'`)).rows) {
      const kind = String(row.e).replace(/\(".*?"\)|"[^"]*"/g, '…').replace(/ > .*$/, '');
      kinds.set(kind, [...(kinds.get(kind) ?? []), Number(row.duration_ms)]);
    }
    for (const [kind, ds] of [...kinds].sort()) {
      ds.sort((a, b) => a - b);
      ctx.out(`  ${kind.padEnd(36)} ${String(ds.length).padStart(4)} rules, last evaluation p50 ${percentile(ds, 50).toFixed(1)} ms, p99 ${percentile(ds, 99).toFixed(1)} ms`);
    }
    if (lags.length < pushedAt.size || rejected > 0) throw new Error(`alerts: ${pushedAt.size - lags.length} flipped monitors never alerted, ${rejected} results rejected`);
    const note = `${specs.length} rules, ${lags.length} flips, max ${(lags.at(-1) ?? NaN).toFixed(0)} ms`;
    const figures: ScaleFigure[] = [
      { name: 'alert lag push → firing: p50', size: ctx.size, value: percentile(lags, 50), unit: 'ms', note },
      { name: 'alert lag push → firing: p95', size: ctx.size, value: percentile(lags, 95), unit: 'ms', max: TARGET_P95_MS },
      { name: 'control-plane CPU per evaluated rule', size: ctx.size, value: cpuMs / Math.max(1, evaluated), unit: 'ms', note: `${evaluated} evaluations in ${(phaseMs / 1000).toFixed(1)} s, ingest of the flips included` },
      { name: 'alert evaluator catch-up after placement', size: ctx.size, value: catchUpMs / 1000, unit: 's', note: `${backlog} events behind when the rules were in place` },
      { name: 'alert rules via API: creates/s', size: ctx.size, value: (specs.length / createMs) * 1000, unit: '/s', note: `p50 ${percentile(createTimes, 50).toFixed(0)} ms at concurrency 16` },
    ];
    return figures;
  } finally {
    for (const r of own) r.polling = false;
    await Promise.all(own.map((r) => r.loop));
    for (const r of own) await http.call(r.token, 'POST', '/v1/runner/deregister', { runner_id: r.id }).catch(() => undefined);
    await http.close().catch(() => undefined);
    await db.end();
  }
};
