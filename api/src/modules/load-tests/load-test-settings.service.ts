import { requireOrgAdmin } from '../../auth/principal.ts';
import { PharosError } from '../../contract/errors.ts';
import type { LoadTestSettings, LoadTestSettingsInput } from '../../contract/load-test.schema.ts';
import type { Db } from '../../db/database.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { Caller } from '../resources/spec.service.ts';
import { inTransaction } from '../resources/transaction.ts';
import { defaultLoadTestLimits } from './load-test-settings.ts';
import type { LoadTestSettingsRepository, StoredLoadTestSettings } from './load-test-settings.repository.ts';

const changed = (now: number, sent: number) =>
  new PharosError('precondition_failed', `The load-test settings changed since you read them (now version ${now}, you sent ${sent}); fetch them again and reapply your change.`);

/** The response document of the settings. */
export function presentLoadTestSettings(s: StoredLoadTestSettings): LoadTestSettings {
  return { ...s.limits, ...(s.updatedAt ? { updated_at: s.updatedAt.toISOString() } : {}), version: s.version };
}

/** The organization's load-test guard rails: every principal of the organization reads them, org admins replace them. */
export class LoadTestSettingsService {
  constructor(
    private readonly db: Db,
    private readonly repo: LoadTestSettingsRepository,
    private readonly audit: AuditRepository,
  ) {}

  async get(caller: Caller): Promise<StoredLoadTestSettings> {
    return this.repo.get(this.db, caller.principal.orgId);
  }

  /** PUT: the whole document (a missing field takes its default); `ifMatch` 0 means "never written". */
  async replace(caller: Caller, input: LoadTestSettingsInput, ifMatch: number | undefined): Promise<StoredLoadTestSettings> {
    requireOrgAdmin(caller.principal, 'change the load-test settings');
    const next = { ...defaultLoadTestLimits, ...input, allowed_hosts: (input.allowed_hosts ?? []).map((h) => h.toLowerCase()) };
    return inTransaction(this.db, 'load-test settings', async (trx) => {
      const orgId = caller.principal.orgId;
      const current = await this.repo.get(trx, orgId, true);
      if (ifMatch !== undefined && ifMatch !== current.version) throw changed(current.version, ifMatch);
      const written = await this.repo.replace(trx, orgId, next, ifMatch === undefined ? undefined : current.version);
      if (!written) throw changed(current.version + 1, ifMatch!);
      await this.audit.record(trx, caller.principal, caller.requestId, {
        action: 'update', resourceType: 'load_test_settings', resourceId: orgId, teamId: null,
        before: presentLoadTestSettings(current), after: presentLoadTestSettings(written),
      });
      return written;
    });
  }
}
