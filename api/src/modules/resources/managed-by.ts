import { PharosError } from '../../contract/errors.ts';
import { MANAGED_BY_HEADER, managers, type Manager } from '../../contract/managed-by.schema.ts';

// The ownership rules of configuration objects, in one place. Every writer of a managed object
// (the spec kinds' generic service, teams, members, dependencies, silences, runner tokens, incident
// settings) asks these functions; none re-implements them.
//
// - create: managed by the header's writer, "api" without the header;
// - update or delete by "discovery": refused unless discovery manages the object (the agent never
//   changes what Terraform or a person wrote);
// - update by "terraform": Terraform claims the object (import adoption);
// - otherwise: the write goes ahead and the manager stays.

/** The writer a request names in Pharos-Managed-By; undefined when it names none. Throws invalid_managed_by for any other value. */
export function managerOfHeaders(headers: Record<string, string | string[] | undefined>): Manager | undefined {
  const raw = headers[MANAGED_BY_HEADER.toLowerCase()];
  if (raw === undefined) return undefined;
  const value = Array.isArray(raw) ? raw.join(',') : raw;
  const trimmed = value.trim().toLowerCase();
  if ((managers as readonly string[]).includes(trimmed)) return trimmed as Manager;
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  throw new PharosError('invalid_managed_by', `The ${MANAGED_BY_HEADER} header must be one of ${managers.map((m) => `"${m}"`).join(', ')} (or be left out, which means "api"); got "${shown.replace(/[^\x20-\x7e]/g, '?')}".`);
}

/** The manager a new object gets. */
export const managerOnCreate = (writer: Manager | undefined): Manager => writer ?? 'api';

/** Names the object in messages, e.g. `monitor "checkout-health"`. */
export interface ManagedObject {
  /** Lower-case type, e.g. "monitor". */
  what: string;
  /** Its name, or its id when it has none. */
  name: string;
  managedBy: Manager;
}

/** Refuses a change by the discovery agent to an object it does not manage (managed_elsewhere, 409). */
export function requireWritableBy(writer: Manager | undefined, object: ManagedObject): void {
  if (writer === 'discovery' && object.managedBy !== 'discovery') {
    throw new PharosError(
      'managed_elsewhere',
      `${object.what} "${object.name}" is managed by ${object.managedBy}; discovery does not change it. ` +
        `Remove the discovery annotations from the Kubernetes object, or change it through ${object.managedBy === 'terraform' ? 'Terraform' : 'the API'}.`,
    );
  }
}

/** The manager after an update that requireWritableBy allowed: Terraform claims the object, others keep its manager. */
export const managerOnUpdate = (writer: Manager | undefined, stored: Manager): Manager => (writer === 'terraform' ? 'terraform' : stored);

/** The manager of a stored row (rows read through a projection without the column count as "api"). */
export const storedManager = (row: { managed_by?: string | null }): Manager =>
  (managers as readonly string[]).includes(row.managed_by ?? '') ? (row.managed_by as Manager) : 'api';
