import type { Baseline } from './latency.baseline.ts';

/** How long a learnt latency baseline is reused before it is learnt again from the rollups. */
export const baselineTtlMs = 5 * 60_000;
/** Most baselines kept (a few hundred bytes each); the least recently used go first. */
export const baselineCacheSize = 20_000;

/**
 * Learnt latency baselines, per organization × subject × region × excluded window, reused for
 * `ttlMs`. A baseline is the median and spread of seven days of per-minute p95s: it moves slowly,
 * while reading those minutes is the dearest query an anomaly rule makes. A stale entry is at most
 * `ttlMs` old (a warming-up baseline turns ready that much later). Concurrent misses for one key
 * share one load; a failed load is not kept.
 */
export class BaselineCache {
  private readonly entries = new Map<string, { at: number; value: Promise<Baseline> }>();

  constructor(private readonly ttlMs = baselineTtlMs, private readonly maxEntries = baselineCacheSize) {}

  get(key: string, now: number, load: () => Promise<Baseline>): Promise<Baseline> {
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs && now >= hit.at) {
      // Re-insert: Map order is the recency order the eviction reads.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const value = load();
    this.entries.delete(key);
    this.entries.set(key, { at: now, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
