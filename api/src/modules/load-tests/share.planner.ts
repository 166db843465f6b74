/** A live runner as the share planner sees it. */
export interface CapableRunner {
  id: string;
  region: string;
}

/**
 * One runner per region for a new load test: the one with the fewest unfinished shares (ties: the
 * lowest id, so replicas agree). Regions without a capable runner are absent from the answer.
 */
export function pickRunners(regions: readonly string[], runners: readonly CapableRunner[], activeShares: ReadonlyMap<string, number>): Map<string, string> {
  const picked = new Map<string, string>();
  for (const region of regions) {
    const best = runners
      .filter((r) => r.region === region)
      .sort((a, b) => (activeShares.get(a.id) ?? 0) - (activeShares.get(b.id) ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
    if (best) picked.set(region, best.id);
  }
  return picked;
}
