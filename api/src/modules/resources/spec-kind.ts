import type { TObject, TSchema } from '@sinclair/typebox';
import type { FieldError } from '../../contract/errors.ts';
import type { Principal } from '../../auth/principal.ts';
import type { Db } from '../../db/database.ts';
import type { SpecRow, SpecTableName } from '../../db/tables.ts';
import type { IdKind } from '../../shared/ids.ts';

/** Ownership and indexed columns a kind derives from a validated document. */
export interface Placement {
  /** The owning team; null for a resource the organization owns (organization routing policies, org admins only). */
  teamId: string | null;
  serviceId?: string | null;
  type?: string | null;
}

/** A dependent row removed together with the resource, for the audit log. */
export interface CascadedDelete {
  resourceType: string;
  resourceId: string;
  teamId: string;
  before: Record<string, unknown>;
}

/** Context a kind's hooks get: the transaction and the caller. */
export interface KindContext {
  trx: Db;
  principal: Principal;
  baseUrl: string;
}

/**
 * One team-owned configuration resource (services, monitors, alert rules, …) stored in a spec table.
 * The generic service and routes give every kind the same CRUD, access, ETag, audit and list semantics.
 */
export interface SpecKind {
  /** Singular snake_case name used in audit entries, e.g. "monitor". */
  type: string;
  /** Human label used in messages, e.g. "Monitor". */
  label: string;
  /** URL segment under /v1, e.g. "monitors". */
  path: string;
  /** OpenAPI tag. */
  tag: string;
  table: SpecTableName;
  idKind: IdKind;
  input: TObject;
  output: TObject;
  /** Answer of create and update when it adds fields to output (e.g. a monitor's warnings). */
  written?: TObject;
  /** List filters accepted beyond team_id and tag (each maps to a column). */
  filters: Array<'service_id' | 'type'>;
  /** Team, service and type of a validated document; throws validation errors for bad references. */
  place(ctx: KindContext, doc: Record<string, unknown>, current: SpecRow | undefined): Promise<Placement>;
  /** Cross-field errors JSON Schema cannot express. */
  rules?(doc: Record<string, unknown>): FieldError[];
  /** Splits write-only secrets out of a document. */
  secrets?: {
    split(doc: Record<string, unknown>): { doc: Record<string, unknown>; secrets: Record<string, unknown> | null };
    merge(doc: Record<string, unknown>, secrets: Record<string, unknown> | null): Record<string, unknown>;
    configured(secrets: Record<string, unknown> | null): string[];
  };
  /** Extra columns of the kind's own table, e.g. a monitor's heartbeat token. */
  columns?(doc: Record<string, unknown>, current: SpecRow | undefined): Record<string, unknown>;
  /** Extra fields of the response, e.g. a heartbeat URL. */
  present?(row: SpecRow, ctx: { baseUrl: string }): Record<string, unknown>;
  /** Writes rows derived from the stored document after every create and update, in the same transaction (an alert rule's resolved references); may refuse the write by throwing. */
  afterWrite?(ctx: KindContext, row: SpecRow): Promise<void>;
  /** Keeps dependent rows consistent after an update (inside the same transaction). */
  afterUpdate?(ctx: KindContext, before: SpecRow, after: SpecRow): Promise<void>;
  /** Query parameters of DELETE beyond the standard ones, e.g. a service's `cascade`. */
  deleteQuery?: Record<string, TSchema>;
  /**
   * Refuses a delete that would leave dangling references (throws conflict), or removes dependent
   * rows the caller asked to delete with it (`options` is the validated delete query); returns
   * those rows so the delete audits each of them.
   */
  beforeDelete?(ctx: KindContext, row: SpecRow, options: Record<string, unknown>): Promise<CascadedDelete[] | void>;
}
