import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './common.schema.ts';

/**
 * Who manages a configuration object. Terraform (the provider sends it on every write), the
 * Kubernetes discovery agent, or anyone else through the REST API (the default).
 */
export const managers = ['terraform', 'discovery', 'api'] as const;
export type Manager = (typeof managers)[number];

/** The request header a writer names itself with. */
export const MANAGED_BY_HEADER = 'Pharos-Managed-By';

/** Read-only field of every managed object's response. */
export const ManagedBy = StringEnum(managers, {
  description:
    'Who manages this object (read-only): "terraform", "discovery" or "api". Set on create from the Pharos-Managed-By request header (default "api"); ' +
    'a write with "Pharos-Managed-By: terraform" claims it for Terraform; the discovery agent changes only objects it manages.',
});
/** Spread into the output schema of a managed resource. */
export const Managed = { managed_by: { ...ManagedBy, readOnly: true } as typeof ManagedBy };

/** Query filter of the lists that accept `managed_by=`. */
export const ManagedByFilter = Type.Optional(StringEnum(managers, { description: 'Only objects managed by this writer.' }));

export type ManagedBy = Static<typeof ManagedBy>;
