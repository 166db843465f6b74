import type { LoadTest } from '../api/src/contract/load-test.schema.ts';

// What `npm run loadtest` prints: one progress line per poll and the summary table at the end.

type Figures = LoadTest['overall'];
const ms = (n: number | null): string => (n === null ? '-' : `${n < 10 ? n.toFixed(2) : n.toFixed(1)}`);
const pct = (n: number | null): string => (n === null ? '-' : `${(n * 100).toFixed(2)}%`);
const counts = (record: Record<string, number>): string =>
  Object.entries(record).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}×${n}`).join(' ') || '-';

/** "running 42% · 1,234 requests · 812 req/s · p95 12.3 ms · errors 0.10%" */
export function progressLine(test: LoadTest): string {
  const o = test.overall;
  return `${test.state.padEnd(7)} ${String(Math.round(test.progress * 100)).padStart(3)}% · ${o.requests.toLocaleString('en-US')} requests · ${o.requests_per_second === null ? '-' : Math.round(o.requests_per_second)} req/s · p95 ${ms(o.latency.p95_ms)} ms · errors ${pct(o.error_rate)}`;
}

function row(label: string, f: Figures): string[] {
  return [label, f.requests.toLocaleString('en-US'), f.requests_per_second === null ? '-' : f.requests_per_second.toFixed(0), ms(f.latency.p50_ms), ms(f.latency.p90_ms), ms(f.latency.p95_ms), ms(f.latency.p99_ms), ms(f.latency.max_ms), pct(f.error_rate)];
}

/** The final figures per region and overall, the status codes and errors, and the verdict. */
export function summary(test: LoadTest): string {
  const header = ['region', 'requests', 'req/s', 'p50 ms', 'p90 ms', 'p95 ms', 'p99 ms', 'max ms', 'errors'];
  const rows = [...test.by_region.map((r) => row(`${r.region} (${r.state})`, r)), row('overall', test.overall)];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const lines = [`load test ${test.id}: ${test.state}${test.verdict ? ` (${test.verdict})` : ''}`, line(header), ...rows.map(line)];
  lines.push(`status codes: ${counts(test.overall.status_codes)}`);
  lines.push(`errors by code: ${counts(test.overall.errors_by_code)}`);
  for (const r of test.by_region) if (r.message) lines.push(`${r.region}: ${r.message}`);
  const criteria = [
    test.criteria.p95_below_ms !== undefined ? `p95 below ${test.criteria.p95_below_ms} ms` : undefined,
    test.criteria.error_rate_below !== undefined ? `error rate below ${pct(test.criteria.error_rate_below)}` : undefined,
  ].filter(Boolean);
  lines.push(`criteria: ${criteria.join(', ') || 'none'}`);
  for (const reason of test.verdict_reasons) lines.push(`  ✗ ${reason}`);
  return lines.join('\n');
}
