import { managerOnCreate, managerOnUpdate, requireWritableBy, storedManager } from '../resources/managed-by.ts';
import { requireOrgAdmin } from '../../auth/principal.ts';
import type { IncidentSettingsDocument, IncidentSettingsInput } from '../../contract/incident-settings.schema.ts';
import { PharosError } from '../../contract/errors.ts';
import type { Db } from '../../db/database.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { Caller } from '../resources/spec.service.ts';
import { inTransaction } from '../resources/transaction.ts';
import { defaultIncidentSettings, type IncidentSettings } from './incident-settings.ts';
import type { IncidentSettingsRepository, StoredIncidentSettings } from './incident-settings.repository.ts';

const changed = (now: number, sent: number) =>
  new PharosError('precondition_failed', `The incident settings changed since you read them (now version ${now}, you sent ${sent}); fetch them again and reapply your change.`);

/** The response document of the settings. */
export function presentIncidentSettings(stored: StoredIncidentSettings): IncidentSettingsDocument {
  const s = stored.settings;
  return {
    correlation_window_seconds: s.correlation_window_seconds,
    auto_resolve: s.auto_resolve,
    resolve_after_seconds: s.resolve_after_seconds,
    root_cause_grace_seconds: s.root_cause_grace_seconds,
    ...(stored.updatedAt ? { updated_at: stored.updatedAt.toISOString() } : {}),
    version: stored.version,
    managed_by: storedManager({ managed_by: stored.managedBy }),
  };
}

/** The organization's incident settings: every principal of the organization reads them, org admins replace them. */
export class IncidentSettingsService {
  constructor(
    private readonly db: Db,
    private readonly repo: IncidentSettingsRepository,
    private readonly audit: AuditRepository,
  ) {}

  async get(caller: Caller): Promise<StoredIncidentSettings> {
    return this.repo.stored(this.db, caller.principal.orgId);
  }

  /** PUT: the whole document (validated against IncidentSettingsInput, defaults filled in); `ifMatch` 0 means "never written". */
  async replace(caller: Caller, input: IncidentSettingsInput, ifMatch: number | undefined): Promise<StoredIncidentSettings> {
    requireOrgAdmin(caller.principal, 'change the incident settings');
    const next: IncidentSettings = { ...defaultIncidentSettings, ...input };
    return inTransaction(this.db, 'incident settings', async (trx) => {
      const orgId = caller.principal.orgId;
      const current = await this.repo.stored(trx, orgId, true);
      // Never written (version 0): the first PUT creates the settings.
      if (current.version > 0) requireWritableBy(caller.managedBy, { what: 'incident settings', name: orgId, managedBy: storedManager({ managed_by: current.managedBy }) });
      if (ifMatch !== undefined && ifMatch !== current.version) throw changed(current.version, ifMatch);
      const managedBy = current.version > 0 ? managerOnUpdate(caller.managedBy, storedManager({ managed_by: current.managedBy })) : managerOnCreate(caller.managedBy);
      // With If-Match the write is conditional: a concurrent first write (no row to lock yet) fails it.
      const written = await this.repo.replace(trx, orgId, next, ifMatch === undefined ? undefined : current.version, managedBy);
      if (!written) throw changed(current.version + 1, ifMatch!);
      await this.audit.record(trx, caller.principal, caller.requestId, {
        action: 'update',
        resourceType: 'incident_settings',
        resourceId: orgId,
        teamId: null,
        before: presentIncidentSettings(current),
        after: presentIncidentSettings(written),
      });
      return written;
    });
  }
}
