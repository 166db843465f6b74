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

/** Compressed adjacency: the neighbours of node v are to[start[v] .. start[v + 1]). */
interface Adjacency {
  start: Int32Array;
  to: Int32Array;
}

interface Derived {
  keys: NodeKey[];
  index: Map<NodeKey, number>;
  succ: Adjacency;
  pred: Adjacency;
  /** Lazily converted succ / pred lists, by node index. */
  succKeys: (NodeKey[] | undefined)[];
  predKeys: (NodeKey[] | undefined)[];
  edges: Map<string, GraphEdge>;
  /** Per node index: its failing component in `members`, or -1 when the node is not failing. */
  comp: Int32Array;
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

// Nodes are numbered once (each key string made and hashed once) and the adjacency is two typed
// arrays, so a new graph derives in about a millisecond per 1,000 services with little garbage.
function derive(graph: FailureGraph): Derived {
  const cached = derivedOf.get(graph);
  if (cached) return cached;
  const keys: NodeKey[] = [];
  const index = new Map<NodeKey, number>();
  const byServiceId = new Map<string, number>();
  const add = (key: NodeKey): number => {
    let i = index.get(key);
    if (i === undefined) {
      i = keys.length;
      keys.push(key);
      index.set(key, i);
    }
    return i;
  };
  const service = (id: string): number => {
    let i = byServiceId.get(id);
    if (i === undefined) {
      i = add(serviceKey(id));
      byServiceId.set(id, i);
    }
    return i;
  };
  const edges = new Map<string, GraphEdge>();
  // Links as flat (from, to) pairs: A → B always, A → e → B for a monitored edge.
  const links: number[] = [];
  for (const e of graph.edges) {
    edges.set(e.id, e);
    const a = service(e.from);
    const b = service(e.to);
    links.push(a, b);
    if (e.monitored) {
      const k = add(edgeKey(e.id));
      links.push(a, k, k, b);
    }
  }
  for (const key of graph.health.keys()) add(key);
  const n = keys.length;
  const succ = compress(n, links, 0);
  const pred = compress(n, links, 1);
  const failing = new Uint8Array(n);
  for (let i = 0; i < n; i++) failing[i] = isFailing(graph.health.get(keys[i]!)) ? 1 : 0;
  const { comp, members } = failingComponents(keys, succ, failing);
  // Tarjan emits a component after every component reachable from it, so successors are done first.
  const sink: boolean[] = [];
  const sinks: ReadonlySet<number>[] = [];
  members.forEach((nodes, c) => {
    const below = new Set<number>();
    for (const node of nodes) {
      const v = index.get(node)!;
      for (let j = succ.start[v]!; j < succ.start[v + 1]!; j++) {
        const sc = comp[succ.to[j]!]!;
        if (sc >= 0 && sc !== c) below.add(sc);
      }
    }
    sink[c] = below.size === 0;
    if (below.size === 0) sinks[c] = new Set([c]);
    else if (below.size === 1) sinks[c] = sinks[[...below][0]!]!;
    else {
      const union = new Set<number>();
      for (const b of below) for (const x of sinks[b]!) union.add(x);
      sinks[c] = union;
    }
  });
  const d: Derived = { keys, index, succ, pred, succKeys: [], predKeys: [], edges, comp, members, sink, sinks, reach: new Map() };
  derivedOf.set(graph, d);
  return d;
}

/** Adjacency from flat (from, to) pairs; `side` 0 lists each from's targets, 1 each to's sources. */
function compress(n: number, links: readonly number[], side: 0 | 1): Adjacency {
  const start = new Int32Array(n + 1);
  for (let j = side; j < links.length; j += 2) start[links[j]! + 1]! += 1;
  for (let v = 0; v < n; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, n);
  const to = new Int32Array(links.length / 2);
  for (let j = 0; j < links.length; j += 2) {
    const from = links[j + side]!;
    to[fill[from]!++] = links[j + 1 - side]!;
  }
  return { start, to };
}

/** Tarjan's algorithm over the failing nodes only, iterative (a long failing chain must not overflow the stack). */
function failingComponents(keys: readonly NodeKey[], succ: Adjacency, failing: Uint8Array): { comp: Int32Array; members: NodeKey[][] } {
  const n = keys.length;
  const comp = new Int32Array(n).fill(-1);
  const members: NodeKey[][] = [];
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const work: number[] = [];
  const next: number[] = [];
  let counter = 0;
  const visit = (v: number) => {
    order[v] = low[v] = counter++;
    stack.push(v);
    onStack[v] = 1;
    work.push(v);
    next.push(succ.start[v]!);
  };
  for (let root = 0; root < n; root++) {
    if (order[root] !== -1 || !failing[root]) continue;
    visit(root);
    while (work.length > 0) {
      const top = work.length - 1;
      const v = work[top]!;
      if (next[top]! < succ.start[v + 1]!) {
        const s = succ.to[next[top]!++]!;
        if (!failing[s]) continue;
        if (order[s] === -1) visit(s);
        else if (onStack[s]) low[v] = Math.min(low[v]!, order[s]!);
        continue;
      }
      work.pop();
      next.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]!;
        low[parent] = Math.min(low[parent]!, low[v]!);
      }
      if (low[v] === order[v]) {
        const nodes: NodeKey[] = [];
        for (;;) {
          const x = stack.pop()!;
          onStack[x] = 0;
          comp[x] = members.length;
          nodes.push(keys[x]!);
          if (x === v) break;
        }
        members.push(nodes.sort());
      }
    }
  }
  return { comp, members };
}

function keysOf(d: Derived, adj: Adjacency, cache: (NodeKey[] | undefined)[], node: NodeKey): readonly NodeKey[] {
  const i = d.index.get(node);
  if (i === undefined) return none;
  let list = cache[i];
  if (!list) {
    list = [];
    for (let j = adj.start[i]!; j < adj.start[i + 1]!; j++) list.push(d.keys[adj.to[j]!]!);
    cache[i] = list;
  }
  return list;
}

const compOf = (d: Derived, node: NodeKey): number => {
  const i = d.index.get(node);
  return i === undefined ? -1 : d.comp[i]!;
};

/** What the node depends on: for a service its dependencies and the monitored edges to them; for an edge its target. */
export function dependenciesOf(graph: FailureGraph, node: NodeKey): readonly NodeKey[] {
  const d = derive(graph);
  return keysOf(d, d.succ, d.succKeys, node);
}

/** What depends on the node (the inverse of dependenciesOf). */
export function dependentsOf(graph: FailureGraph, node: NodeKey): readonly NodeKey[] {
  const d = derive(graph);
  return keysOf(d, d.pred, d.predKeys, node);
}

/** The node plus every failing node reachable downstream from it through failing nodes only (cycles allowed). */
export function failureReach(graph: FailureGraph, node: NodeKey): ReadonlySet<NodeKey> {
  const d = derive(graph);
  const cached = d.reach.get(node);
  if (cached) return cached;
  const seen = new Set<NodeKey>([node]);
  const start = d.index.get(node);
  if (start !== undefined) {
    const visited = new Set<number>([start]);
    const todo: number[] = [start];
    while (todo.length > 0) {
      const v = todo.pop()!;
      for (let j = d.succ.start[v]!; j < d.succ.start[v + 1]!; j++) {
        const s = d.succ.to[j]!;
        if (d.comp[s]! >= 0 && !visited.has(s)) {
          visited.add(s);
          seen.add(d.keys[s]!);
          todo.push(s);
        }
      }
    }
  }
  d.reach.set(node, seen);
  return seen;
}

/** The nodes plus every failing node their failures reach: the union of their failureReach, in one pass. */
export function failureScope(graph: FailureGraph, nodes: Iterable<NodeKey>): Set<NodeKey> {
  const d = derive(graph);
  const scope = new Set<NodeKey>();
  const visited = new Uint8Array(d.keys.length);
  const todo: number[] = [];
  for (const node of nodes) {
    scope.add(node);
    const i = d.index.get(node);
    if (i !== undefined && !visited[i]) {
      visited[i] = 1;
      todo.push(i);
    }
  }
  while (todo.length > 0) {
    const v = todo.pop()!;
    for (let j = d.succ.start[v]!; j < d.succ.start[v + 1]!; j++) {
      const s = d.succ.to[j]!;
      if (d.comp[s]! >= 0 && !visited[s]) {
        visited[s] = 1;
        scope.add(d.keys[s]!);
        todo.push(s);
      }
    }
  }
  return scope;
}

/** The failing sink components (ids) the node's failure leads to; empty for a node with no failing dependency that is not failing itself. */
export function failingSinks(graph: FailureGraph, node: NodeKey): ReadonlySet<number> {
  const d = derive(graph);
  const i = d.index.get(node);
  if (i === undefined) return noSinks;
  const c = d.comp[i]!;
  if (c >= 0) return d.sinks[c]!;
  let out: Set<number> | undefined;
  let only: ReadonlySet<number> = noSinks;
  for (let j = d.succ.start[i]!; j < d.succ.start[i + 1]!; j++) {
    const sc = d.comp[d.succ.to[j]!]!;
    if (sc < 0) continue;
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
  const c = compOf(d, node);
  return c < 0 ? undefined : d.members[c];
}

/** A failing node whose component has no failing dependency outside it: where a failure starts. */
export function isFailureSink(graph: FailureGraph, node: NodeKey): boolean {
  const d = derive(graph);
  const c = compOf(d, node);
  return c >= 0 && d.sink[c]!;
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
