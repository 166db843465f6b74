// Create-time validation the real API server applies to the objects a client may POST here
// (the discovery agent posts Events), answered 422 Invalid with one cause per field.

import type { KubeObject } from './fake-kube-api.resources.ts';
import { KubeStatusError } from './fake-kube-api.status.ts';

type Cause = { reason: string; message: string; field: string };

const required = (field: string): Cause => ({ reason: 'FieldValueRequired', message: 'Required value', field });

function eventsV1Causes(object: KubeObject): Cause[] {
  const causes: Cause[] = [];
  for (const field of ['eventTime', 'reportingController', 'reportingInstance', 'action', 'reason'] as const) {
    if (typeof object[field] !== 'string' || object[field] === '') causes.push(required(field));
  }
  if (object.type !== 'Normal' && object.type !== 'Warning') causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: "${String(object.type ?? '')}": has invalid value: must be "Normal" or "Warning"`, field: 'type' });
  if (typeof object.note === 'string' && Buffer.byteLength(object.note) > 1024) causes.push({ reason: 'FieldValueTooLong', message: 'Too long: may not be more than 1024 bytes', field: 'note' });
  return causes;
}

function coreEventCauses(object: KubeObject): Cause[] {
  const involved = object.involvedObject as Record<string, unknown> | undefined;
  if (!involved || typeof involved !== 'object') return [required('involvedObject')];
  const namespace = involved.namespace;
  if (typeof namespace === 'string' && namespace !== '' && namespace !== object.metadata.namespace) {
    return [{ reason: 'FieldValueInvalid', message: `Invalid value: "${namespace}": does not match event.namespace`, field: 'involvedObject.namespace' }];
  }
  return [];
}

/** Throws 422 Invalid when a created object misses what the real server requires. */
export function validateCreate(object: KubeObject, group: string): void {
  const causes: Cause[] = [];
  if (!object.metadata.name) causes.push({ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' });
  if (object.kind === 'Event') causes.push(...(object.apiVersion === 'events.k8s.io/v1' ? eventsV1Causes(object) : coreEventCauses(object)));
  if (causes.length === 0) return;
  const message = `${object.kind} "${object.metadata.name ?? ''}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`;
  throw new KubeStatusError(422, 'Invalid', message, { name: object.metadata.name ?? '', kind: object.kind, causes, group });
}
