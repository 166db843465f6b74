// Latency histogram layout shared by result ingest (which fills `result_rollups.histogram`) and the
// SLA queries (which read percentiles from it). Changing the bounds changes the meaning of every
// stored histogram, so this list only ever grows at the end, never in the middle.

/**
 * Upper bounds (inclusive, milliseconds) of the latency histogram buckets: bucket i counts
 * durations in (bound[i-1], bound[i]], bucket 0 counts [0, 1], the last bucket (+Inf) everything
 * above 60 s. A stored histogram is an integer array of exactly this length.
 */
export const latencyBucketBounds: readonly number[] = Object.freeze([
  1, 2, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 20000, 30000, 60000, Number.POSITIVE_INFINITY,
]);

/** Number of histogram buckets (27). */
export const latencyBucketCount = latencyBucketBounds.length;

/** Index of the bucket a duration in milliseconds falls into; negative counts as 0, NaN as +Inf. */
export function bucketIndex(ms: number): number {
  if (Number.isNaN(ms)) return latencyBucketCount - 1;
  // Binary search for the first bound >= ms; the +Inf bound guarantees one exists.
  let lo = 0;
  let hi = latencyBucketCount - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ms <= latencyBucketBounds[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** An empty histogram (all zeros) of the right length. */
export const emptyHistogram = (): number[] => new Array<number>(latencyBucketCount).fill(0);
