import { idOfKey, isFailing, kindOfKey, serviceKey, edgeKey, type FailureGraph, type GraphEdge, type NodeKey } from './failure-graph.ts';

// What correlation and root-cause analysis derive from one FailureGraph, built once per graph object
// in O(V + E) and kept in a WeakMap keyed by it: the adjacency (A → e → B for a monitored edge e,
// A → B always), the strongly connected components of the failing nodes, and for each component the
// failing "sink" components its failure leads to. A FailureGraph is a snapshot: build a new object
// when states change (its derived data is never recomputed for the same object).
//
// Failing sinks answer `related` in O(1) per pair: two failure reaches intersect exactly when they
// lead to a common sink component (from a common failing node, follow failing dependencies until
// none is left: that ends in a sink; and a non-failing node is only ever reached from itself).

interface Derived {
  succ: Map<NodeKey, NodeKey[]>;
  pred: Map<NodeKey, NodeKey[]>;
  edges: Map<string, GraphEdge>;
  /** Failing node → index of its component in `members`. */
  comp: Map<NodeKey, number>;
  members: NodeKey[][];
  /** Per component: no failing dependency outside it. */
  sink: boolean[];
  /** Per component: the sink components its failure leads to. */
  sinks: ReadonlySet<number>[];
  reach: Map<NodeKey, ReadonlySet<NodeKey>>;
}

const derivedOf = new WeakMap<FailureGraph, Derived>();
const none: readonly NodeKey[] = [];
const noSinks: ReadonlySet<number> = new Set();

function push(map: Map<NodeKey, NodeKey[]>, from: NodeKey, to: NodeKey): void {
  const list = map.get(from);
  if (list) list.push(to);
  else map.set(from, [to]);
}

function derive(graph: FailureGraph): Derived {
  const cached = derivedOf.get(graph);
  if (cached) return cached;
  const succ = new Map<NodeKey, NodeKey[]>();
  const pred = new Map<NodeKey, NodeKey[]>();
  const edges = new Map<string, GraphEdge>();
  for (const e of graph.edges) {
    edges.set(e.id, e);
    const a = serviceKey(e.from);
    const b = serviceKey(e.to);
    push(succ, a, b);
    push(pred, b, a);
    if (e.monitored) {
      const k = edgeKey(e.id);
      push(succ, a, k);
      push(pred, k, a);
      push(succ, k, b);
      push(pred, b, k);
    }
  }
  const failing = (n: NodeKey) => isFailing(graph.health.get(n));
  const { comp, members } = failingComponents(graph, succ, failing);
  // Tarjan emits a component after every component reachable from it, so successors are done first.
  const sink: boolean[] = [];
  const sinks: ReadonlySet<number>[] = [];
  members.forEach((nodes, c) => {
    const below = new Set<number>();
    for (const n of nodes) for (const s of succ.get(n) ?? none) {
      const sc = comp.get(s);
      if (sc !== undefined && sc !== c) below.add(sc);
    }
    sink[c] = below.size === 0;
    if (below.size === 0) sinks[c] = new Set([c]);
    else if (below.size === 1) sinks[c] = sinks[[...below][0]!]!;
    else {
      const union = new Set<number>();
      for (const b of below) for (const s of sinks[b]!) union.add(s);
      sinks[c] = union;
    }
  });
  const d: Derived = { succ, pred, edges, comp, members, sink, sinks, reach: new Map() };
  derivedOf.set(graph, d);
  return d;
}

/** Tarjan's algorithm over the failing nodes only, iterative (a long failing chain must not overflow the stack). */
function failingComponents(graph: FailureGraph, succ: Map<NodeKey, NodeKey[]>, failing: (n: NodeKey) => boolean): { comp: Map<NodeKey, number>; members: NodeKey[][] } {
  const comp = new Map<NodeKey, number>();
  const members: NodeKey[][] = [];
  const index = new Map<NodeKey, number>();
  const low = new Map<NodeKey, number>();
  const stack: NodeKey[] = [];
  const onStack = new Set<NodeKey>();
  let counter = 0;
  const visit = (n: NodeKey) => {
    index.set(n, counter);
    low.set(n, counter);
    counter += 1;
    stack.push(n);
    onStack.add(n);
  };
  for (const start of graph.health.keys()) {
    if (index.has(start) || !failing(start)) continue;
    visit(start);
    const work: Array<{ node: NodeKey; next: NodeKey[]; i: number }> = [{ node: start, next: (succ.get(start) ?? []).filter(failing), i: 0 }];
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      if (top.i < top.next.length) {
        const s = top.next[top.i++]!;
        if (!index.has(s)) {
          visit(s);
          work.push({ node: s, next: (succ.get(s) ?? []).filter(failing), i: 0 });
        } else if (onStack.has(s)) low.set(top.node, Math.min(low.get(top.node)!, index.get(s)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(top.node)!));
      if (low.get(top.node) === index.get(top.node)) {
        const nodes: NodeKey[] = [];
        for (;;) {
          const n = stack.pop()!;
          onStack.delete(n);
          comp.set(n, members.length);
          nodes.push(n);
          if (n === top.node) break;
        }
        members.push(nodes.sort());
      }
    }
  }
  return { comp, members };
}

/** What the node depends on: for a service its dependencies and the monitored edges to them; for an edge its target. */
export function dependenciesOf(graph: FailureGraph, node: NodeKey): readonly NodeKey[] {
  return derive(graph).succ.get(node) ?? none;
}

/** What depends on the node (the inverse of dependenciesOf). */
export function dependentsOf(graph: FailureGraph, node: NodeKey): readonly NodeKey[] {
  return derive(graph).pred.get(node) ?? none;
}

/** The node plus every failing node reachable downstream from it through failing nodes only (cycles allowed). */
export function failureReach(graph: FailureGraph, node: NodeKey): ReadonlySet<NodeKey> {
  const d = derive(graph);
  const cached = d.reach.get(node);
  if (cached) return cached;
  const seen = new Set<NodeKey>([node]);
  const todo: NodeKey[] = [node];
  while (todo.length > 0) {
    for (const s of d.succ.get(todo.pop()!) ?? none) {
      if (!seen.has(s) && d.comp.has(s)) {
        seen.add(s);
        todo.push(s);
      }
    }
  }
  d.reach.set(node, seen);
  return seen;
}

/** The failing sink components (ids) the node's failure leads to; empty for a node with no failing dependency that is not failing itself. */
export function failingSinks(graph: FailureGraph, node: NodeKey): ReadonlySet<number> {
  const d = derive(graph);
  const c = d.comp.get(node);
  if (c !== undefined) return d.sinks[c]!;
  let out: Set<number> | undefined;
  let only: ReadonlySet<number> = noSinks;
  for (const s of d.succ.get(node) ?? none) {
    const sc = d.comp.get(s);
    if (sc === undefined) continue;
    const sinks = d.sinks[sc]!;
    if (only === noSinks) only = sinks;
    else if (sinks !== only) {
      out ??= new Set(only);
      for (const x of sinks) out.add(x);
    }
  }
  return out ?? only;
}

/** The failing strongly connected component holding the node (itself alone when it is in no cycle), or undefined when it is not failing. */
export function failingComponent(graph: FailureGraph, node: NodeKey): readonly NodeKey[] | undefined {
  const d = derive(graph);
  const c = d.comp.get(node);
  return c === undefined ? undefined : d.members[c];
}

/** A failing node whose component has no failing dependency outside it: where a failure starts. */
export function isFailureSink(graph: FailureGraph, node: NodeKey): boolean {
  const d = derive(graph);
  const c = d.comp.get(node);
  return c !== undefined && d.sink[c]!;
}

/** The dependency behind an `edge:` key. */
export function edgeOf(graph: FailureGraph, key: NodeKey): GraphEdge | undefined {
  return kindOfKey(key) === 'edge' ? derive(graph).edges.get(idOfKey(key)) : undefined;
}

/** A service's name, or "a → b" for an edge, for sentences a person reads. */
export function nodeName(graph: FailureGraph, key: NodeKey): string {
  const serviceName = (id: string) => graph.services.get(id)?.name ?? id;
  if (kindOfKey(key) === 'service') return serviceName(idOfKey(key));
  const e = edgeOf(graph, key);
  return e ? `${serviceName(e.from)} → ${serviceName(e.to)}` : `dependency ${idOfKey(key)}`;
}
