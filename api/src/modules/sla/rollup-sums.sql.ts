import { sql, type RawBuilder } from 'kysely';
import { latencyBucketCount } from '../../contract/latency-buckets.ts';

/**
 * The element-wise sum of the histograms of a group's rollup rows (`alias`.histogram), one sum per
 * bucket: a single pass over the rows, no unnest. A shorter stored histogram counts as zeros.
 */
export function histogramSums(alias: string): RawBuilder<unknown> {
  return sql.join(Array.from({ length: latencyBucketCount }, (_, i) => sql`coalesce(sum(${sql.ref(`${alias}.histogram`)}[${sql.lit(i + 1)}]), 0)`));
}
