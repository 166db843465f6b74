import { cpus, loadavg } from 'node:os';
import { alertmanagerAlerts, pharosAlerts, standardWebhookValid, summarize, type Latency, type Page, type PageStatus } from './alerting.pages.ts';
import { INTERVAL_S, TIMEOUT_S, startPharos, type PharosSide } from './alerting.pharos.ts';
import { startReceiver } from './alerting.receiver.ts';
import { stackBinaries, startStack, type Stack } from './alerting.stack.ts';
import { killChildren, out, sleep, startTarget } from './runner.support.ts';

// npm run bench:alerting — the end-to-end figure users compare (docs/operations.md, "Benchmarks"):
// a local target flips from 200 to 500 → a local webhook receiver gets the page, and the target
// flips back → the receiver gets the resolution. In the same run, on the same target paths:
//   Pharos: api/src/main.ts on a throwaway PostgreSQL and a real runner; per flip an HTTP monitor
//     (interval 5 s, timeout 2 s) and a rule down(monitor("…")) for 0s, a Standard Webhooks channel
//     and a catch-all policy, once with the product's default group_wait and once with "0s".
//   The stack: Prometheus + blackbox_exporter + Alertmanager from Debian's packages, 5 s scrape and
//     evaluation interval, probe_success == 0 for 0s, once with Alertmanager's defaults (group_wait
//     30s) and once tuned (group_wait 0s).
// Each flip has its own target path, monitors and rules, so each is a new alert group everywhere.
// Flips start SPACING_S apart at a random moment within the interval; a flipped path stays failing
// until every configuration has paged (at most FIRE_TIMEOUT_S), then a random part of an interval. Also: notification throughput, K
// rules on one monitor firing at once through the outbox. Everything on 127.0.0.1; every wait bounded.

const FLIPS = Math.min(50, Math.max(1, Number(process.env.BENCH_ALERTING_FLIPS ?? 8)));
const SPACING_S = 10;
const FIRE_TIMEOUT_S = Number(process.env.BENCH_ALERTING_FIRE_TIMEOUT_S ?? 60);
/** Alertmanager's default group_interval (5m) is when it sends a resolution: wait that long and a bit. */
const RESOLVE_TIMEOUT_S = Number(process.env.BENCH_ALERTING_RESOLVE_S ?? 330);
const THROUGHPUT_RULES = Math.min(2_000, Math.max(1, Number(process.env.BENCH_ALERTING_THROUGHPUT_RULES ?? 200)));
const THROUGHPUT_TIMEOUT_S = 120;
const TARGET_S = INTERVAL_S + TIMEOUT_S + 2;
const TARGET_RATIO = 4;

/** One notifier under test: where it posts, and which statuses a page of it carries for a flip. */
interface Config {
  label: string;
  short: string;
  channel: string;
  statuses(page: Page, flip: number): PageStatus[];
}

interface Trial {
  flippedAt: number;
  recoveredAt: number;
}

const started = Date.now();
out(`bench:alerting on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (shared machine)`);
out(`${FLIPS} flips ${SPACING_S} s apart; a page is waited for up to ${FIRE_TIMEOUT_S} s, a resolution up to ${RESOLVE_TIMEOUT_S} s after the last flip back`);
const target = await startTarget();
const receiver = await startReceiver();
const paths = Array.from({ length: FLIPS }, (_, i) => `/flip/${i}`);
const urls = paths.map((p) => `${target.origin}${p}`);
let pharos: PharosSide | undefined;
let stack: Stack | undefined;
let failed = false;
try {
  const binaries = stackBinaries();
  const t0 = Date.now();
  [pharos, stack] = await Promise.all([
    startPharos({
      targets: urls,
      webhooks: { default: `${receiver.origin}/pharos/default`, fast: `${receiver.origin}/pharos/fast`, throughput: `${receiver.origin}/pharos/throughput` },
      throughput: { target: `${target.origin}/throughput`, rules: THROUGHPUT_RULES },
    }),
    binaries ? startStack(binaries, { targets: urls, webhooks: { default: `${receiver.origin}/am/default`, tuned: `${receiver.origin}/am/tuned` } }) : undefined,
  ]);
  out(`Pharos: control plane, runner and ${FLIPS * 2} monitors and rules created in ${((Date.now() - t0) / 1000).toFixed(1)} s; default policy: ${pharos.defaultTiming}`);
  if (stack) out(`comparison stack: ${stack.versions}`);
  if (!pharos.notifications) out('GET /v1/notifications answers 404: this build has no notification pipeline, so no Pharos page will arrive (each flip waits the full time for it).');
  await Promise.all([pharos.ready(90_000), stack?.ready(90_000)]);
  out(`every target checked and up ${((Date.now() - t0) / 1000).toFixed(1)} s after start`);
  await checkChannels(pharos);
  out('');

  const side = pharos;
  const pharosConfig = (label: string, short: string, channel: string, names: string[]): Config => ({
    label,
    short,
    channel,
    statuses: (page, flip) => pharosAlerts(page.body, [names[flip]!]).map((a) => a.status),
  });
  const stackConfig = (label: string, short: string, channel: string): Config => ({
    label,
    short,
    channel,
    statuses: (page, flip) => alertmanagerAlerts(page.body).filter((a) => a.instance === urls[flip]).map((a) => a.status),
  });
  const configs: Config[] = [
    pharosConfig(`Pharos defaults (group_wait ${/group_wait ([^,\s]+)/.exec(side.defaultTiming)?.[1] ?? 'default'})`, 'Pharos', '/pharos/default', side.names.default),
    pharosConfig('Pharos tuned (group_wait 0s)', 'Pharos 0s', '/pharos/fast', side.names.fast),
    ...(stack ? [stackConfig('Prometheus + Alertmanager defaults (group_wait 30s)', 'stack', '/am/default'), stackConfig('Prometheus + Alertmanager tuned (group_wait 0s)', 'stack 0s', '/am/tuned')] : []),
  ];
  const arrival = (c: Config, flip: number, status: PageStatus, since: number) =>
    receiver.pages(c.channel).find((p) => p.at >= since && c.statuses(p, flip).includes(status))?.at;

  const start = Date.now();
  const trials: Trial[] = await Promise.all(paths.map(async (path, i) => {
    await sleep(start + i * SPACING_S * 1000 + Math.random() * INTERVAL_S * 1000 - Date.now());
    const flippedAt = await target.fail(path);
    const deadline = flippedAt + FIRE_TIMEOUT_S * 1000;
    while (Date.now() < deadline && configs.some((c) => arrival(c, i, 'firing', flippedAt) === undefined)) await sleep(100);
    // A random extra hold, so the flip back lands at its own moment of the check and scrape cycles.
    await sleep(Math.random() * INTERVAL_S * 1000);
    const recoveredAt = await target.recover(path);
    const got = configs.map((c) => {
      const at = arrival(c, i, 'firing', flippedAt);
      return at === undefined ? 'none' : `${((at - flippedAt) / 1000).toFixed(1)} s`;
    });
    out(`flip ${i + 1}: paged after ${got.join(' / ')} (${configs.map((c) => c.short).join(' / ')})`);
    return { flippedAt, recoveredAt };
  }));
  // Resolutions: wait for every configuration that paged a flip to resolve it, bounded.
  const lastRecovery = Math.max(...trials.map((t) => t.recoveredAt));
  const resolveDeadline = lastRecovery + RESOLVE_TIMEOUT_S * 1000;
  const pending = () => configs.flatMap((c) => trials.filter((t, i) => arrival(c, i, 'firing', t.flippedAt) !== undefined && arrival(c, i, 'resolved', t.recoveredAt) === undefined).map(() => c.label));
  out(`\nwaiting for the resolutions (at most ${RESOLVE_TIMEOUT_S} s; Alertmanager's defaults send them at its group_interval, 5 m)`);
  while (Date.now() < resolveDeadline && pending().length > 0) await sleep(500);
  for (const [i, t] of trials.entries()) {
    const got = configs.map((c) => {
      const at = arrival(c, i, 'firing', t.flippedAt) === undefined ? undefined : arrival(c, i, 'resolved', t.recoveredAt);
      return at === undefined ? 'none' : `${((at - t.recoveredAt) / 1000).toFixed(1)} s`;
    });
    out(`flip ${i + 1}: held ${((t.recoveredAt - t.flippedAt) / 1000).toFixed(1)} s, resolution after ${got.join(' / ')}`);
  }

  const results = configs.map((c) => ({
    config: c,
    firing: summarize(trials.map((t, i) => (arrival(c, i, 'firing', t.flippedAt) ?? NaN) - t.flippedAt)),
    resolved: summarize(trials.map((t, i) => (arrival(c, i, 'firing', t.flippedAt) === undefined ? NaN : (arrival(c, i, 'resolved', t.recoveredAt) ?? NaN) - t.recoveredAt))),
    // Pages about the flips (not the channel tests): one firing and one resolved per flip is exact.
    pages: receiver.pages(c.channel).filter((p) => trials.some((_, i) => c.statuses(p, i).length > 0)).length,
  }));

  const throughput = side.throughputNames.length > 0 ? await measureThroughput(side) : undefined;

  out(`\n## Flip → page (${FLIPS} flips; seconds)`);
  const s = (n: number) => (Number.isFinite(n) ? (n / 1000).toFixed(1) : '-').padStart(6);
  const row = (l: Latency, width: number) => `${`${l.n}/${l.of}`.padStart(width)} ${s(l.median)} ${s(l.p90)} ${s(l.max)}`;
  out(`${'configuration'.padEnd(52)} ${'fired'.padStart(6)} ${'median'.padStart(6)} ${'p90'.padStart(6)} ${'max'.padStart(6)}   ${'resolved'.padStart(8)} ${'median'.padStart(6)} ${'p90'.padStart(6)} ${'max'.padStart(6)}   pages`);
  for (const r of results) out(`${r.config.label.padEnd(52)} ${row(r.firing, 6)}   ${row(r.resolved, 8)}   ${r.pages}`);
  for (const r of results) {
    if (r.firing.n < r.firing.of) out(`${r.config.label}: no page arrived within ${FIRE_TIMEOUT_S} s for ${r.firing.of - r.firing.n} of ${r.firing.of} flips`);
    if (r.resolved.n < r.firing.n) out(`${r.config.label}: no resolution arrived within ${RESOLVE_TIMEOUT_S} s of the last flip back for ${r.firing.n - r.resolved.n} of ${r.firing.n} paged flips`);
  }
  const pharosPages = receiver.pages().filter((p) => p.channel.startsWith('/pharos/'));
  if (pharosPages.length) {
    const ids = pharosPages.map((p) => p.headers['webhook-id']).filter(Boolean);
    const valid = pharosPages.filter((p) => standardWebhookValid(side.secrets.get(p.channel) ?? '', p.headers, p.body)).length;
    out(`Pharos pages: ${pharosPages.length}, Standard Webhooks signature valid on ${valid}, ${ids.length - new Set(ids).size} repeated webhook-id`);
  }
  if (receiver.refused()) out(`receiver refused ${receiver.refused()} requests`);

  out('\n## Notification throughput');
  if (throughput) out(throughput);
  else out(`skipped: ${side.notifications ? 'no throughput rules were created' : 'GET /v1/notifications answers 404 (no notification pipeline in this build)'}`);

  const [pharosDefault, , stackDefault, stackTuned] = results;
  const median = pharosDefault!.firing.n === pharosDefault!.firing.of ? pharosDefault!.firing.median : NaN;
  const ratio = stackDefault ? stackDefault.firing.median / median : NaN;
  const metLatency = median <= TARGET_S * 1000;
  const metRatio = ratio >= TARGET_RATIO;
  out('\n## Summary');
  out(`target: Pharos median flip → page ≤ interval + timeout + 2 s = ${TARGET_S} s (every flip paged) → ${s(median).trim()} s ${metLatency ? 'MET' : 'NOT MET'}`);
  out(`target: ≥ ${TARGET_RATIO}× faster than Prometheus + Alertmanager defaults → ${stackDefault ? `${s(stackDefault.firing.median).trim()} s / ${s(median).trim()} s = ${Number.isFinite(ratio) ? ratio.toFixed(1) : '-'}×` : 'the stack did not run'} ${metRatio ? 'MET' : 'NOT MET'}`);
  if (stackTuned) out(`against the tuned stack (group_wait 0s): ${s(stackTuned.firing.median).trim()} s / ${s(median).trim()} s = ${(stackTuned.firing.median / median).toFixed(1)}×`);
  failed = !metLatency || !metRatio;
} finally {
  await Promise.allSettled([pharos?.stop(), stack?.stop()]);
  await receiver.close();
  await target.close();
  killChildren();
}
out(`\n(${((Date.now() - started) / 1000).toFixed(0)} s, load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
if (failed) process.exitCode = 1;

/** K rules on one monitor fire on the same evaluation; pages/s from the first page to the last. */
async function measureThroughput(side: PharosSide): Promise<string> {
  const names = side.throughputNames;
  const flippedAt = await target.fail('/throughput');
  const deadline = flippedAt + THROUGHPUT_TIMEOUT_S * 1000;
  const covered = () => {
    const pages = receiver.pages('/pharos/throughput').filter((p) => p.at >= flippedAt && pharosAlerts(p.body, names).some((a) => a.status === 'firing'));
    return { pages, alerts: new Set(pages.flatMap((p) => pharosAlerts(p.body, names).filter((a) => a.status === 'firing').map((a) => a.name))).size };
  };
  while (Date.now() < deadline && covered().alerts < names.length) await sleep(100);
  await target.recover('/throughput');
  const { pages, alerts } = covered();
  if (pages.length === 0) return `no page arrived within ${THROUGHPUT_TIMEOUT_S} s for ${names.length} rules firing at once`;
  const first = pages[0]!.at;
  const last = pages.at(-1)!.at;
  const span = Math.max(1, last - first) / 1000;
  return `${names.length} rules on one monitor firing at once: ${alerts}/${names.length} alerts paged in ${pages.length} pages; ` +
    `first page ${((first - flippedAt) / 1000).toFixed(1)} s after the flip, last ${((last - flippedAt) / 1000).toFixed(1)} s; ${(pages.length / span).toFixed(0)} pages/s from the first to the last`;
}

/** Both webhook channels through POST /v1/channels/{id}/test: the receiver must get a signed test page. */
async function checkChannels(side: PharosSide): Promise<void> {
  for (const config of ['default', 'fast'] as const) {
    const channel = `/pharos/${config}`;
    const answer: { ok: boolean; status?: number; error?: string } = await side.testChannel(config).catch((error: Error) => ({ ok: false, error: error.message.slice(0, 200) }));
    const page = receiver.pages(channel).at(-1);
    const signed = page ? standardWebhookValid(side.secrets.get(channel) ?? '', page.headers, page.body) : false;
    out(`channel test (POST /v1/channels/{id}/test, ${config}): ${answer.ok ? 'accepted' : `not accepted: ${answer.error ?? answer.status}`}; ` +
      `${page ? `the receiver got it, Standard Webhooks signature ${signed ? 'valid' : 'INVALID'}` : 'the receiver got nothing'}`);
  }
}
