import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { defaultIncidentSettings, type IncidentSettings } from './incident-settings.ts';

/** The stored settings of an organization with their version; version 0 and no updated_at while never written. */
export interface StoredIncidentSettings {
  settings: IncidentSettings;
  version: number;
  updatedAt: Date | undefined;
  /** Who manages the settings ("api" while they were never written). */
  managedBy: string;
}

const bounds: Record<Exclude<keyof IncidentSettings, 'auto_resolve'>, number> = {
  correlation_window_seconds: 3600,
  resolve_after_seconds: 86400,
  root_cause_grace_seconds: 3600,
};

/**
 * The one typed reading of a stored spec: each field as stored when it has the right type and
 * bounds, else its default (a row written by an older version, or altered by hand, never yields
 * a setting the correlator cannot use).
 */
export function incidentSettingsOf(spec: unknown): IncidentSettings {
  const doc = spec !== null && typeof spec === 'object' && !Array.isArray(spec) ? (spec as Record<string, unknown>) : {};
  const out: IncidentSettings = { ...defaultIncidentSettings };
  for (const [name, max] of Object.entries(bounds) as [keyof typeof bounds, number][]) {
    const v = doc[name];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max) out[name] = v;
  }
  if (typeof doc['auto_resolve'] === 'boolean') out.auto_resolve = doc['auto_resolve'];
  return out;
}

/** SQL for incident_settings (one row per organization, absent until first written). */
export class IncidentSettingsRepository {
  /** The organization's settings; the defaults when they were never written. */
  async get(db: Db, orgId: string): Promise<IncidentSettings> {
    return (await this.stored(db, orgId)).settings;
  }

  /** The settings with their version; `forUpdate` locks the row (when there is one) until the transaction ends. */
  async stored(db: Db, orgId: string, forUpdate = false): Promise<StoredIncidentSettings> {
    let query = db.selectFrom('incident_settings').select(['spec', 'version', 'updated_at', 'managed_by']).where('org_id', '=', orgId);
    if (forUpdate) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (!row) return { settings: { ...defaultIncidentSettings }, version: 0, updatedAt: undefined, managedBy: 'api' };
    return storedOf(row);
  }

  /**
   * Writes the whole document and increments the version. With `expectedVersion` the write only
   * happens when the stored version is that one (0: never written), atomically, so two first
   * writes cannot both pass; undefined is returned when it was not.
   */
  async replace(db: Db, orgId: string, settings: IncidentSettings, expectedVersion: number | undefined, managedBy: string): Promise<StoredIncidentSettings | undefined> {
    const now = new Date();
    const spec = JSON.stringify(settings);
    if (expectedVersion === 0) {
      const row = await db
        .insertInto('incident_settings')
        .values({ org_id: orgId, spec, updated_at: now, managed_by: managedBy })
        .onConflict((oc) => oc.column('org_id').doNothing())
        .returning(['spec', 'version', 'updated_at', 'managed_by'])
        .executeTakeFirst();
      return row && storedOf(row);
    }
    const row = await db
      .insertInto('incident_settings')
      .values({ org_id: orgId, spec, updated_at: now, managed_by: managedBy })
      .onConflict((oc) => {
        const update = oc.column('org_id').doUpdateSet({ spec, updated_at: now, managed_by: managedBy, version: sql<number>`incident_settings.version + 1` });
        return expectedVersion === undefined ? update : update.where('incident_settings.version', '=', expectedVersion);
      })
      .returning(['spec', 'version', 'updated_at', 'managed_by'])
      .executeTakeFirst();
    // A version > 0 was expected but there was no row, so this inserted version 1: not the write
    // that was asked for (the caller's transaction rolls it back).
    if (row && expectedVersion !== undefined && row.version !== expectedVersion + 1) return undefined;
    return row && storedOf(row);
  }
}

const storedOf = (row: { spec: unknown; version: number; updated_at: Date | string; managed_by: string }): StoredIncidentSettings => ({
  settings: incidentSettingsOf(row.spec),
  version: row.version,
  updatedAt: new Date(row.updated_at),
  managedBy: row.managed_by,
});
