// Where the dependency map puts its team boxes. Each team's services are laid out by dagre on their
// own (left to right, by dependency); the boxes are then ordered so that teams that depend on other
// teams come first, and packed in rows to the viewport's shape. One dagre run over the whole fleet
// with teams as compound nodes stacks every team in a horizontal band, which at 31 services in 6
// teams is twice as tall as a laptop screen and puts team labels on top of the box above. Pure.

export interface TeamBox {
  id: string;
  w: number;
  h: number;
}

/**
 * Teams in dependency order: a team comes after every team whose services depend on its services
 * (longest path from the teams nobody depends on; dependencies that close a cycle are ignored),
 * ties in the given order.
 */
export function teamOrder(teams: readonly string[], dependencies: ReadonlyArray<readonly [from: string, to: string]>): string[] {
  const out = new Map<string, Set<string>>(teams.map((t) => [t, new Set()]));
  for (const [from, to] of dependencies) if (from !== to && out.has(from) && out.has(to)) out.get(from)!.add(to);
  // Depth-first from each team in order; an edge to a team on the current path closes a cycle.
  const state = new Map<string, 'visiting' | 'done'>();
  const kept = new Map<string, string[]>(teams.map((t) => [t, []]));
  const visit = (t: string) => {
    state.set(t, 'visiting');
    for (const next of out.get(t)!) {
      if (state.get(next) === 'visiting') continue;
      kept.get(t)!.push(next);
      if (!state.has(next)) visit(next);
    }
    state.set(t, 'done');
  };
  for (const t of teams) if (!state.has(t)) visit(t);
  const rank = new Map<string, number>(teams.map((t) => [t, 0]));
  // Relax ranks along the kept (acyclic) edges; at most |teams| rounds.
  for (let round = 0; round < teams.length; round++) {
    let changed = false;
    for (const t of teams) for (const next of kept.get(t)!) if (rank.get(next)! < rank.get(t)! + 1) {
      rank.set(next, rank.get(t)! + 1);
      changed = true;
    }
    if (!changed) break;
  }
  const index = new Map(teams.map((t, i) => [t, i]));
  return [...teams].sort((a, b) => rank.get(a)! - rank.get(b)! || index.get(a)! - index.get(b)!);
}

/**
 * Top-left corners of boxes packed in rows, in order, left to right. Of the row widths worth trying
 * (each first-k-boxes width), the one whose packing fits the area's aspect (width / height) at the
 * largest scale wins: the smallest max(width, height × aspect).
 */
export function packRows(boxes: readonly TeamBox[], aspect: number, gap: { x: number; y: number }): Map<string, { x: number; y: number }> {
  const ratio = aspect > 0 && Number.isFinite(aspect) ? aspect : 1;
  let best: { score: number; placed: Map<string, { x: number; y: number }> } | undefined;
  let prefix = 0;
  for (const b of boxes) {
    prefix += (prefix > 0 ? gap.x : 0) + b.w;
    const packed = shelf(boxes, prefix, gap);
    const score = Math.max(packed.width, packed.height * ratio);
    if (!best || score < best.score) best = { score, placed: packed.placed };
  }
  return best?.placed ?? new Map();
}

function shelf(boxes: readonly TeamBox[], width: number, gap: { x: number; y: number }) {
  const placed = new Map<string, { x: number; y: number }>();
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let widest = 0;
  for (const b of boxes) {
    if (x > 0 && x + b.w > width) {
      x = 0;
      y += rowHeight + gap.y;
      rowHeight = 0;
    }
    placed.set(b.id, { x, y });
    widest = Math.max(widest, x + b.w);
    x += b.w + gap.x;
    rowHeight = Math.max(rowHeight, b.h);
  }
  return { placed, width: widest, height: y + rowHeight };
}
