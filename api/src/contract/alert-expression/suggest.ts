/** Edit distance (insertions, deletions, substitutions, adjacent swaps) between two strings. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidates closest to `name` (case-insensitive), best first, at most `limit`: those within a
 * third of the name's length in edits (at least 1, at most 3), or containing it / contained in it.
 */
export function closestNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const wanted = name.toLowerCase();
  const budget = Math.min(3, Math.max(1, Math.floor(wanted.length / 3)));
  const scored: Array<{ candidate: string; score: number }> = [];
  for (const candidate of new Set(candidates)) {
    const c = candidate.toLowerCase();
    const distance = editDistance(wanted, c);
    const related = wanted.length >= 3 && (c.includes(wanted) || wanted.includes(c));
    if (distance <= budget || related) scored.push({ candidate, score: distance });
  }
  return scored.sort((x, y) => x.score - y.score || x.candidate.localeCompare(y.candidate)).slice(0, limit).map((s) => s.candidate);
}

/** ` did you mean "a" or "b"?` (quoted) or an empty string. */
export function didYouMean(suggestions: readonly string[], quote = true): string {
  if (suggestions.length === 0) return '';
  const q = (s: string) => (quote ? `"${s}"` : s);
  const list = suggestions.length === 1 ? q(suggestions[0]!) : `${suggestions.slice(0, -1).map(q).join(', ')} or ${q(suggestions[suggestions.length - 1]!)}`;
  return ` Did you mean ${list}?`;
}
