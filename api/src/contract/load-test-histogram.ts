// Mergeable latency histogram for load tests. Runners fill one per load test and send it with each
// progress report; the control plane merges the reports of every runner and reads percentiles from
// the merged counts. Log-linear buckets of microseconds: exact below 64 µs, then 32 buckets per
// power of two, so a percentile read from it is at most ~3 % above the exact value, up to ~71 minutes.

const SUB_BITS = 6;
const SUB = 1 << SUB_BITS;
/** Largest bucket index (longer durations land in it). */
export const maxBucket = SUB + (31 - SUB_BITS) * (SUB / 2) + SUB / 2 - 1;

/** Bucket index of a duration in microseconds (negative and NaN count as 0; huge values as the last bucket). */
export function histogramBucket(us: number): number {
  if (!(us >= 1)) return 0;
  const v = Math.min(Math.floor(us), 2 ** 32 - 1);
  if (v < SUB) return v;
  const exp = 31 - Math.clz32(v); // v in [2^exp, 2^(exp+1))
  const shift = exp - SUB_BITS + 1;
  const sub = (v >>> shift) - SUB / 2; // 0 … SUB/2 - 1 after the implicit leading bits
  return Math.min(maxBucket, SUB + (exp - SUB_BITS) * (SUB / 2) + sub);
}

/** Largest duration in microseconds that falls into bucket `i` (what a percentile reports). */
export function bucketUpperBound(i: number): number {
  if (i < SUB) return i;
  const k = i - SUB;
  const exp = Math.floor(k / (SUB / 2)) + SUB_BITS;
  const sub = (k % (SUB / 2)) + SUB / 2;
  const shift = exp - SUB_BITS + 1;
  return (sub + 1) * 2 ** shift - 1;
}

/** Sparse histogram: bucket index (as a decimal string) → count. This is the wire form. */
export type SparseHistogram = Record<string, number>;

/** Adds `count` observations of `us` microseconds. */
export function record(h: SparseHistogram, us: number, count = 1): void {
  const k = String(histogramBucket(us));
  h[k] = (h[k] ?? 0) + count;
}

/** Adds every count of `from` into `into`. */
export function merge(into: SparseHistogram, from: SparseHistogram): void {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
}

/** Total number of observations. */
export const totalCount = (h: SparseHistogram): number => Object.values(h).reduce((a, n) => a + n, 0);

/**
 * The q-quantile (0 < q ≤ 1) in milliseconds: the upper bound of the bucket holding the
 * ceil(q × total)-th smallest observation; null when the histogram is empty.
 */
export function quantileMs(h: SparseHistogram, q: number): number | null {
  const entries = Object.entries(h).map(([k, n]) => [Number(k), n] as const).filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((a, [, n]) => a + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [i, n] of entries) {
    seen += n;
    if (seen >= rank) return bucketUpperBound(i) / 1000;
  }
  return bucketUpperBound(entries[entries.length - 1]![0]) / 1000;
}
