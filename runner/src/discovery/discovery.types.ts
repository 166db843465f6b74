import type { Assertion } from '../../../api/src/contract/index.ts';

/** The Kubernetes object a monitor comes from. */
export interface ObjectRef {
  /** Service and Ingress are Kubernetes objects; PharosService names a Pharos service (dependency edges, clean-up); Agent the agent itself. */
  kind: 'Service' | 'Ingress' | 'PharosService' | 'Agent';
  namespace: string;
  name: string;
  /** metadata.uid, for the Event's involvedObject. */
  uid?: string;
}

/** Stable codes of per-object problems (in the source report, the Event and the metrics). */
export type ProblemCode =
  | 'invalid_annotation'
  | 'missing_team'
  | 'unknown_team'
  | 'no_port'
  | 'unknown_port'
  | 'no_host'
  | 'unknown_dependency'
  | 'team_mismatch'
  | 'managed_elsewhere'
  | 'api_error'
  | 'sync_failed';

/** Something wrong with one object: it is left as it is (its monitors are neither changed nor deleted) and reported. */
export interface ObjectProblem {
  object: ObjectRef;
  code: ProblemCode;
  message: string;
}

/** The monitor fields discovery writes (the whole document: discovery owns what it creates). */
export interface MonitorDoc {
  name: string;
  type: 'http';
  description: string;
  interval_seconds: number;
  timeout_seconds: number;
  regions: string[];
  run_from?: { zone: string };
  http: { method: 'GET'; url: string };
  assertions: Assertion[];
  tags: Record<string, string>;
}

/** One monitor the cluster asks for. */
export interface DesiredMonitor {
  /** The `pharos.dev/object` tag value: `<kind>/<ns>/<name>[/<host><path>]`, unique within the source. */
  key: string;
  object: ObjectRef;
  /** Pharos team and service names. */
  team: string;
  service: string;
  /** Names of the Pharos services `service` depends on. */
  dependsOn: string[];
  doc: MonitorDoc;
}

/** Tag keys discovery writes on the monitors and services it manages. */
export const sourceTag = 'pharos.dev/source';
export const objectTag = 'pharos.dev/object';
/** Set when the monitor's object disappeared (or opted out): the RFC 3339 time it was first missed. The grace runs from it, across agent restarts. */
export const missingSinceTag = 'pharos.dev/missing-since';
