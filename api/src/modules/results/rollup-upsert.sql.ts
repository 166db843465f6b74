import { sql } from 'kysely';
import { latencyBucketCount } from '../../contract/latency-buckets.ts';

/** SQL's 1-based bucket numbers. */
export const sqlBuckets = Array.from({ length: latencyBucketCount }, (_, i) => i + 1);

/**
 * A rollup row met again adds into it; histograms are summed element-wise, spelled out per bucket
 * (a generate_series subquery per row cost more than the rest of the update); a stored histogram of
 * another length (the bucket list only grows at the end) takes the general path, shorter counting as zeros.
 */
export const ROLLUP_CONFLICT = sql.raw(`ON CONFLICT (monitor_id, region, resolution, bucket_start) DO UPDATE SET
        checks = result_rollups.checks + excluded.checks,
        up = result_rollups.up + excluded.up,
        degraded = result_rollups.degraded + excluded.degraded,
        down = result_rollups.down + excluded.down,
        sum_ms = result_rollups.sum_ms + excluded.sum_ms,
        max_ms = greatest(result_rollups.max_ms, excluded.max_ms),
        histogram = CASE WHEN cardinality(result_rollups.histogram) = ${latencyBucketCount} AND cardinality(excluded.histogram) = ${latencyBucketCount}
          THEN ARRAY[${sqlBuckets.map((i) => `result_rollups.histogram[${i}] + excluded.histogram[${i}]`).join(', ')}]
          ELSE ARRAY(SELECT coalesce(result_rollups.histogram[i], 0) + coalesce(excluded.histogram[i], 0)
                     FROM generate_series(1, greatest(cardinality(result_rollups.histogram), cardinality(excluded.histogram))) AS i) END`);
