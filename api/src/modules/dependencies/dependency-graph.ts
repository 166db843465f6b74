/** A directed edge: `from` depends on `to`. */
export interface Edge {
  from: string;
  to: string;
}

/**
 * The cycle closed by the edge from → to, as node ids starting and ending at `from`, or undefined.
 * Breadth-first from `to` along existing edges, so the shortest cycle is reported.
 */
export function cycleThrough(edges: readonly Edge[], from: string, to: string): string[] | undefined {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const parent = new Map<string, string>([[to, to]]);
  const queue = [to];
  while (queue.length) {
    const node = queue.shift()!;
    if (node === from) {
      const path = [node];
      for (let at = node; at !== to; ) {
        at = parent.get(at)!;
        path.push(at);
      }
      return [from, ...path.reverse()];
    }
    for (const n of next.get(node) ?? []) {
      if (!parent.has(n)) {
        parent.set(n, node);
        queue.push(n);
      }
    }
  }
  return undefined;
}
