// The resource types the fake Kubernetes API server serves, and the defaulting the real API server
// applies on write (so objects read back look like a cluster's, not like the request).

/** A Kubernetes object as it travels on the wire. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

export interface ResourceType {
  /** API group, '' for the core group. */
  group: string;
  version: string;
  /** Plural resource name as it appears in paths and RBAC rules. */
  resource: string;
  kind: string;
  namespaced: boolean;
  /** Fields a fieldSelector may name (the real server rejects others). */
  fieldSelectors: readonly string[];
}

const metaFields = ['metadata.name', 'metadata.namespace'] as const;

export const resourceTypes: readonly ResourceType[] = [
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false, fieldSelectors: ['metadata.name', 'status.phase'] },
  { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true, fieldSelectors: [...metaFields, 'spec.clusterIP', 'spec.type'] },
  { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', kind: 'Ingress', namespaced: true, fieldSelectors: metaFields },
  {
    group: '',
    version: 'v1',
    resource: 'events',
    kind: 'Event',
    namespaced: true,
    fieldSelectors: [...metaFields, 'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'reason', 'type', 'source'],
  },
  {
    group: 'events.k8s.io',
    version: 'v1',
    resource: 'events',
    kind: 'Event',
    namespaced: true,
    fieldSelectors: [...metaFields, 'regarding.kind', 'regarding.namespace', 'regarding.name', 'regarding.uid', 'reason', 'type', 'reportingController'],
  },
];

/** `v1` or `group/version`. */
export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** `services` or `ingresses.networking.k8s.io`: the resource as RBAC and error messages name it. */
export function qualifiedResource(type: ResourceType): string {
  return type.group ? `${type.resource}.${type.group}` : type.resource;
}

export function typeForPath(group: string, version: string, resource: string): ResourceType | undefined {
  return resourceTypes.find((t) => t.group === group && t.version === version && t.resource === resource);
}

export function typeForObject(apiVersion: string, kind: string): ResourceType | undefined {
  return resourceTypes.find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
}

/** A kind name (`Service`, `Ingress`, `Namespace`, `Event`) or resource name; Event means core v1. */
export function typeForKind(kind: string): ResourceType | undefined {
  return resourceTypes.find((t) => t.kind === kind || t.resource === kind || qualifiedResource(t) === kind);
}

/** Next ClusterIP from the default service CIDR 10.96.0.0/12 (10.96.0.1 is the kubernetes Service). */
export class ClusterIpAllocator {
  #next = 8;
  allocate(): string {
    const n = this.#next++;
    return `10.96.${Math.floor(n / 250)}.${(n % 250) + 2}`;
  }
}

type Json = Record<string, unknown>;

function serviceDefaults(object: KubeObject, previous: KubeObject | undefined, ips: ClusterIpAllocator): void {
  const spec = ((object.spec as Json | undefined) ??= {}) as Json;
  spec.type ??= 'ClusterIP';
  if (spec.type !== 'ExternalName') {
    const previousIp = (previous?.spec as Json | undefined)?.clusterIP;
    spec.clusterIP ??= previousIp ?? ips.allocate();
    if (spec.clusterIP !== 'None') {
      spec.clusterIPs ??= [spec.clusterIP];
      spec.ipFamilies ??= ['IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
    }
    spec.internalTrafficPolicy ??= 'Cluster';
  }
  spec.sessionAffinity ??= 'None';
  for (const port of (spec.ports as Json[] | undefined) ?? []) {
    port.protocol ??= 'TCP';
    port.targetPort ??= port.port;
  }
  object.status ??= { loadBalancer: {} };
}

function spec(object: KubeObject | undefined): string {
  return JSON.stringify(object?.spec ?? null);
}

/**
 * Fills what the API server fills on create or update: Service ClusterIP allocation and spec
 * defaults, Namespace finalizer, phase and name label, Ingress generation and empty status.
 */
export function applyDefaults(object: KubeObject, previous: KubeObject | undefined, ips: ClusterIpAllocator): void {
  switch (object.kind) {
    case 'Service':
      serviceDefaults(object, previous, ips);
      break;
    case 'Namespace':
      object.spec ??= { finalizers: ['kubernetes'] };
      object.status ??= { phase: 'Active' };
      object.metadata.labels = { ...object.metadata.labels, 'kubernetes.io/metadata.name': object.metadata.name! };
      break;
    case 'Ingress':
      object.status ??= { loadBalancer: {} };
      object.metadata.generation = previous ? (previous.metadata.generation ?? 1) + (spec(previous) === spec(object) ? 0 : 1) : 1;
      break;
  }
}
