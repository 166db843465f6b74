import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: Timestamp;
}

export interface TeamsTable {
  id: string;
  org_id: string;
  name: string;
  description: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface UsersTable {
  id: string;
  org_id: string;
  subject: string;
  email: string | null;
  display_name: string | null;
  org_admin: Generated<boolean>;
  created_at: Timestamp;
  last_seen_at: Timestamp | null;
}

export interface MembershipsTable {
  id: string;
  org_id: string;
  team_id: string;
  user_id: string;
  role: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface ApiTokensTable {
  id: string;
  org_id: string;
  team_id: string | null;
  name: string;
  role: string;
  token_hash: string;
  token_hint: string;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface RunnerTokensTable {
  id: string;
  org_id: string;
  name: string;
  region: string;
  labels: Json<Record<string, string>>;
  token_hash: string;
  token_hint: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** Shape shared by every team-owned configuration resource (services, monitors, rules, …). */
export interface SpecTable {
  id: string;
  org_id: string;
  team_id: string;
  name: string;
  type: string | null;
  service_id: string | null;
  spec: Json<Record<string, unknown>>;
  secrets: Json<Record<string, unknown> | null> | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface DependenciesTable {
  id: string;
  org_id: string;
  team_id: string;
  service_id: string;
  depends_on_service_id: string;
  description: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface AuditEntriesTable {
  id: string;
  org_id: string;
  at: Timestamp;
  actor_type: string;
  actor_id: string;
  actor_name: string;
  action: string;
  resource_type: string;
  resource_id: string;
  team_id: string | null;
  request_id: string | null;
  before: Json | null;
  after: Json | null;
}

export interface IdempotencyKeysTable {
  org_id: string;
  principal_id: string;
  key: string;
  method: string;
  path: string;
  request_hash: string;
  status: number | null;
  response: Json | null;
  headers: Json<Record<string, string>> | null;
  created_at: Timestamp;
}

export const specTables = ['services', 'monitors', 'alert_rules', 'routing_policies', 'channels', 'maintenance_windows'] as const;
export type SpecTableName = (typeof specTables)[number];

export interface Tables {
  organizations: OrganizationsTable;
  teams: TeamsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  api_tokens: ApiTokensTable;
  runner_tokens: RunnerTokensTable;
  services: SpecTable;
  monitors: SpecTable;
  alert_rules: SpecTable;
  routing_policies: SpecTable;
  channels: SpecTable;
  maintenance_windows: SpecTable;
  dependencies: DependenciesTable;
  audit_entries: AuditEntriesTable;
  idempotency_keys: IdempotencyKeysTable;
}

export type SpecRow = Selectable<SpecTable>;
export type NewSpecRow = Insertable<SpecTable>;
export type TeamRow = Selectable<TeamsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type RunnerTokenRow = Selectable<RunnerTokensTable>;
export type DependencyRow = Selectable<DependenciesTable>;
