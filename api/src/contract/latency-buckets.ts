/**
 * Upper bounds (ms) of the latency histogram kept in result rollups; the last bucket is +Inf.
 * Changing them invalidates stored histograms: add a new rollup version instead.
 */
export const latencyBucketBounds = [1, 2, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 20000, 30000, 60000] as const;

/** Number of buckets, the +Inf bucket included. */
export const latencyBucketCount = latencyBucketBounds.length + 1;

/** Index of the bucket a duration falls in (ms ≤ bound; beyond the last bound: the +Inf bucket). */
export function bucketIndex(ms: number): number {
  let low = 0;
  let high = latencyBucketBounds.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (ms <= latencyBucketBounds[mid]!) high = mid;
    else low = mid + 1;
  }
  return low;
}
