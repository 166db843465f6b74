import { Pool } from 'undici';

// Child process of figure 6 of `npm run bench:runner` (runner.blackbox.ts): drives
// blackbox_exporter the way Prometheus does, one GET /probe?module=…&target=… per probe, at a fixed
// rate, over keep-alive connections to the exporter. Its own CPU is not counted. argv: exporter
// origin, module, target origin, probes per second, number of target paths. Over IPC it answers
// {count: true} with {sent, succeeded, failed, inFlight} so far; it stops on {stop: true} or when
// its parent goes away, and never runs longer than 15 minutes.

const [exporter, module, targetOrigin, rateArg, pathsArg] = process.argv.slice(2);
const rate = Number(rateArg);
const paths = Number(pathsArg);
if (!exporter || !module || !targetOrigin || !(rate > 0) || !(paths > 0)) {
  process.stderr.write('usage: runner.blackbox.driver.ts <exporter origin> <module> <target origin> <probes/s> <paths>\n');
  process.exit(2);
}

const pool = new Pool(exporter, { connections: 64, pipelining: 1 });
const counts = { sent: 0, succeeded: 0, failed: 0, inFlight: 0 };
const probePaths = Array.from({ length: paths }, (_, i) => `/probe?module=${encodeURIComponent(module)}&target=${encodeURIComponent(`${targetOrigin}/m/${i}`)}`);

async function probe(path: string): Promise<void> {
  counts.sent += 1;
  counts.inFlight += 1;
  try {
    const res = await pool.request({ method: 'GET', path });
    const text = await res.body.text();
    if (res.statusCode === 200 && /^probe_success 1$/m.test(text)) counts.succeeded += 1;
    else counts.failed += 1;
  } catch {
    counts.failed += 1;
  } finally {
    counts.inFlight -= 1;
  }
}

// A tick every 10 ms sends what the fixed rate owes since the start, so a late tick catches up.
const startedAt = performance.now();
let next = 0;
const tick = setInterval(() => {
  const owed = Math.floor(((performance.now() - startedAt) / 1000) * rate);
  for (; counts.sent < owed; next = (next + 1) % paths) void probe(probePaths[next]!);
}, 10);

const stop = (): void => {
  clearInterval(tick);
  void pool.destroy().finally(() => process.exit(0));
};
const limit = setTimeout(stop, 15 * 60_000);
limit.unref();
process.on('message', (message: { count?: boolean; stop?: boolean }) => {
  if (message.count) process.send?.({ ...counts });
  if (message.stop) stop();
});
process.on('disconnect', stop);
process.send?.({ ready: true });
