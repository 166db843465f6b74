import { Pool } from 'undici';

export interface LoadResult {
  label: string;
  sent: number;
  errors: number;
  seconds: number;
  throughput: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Percentile of sorted numbers (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function summarize(label: string, latencies: number[], errors: number, seconds: number): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { label, sent: latencies.length + errors, errors, seconds, throughput: latencies.length / seconds, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN };
}

export type RequestFactory = (i: number) => { method: 'GET' | 'POST'; path: string; body?: string };

/**
 * Open-loop load at a fixed rate: request i is due at start + i/rate and its latency is measured from
 * that due time, so a slow server cannot hide queueing (no coordinated omission). Bounded by count.
 */
export async function constantRate(origin: string, headers: Record<string, string>, label: string, rate: number, seconds: number, make: RequestFactory): Promise<LoadResult> {
  const pool = new Pool(origin, { connections: 64, pipelining: 1 });
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const req = make(i);
    inflight.push(
      pool.request({ method: req.method, path: req.path, headers, body: req.body }).then(
        async (res) => {
          await res.body.text();
          if (res.statusCode >= 400) errors++;
          else latencies.push(performance.now() - due);
        },
        () => void errors++,
      ),
    );
  }
  await Promise.all(inflight);
  await pool.close();
  return summarize(label, latencies, errors, (performance.now() - start) / 1000);
}

/** Closed-loop load: `concurrency` workers send back-to-back for `seconds` (bounded by maxRequests). */
export async function saturate(origin: string, headers: Record<string, string>, label: string, concurrency: number, seconds: number, maxRequests: number, make: RequestFactory): Promise<LoadResult> {
  const pool = new Pool(origin, { connections: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline && next < maxRequests) {
        const req = make(next++);
        const t0 = performance.now();
        try {
          const res = await pool.request({ method: req.method, path: req.path, headers, body: req.body });
          await res.body.text();
          if (res.statusCode >= 400) errors++;
          else latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  await pool.close();
  return summarize(label, latencies, errors, (performance.now() - start) / 1000);
}

/** Prints results as an aligned table. */
export function printTable(results: LoadResult[], baseline?: LoadResult): void {
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '-');
  process.stdout.write(`\n${'scenario'.padEnd(44)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p90 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'errors'.padStart(7)}${baseline ? '  p99/baseline' : ''}\n`);
  for (const r of results) {
    const ratio = baseline ? `  ${(r.p99 / baseline.p99).toFixed(1)}×` : '';
    process.stdout.write(`${r.label.padEnd(44)} ${r.throughput.toFixed(0).padStart(9)} ${f(r.p50).padStart(8)} ${f(r.p90).padStart(8)} ${f(r.p99).padStart(8)} ${f(r.max).padStart(8)} ${String(r.errors).padStart(7)}${ratio}\n`);
  }
}
