// The fake API server's storage: etcd's model reduced to what list/watch clients can observe. One
// global, monotonically increasing resourceVersion bumped by every write; a bounded history of changes
// (with the object before each change, so any state since the compaction point can be rebuilt for
// paged lists and Exact reads); objects ordered by their etcd key (namespace/name).

import { randomUUID } from 'node:crypto';
import { applyDefaults, ClusterIpAllocator, type KubeObject, type ResourceType } from './fake-kube-api.resources.ts';
import { tooOldResourceVersion } from './fake-kube-api.status.ts';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  rv: number;
  type: ChangeType;
  resource: ResourceType;
  key: string;
  /** The object after the change; for DELETED the last state, stamped with the deletion's rv. */
  object: KubeObject;
  /** The object before the change (MODIFIED, DELETED). */
  previous?: KubeObject;
}

export type ChangeListener = (change: Change) => void;

/** etcd key order: `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

const clone = <T>(value: T): T => structuredClone(value);

/** RFC 3339 at second precision, as metav1.Time serialises. */
const timestamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export class KubeStore {
  #rv = 0;
  /** History holds every change with rv > #compactedRv. */
  #compactedRv = 0;
  #history: Change[] = [];
  #objects = new Map<ResourceType, Map<string, KubeObject>>();
  #listeners = new Set<ChangeListener>();
  #ips = new ClusterIpAllocator();

  constructor(readonly historyLimit: number) {}

  get resourceVersion(): number {
    return this.#rv;
  }

  /** The oldest resourceVersion a watch may start from or a list may be read at. */
  get compactedResourceVersion(): number {
    return this.#compactedRv;
  }

  #bucket(type: ResourceType): Map<string, KubeObject> {
    let bucket = this.#objects.get(type);
    if (!bucket) this.#objects.set(type, (bucket = new Map()));
    return bucket;
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.#bucket(type).get(objectKey(namespace, name));
    return found && clone(found);
  }

  /**
   * Creates or updates an object; returns the change, or undefined for an update that changes
   * nothing (the real server does not bump the resourceVersion of a no-op update).
   */
  put(type: ResourceType, input: KubeObject): Change | undefined {
    const object = clone(input);
    const meta = object.metadata;
    const key = objectKey(type.namespaced ? meta.namespace : undefined, meta.name!);
    const bucket = this.#bucket(type);
    const previous = bucket.get(key);
    meta.uid = previous?.metadata.uid ?? meta.uid ?? randomUUID();
    meta.creationTimestamp = previous?.metadata.creationTimestamp ?? meta.creationTimestamp ?? timestamp();
    if (!type.namespaced) delete meta.namespace;
    delete meta.generateName;
    applyDefaults(object, previous, this.#ips);
    if (previous) {
      meta.resourceVersion = previous.metadata.resourceVersion;
      if (JSON.stringify(object) === JSON.stringify(previous)) return undefined;
    }
    meta.resourceVersion = String(++this.#rv);
    bucket.set(key, object);
    return this.#record({ rv: this.#rv, type: previous ? 'MODIFIED' : 'ADDED', resource: type, key, object: clone(object), ...(previous ? { previous } : {}) });
  }

  delete(type: ResourceType, namespace: string | undefined, name: string): Change | undefined {
    const key = objectKey(type.namespaced ? namespace : undefined, name);
    const bucket = this.#bucket(type);
    const previous = bucket.get(key);
    if (!previous) return undefined;
    bucket.delete(key);
    const object = clone(previous);
    object.metadata.resourceVersion = String(++this.#rv);
    return this.#record({ rv: this.#rv, type: 'DELETED', resource: type, key, object, previous });
  }

  #record(change: Change): Change {
    this.#history.push(change);
    while (this.#history.length > this.historyLimit) this.#compactedRv = this.#history.shift()!.rv;
    for (const listener of [...this.#listeners]) listener(change);
    return change;
  }

  /** Drops the whole history: reads and watches at any resourceVersion before now answer 410. */
  compact(): void {
    this.#history = [];
    this.#compactedRv = this.#rv;
  }

  /** Objects of one type in key order as they were at `rv` (default: now). Throws 410 if compacted. */
  snapshot(type: ResourceType, rv = this.#rv): { key: string; object: KubeObject }[] {
    if (rv < this.#compactedRv) throw tooOldResourceVersion(rv, this.#compactedRv);
    const state = new Map(this.#bucket(type));
    for (let i = this.#history.length - 1; i >= 0 && this.#history[i]!.rv > rv; i--) {
      const change = this.#history[i]!;
      if (change.resource !== type) continue;
      if (change.type === 'ADDED') state.delete(change.key);
      else state.set(change.key, change.previous!);
    }
    return [...state.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, object]) => ({ key, object: clone(object) }));
  }

  /** Changes of one type after `rv`, oldest first. Throws 410 when `rv` is older than the history. */
  changesSince(type: ResourceType, rv: number): Change[] {
    if (rv < this.#compactedRv) throw tooOldResourceVersion(rv, this.#compactedRv);
    return this.#history.filter((c) => c.rv > rv && c.resource === type);
  }

  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
