import { Type, type Static } from '@sinclair/typebox';
import { Name, Timestamp } from './common.schema.ts';

/** Most per-object errors one discovery report carries; an agent with more reports the first ones. */
export const DISCOVERY_MAX_ERRORS = 500;
/** A source not reported for this long is shown as stale. */
export const DISCOVERY_STALE_AFTER_MS = 5 * 60_000;
/** How far ahead of the server clock a report's last_sync_at may be (clock skew). */
export const DISCOVERY_MAX_FUTURE_MS = 5 * 60_000;

const Count = Type.Integer({ minimum: 0, maximum: 10_000_000 });
const KubeName = (description: string) => Type.String({ maxLength: 253, pattern: '^[^\\r\\n\\u0000]*$', description, errorMessage: 'At most 253 characters, no line breaks.' });

/** One Kubernetes object the agent could not reconcile (a bad annotation, an unknown team, a refused write). */
export const DiscoveryError = Type.Object(
  {
    kind: Type.String({ minLength: 1, maxLength: 63, pattern: '^[A-Za-z][A-Za-z0-9]*$', description: 'Kubernetes kind of the object, e.g. "Service" or "Ingress".', errorMessage: 'Must be a Kubernetes kind, e.g. "Service".' }),
    namespace: KubeName('Namespace of the object ("" for a cluster-scoped object).'),
    name: Type.String({ minLength: 1, maxLength: 253, pattern: '^[^\\r\\n\\u0000]*$', description: 'Name of the object.', errorMessage: 'A Kubernetes object name: 1 to 253 characters, no line breaks.' }),
    code: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_]*$', description: 'Stable code of the failure, e.g. "unknown_team", "invalid_interval" or a Pharos problem code such as "managed_elsewhere".', errorMessage: 'Must be a snake_case code, e.g. "invalid_interval".' }),
    message: Type.String({ minLength: 1, maxLength: 1000, description: 'What is wrong and what to fix.' }),
  },
  { additionalProperties: false },
);

/** Body of PUT /v1/discovery/sources/{name}: what a discovery agent did in its last reconciliation. */
export const DiscoverySourceInput = Type.Object(
  {
    cluster: Type.Optional(Type.String({ minLength: 1, maxLength: 253, pattern: '^[^\\r\\n\\u0000]*$', description: 'The cluster the agent watches (its kubeconfig context or a name of your choice).', errorMessage: 'At most 253 characters, no line breaks.' })),
    agent_version: Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\x21-\\x7e]+$', description: 'Version of the agent, e.g. "0.1.0".', errorMessage: 'Must be 1 to 64 visible ASCII characters, e.g. "0.1.0".' }),
    last_sync_at: { ...Timestamp, description: 'When the reported reconciliation finished (RFC 3339, UTC).' },
    synced: Type.Boolean({ description: 'True once the agent has listed every watched object and reconciled them (false while its caches are filling or its watch is broken).' }),
    objects_seen: { ...Count, description: 'Services and Ingresses the agent saw that opted in.' },
    monitors_managed: { ...Count, description: 'Monitors the agent manages (managed_by = discovery).' },
    actions: Type.Object(
      { created: Count, updated: Count, deleted: Count, unchanged: Count },
      { additionalProperties: false, description: 'What the last reconciliation did to monitors (and services): created, updated, deleted, unchanged.' },
    ),
    errors: Type.Array(DiscoveryError, { maxItems: DISCOVERY_MAX_ERRORS, description: `Objects the agent could not reconcile, at most ${DISCOVERY_MAX_ERRORS} (empty when every object went through).` }),
  },
  { additionalProperties: false },
);

/** A discovery source as the API answers it. */
export const DiscoverySource = Type.Object({
  name: Name,
  ...DiscoverySourceInput.properties,
  reported_by: Type.Object({ type: Type.String({ description: 'api_token or user.' }), id: Type.String(), name: Type.String() }, { description: 'The credential of the last report.' }),
  created_at: Timestamp,
  updated_at: { ...Timestamp, description: 'When the agent last reported.' },
  stale: Type.Boolean({ description: 'True when the agent has not reported for 5 minutes (it stopped, lost its token or cannot reach Pharos).' }),
  version: Type.Integer({ minimum: 1, description: 'Incremented on every report; the ETag is derived from it.' }),
});

export type DiscoveryError = Static<typeof DiscoveryError>;
export type DiscoverySourceInput = Static<typeof DiscoverySourceInput>;
export type DiscoverySource = Static<typeof DiscoverySource>;
