import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { NotificationAttemptsTable, NotificationGroupAlertsTable, NotificationGroupsTable, NotificationsTable } from '../../db/tables.ts';

export type NotificationGroupRow = Selectable<NotificationGroupsTable>;
export type NotificationGroupAlertRow = Selectable<NotificationGroupAlertsTable>;
export type NotificationRow = Selectable<NotificationsTable>;
export type NotificationAttemptRow = Selectable<NotificationAttemptsTable>;

/** A group to create (the route's settings at the time it forms). */
export interface NewGroup {
  id: string;
  org_id: string;
  route_key: string;
  team_id: string | null;
  team_name: string;
  scope: 'team' | 'organization';
  policy_ids: string[];
  channel_ids: string[];
  group_labels: Record<string, string>;
  group_wait_ms: number;
  group_interval_ms: number;
  repeat_interval_ms: number;
  mute_time_window_ids: string[];
  created_at: Date;
}

/** A group alert to write (all of its columns). */
export type GroupAlertWrite = Omit<NotificationGroupAlertRow, 'labels' | 'annotations'> & { labels: Record<string, string>; annotations: Record<string, string> };

/** An outbox row to write. */
export interface NewNotification {
  id: string;
  org_id: string;
  team_id: string | null;
  group_id: string;
  channel_id: string;
  channel_type: string;
  kind: 'firing' | 'resolved';
  state: 'pending' | 'suppressed';
  dedup_key: string;
  alert_ids: string[];
  message: Record<string, unknown>;
  muted_by: unknown;
  next_attempt_at: Date;
}

export interface NotificationListFilter {
  teamIds: string[] | undefined;
  state?: string | undefined;
  channelId?: string | undefined;
  alertId?: string | undefined;
  after?: string | undefined;
  limit: number;
}

/** SQL of notification groups, the outbox and its attempts. */
export class NotificationRepository {
  /** The group of a route key, created when it does not exist yet; locked for the caller's transaction. */
  async groupForRoute(db: Db, group: NewGroup): Promise<{ row: NotificationGroupRow; created: boolean }> {
    const inserted = await db
      .insertInto('notification_groups')
      .values({ ...group, policy_ids: JSON.stringify(group.policy_ids), channel_ids: JSON.stringify(group.channel_ids), group_labels: JSON.stringify(group.group_labels), mute_time_window_ids: JSON.stringify(group.mute_time_window_ids), next_flush_at: null, last_flush_at: null, last_firing_sent_at: null })
      .onConflict((oc) => oc.columns(['org_id', 'route_key']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { row: inserted, created: true };
    const row = await db.selectFrom('notification_groups').selectAll().where('org_id', '=', group.org_id).where('route_key', '=', group.route_key).forUpdate().executeTakeFirstOrThrow();
    return { row, created: false };
  }

  /** A group, locked; undefined when it is gone (flushed empty) or locked by another flush (skipLocked). */
  async lockGroup(db: Db, id: string, skipLocked = false): Promise<NotificationGroupRow | undefined> {
    const q = db.selectFrom('notification_groups').selectAll().where('id', '=', id).forUpdate();
    return (skipLocked ? q.skipLocked() : q).executeTakeFirst();
  }

  /** Ids of groups due at `now`, oldest due first. */
  async dueGroups(db: Db, now: Date, limit: number): Promise<Array<{ id: string; org_id: string }>> {
    return db.selectFrom('notification_groups').select(['id', 'org_id']).where('next_flush_at', '<=', now).orderBy('next_flush_at').limit(limit).execute();
  }

  async setDue(db: Db, id: string, at: Date | null): Promise<void> {
    await db.updateTable('notification_groups').set({ next_flush_at: at }).where('id', '=', id).execute();
  }

  async markFlushed(db: Db, id: string, flushedAt: Date, firingSentAt: Date | null, next: Date | null): Promise<void> {
    await db.updateTable('notification_groups').set({ last_flush_at: flushedAt, last_firing_sent_at: firingSentAt, next_flush_at: next }).where('id', '=', id).execute();
  }

  async deleteGroup(db: Db, id: string): Promise<void> {
    await db.deleteFrom('notification_groups').where('id', '=', id).execute();
  }

  async alertsOfGroup(db: Db, groupId: string): Promise<NotificationGroupAlertRow[]> {
    return db.selectFrom('notification_group_alerts').selectAll().where('group_id', '=', groupId).orderBy('starts_at').orderBy('instance_id').execute();
  }

  /** The groups an alert instance is in. */
  async groupsOfInstance(db: Db, orgId: string, instanceId: string): Promise<string[]> {
    const rows = await db.selectFrom('notification_group_alerts').select('group_id').where('org_id', '=', orgId).where('instance_id', '=', instanceId).execute();
    return rows.map((r) => r.group_id);
  }

  async groupAlert(db: Db, groupId: string, instanceId: string): Promise<NotificationGroupAlertRow | undefined> {
    return db.selectFrom('notification_group_alerts').selectAll().where('group_id', '=', groupId).where('instance_id', '=', instanceId).executeTakeFirst();
  }

  async saveGroupAlert(db: Db, a: GroupAlertWrite): Promise<void> {
    const values = { ...a, labels: JSON.stringify(a.labels), annotations: JSON.stringify(a.annotations) };
    await db
      .insertInto('notification_group_alerts')
      .values(values)
      .onConflict((oc) => oc.columns(['group_id', 'instance_id']).doUpdateSet((eb) => ({
        state: eb.ref('excluded.state'), labels: eb.ref('excluded.labels'), annotations: eb.ref('excluded.annotations'), value: eb.ref('excluded.value'),
        severity: eb.ref('excluded.severity'), rule_name: eb.ref('excluded.rule_name'), starts_at: eb.ref('excluded.starts_at'), ends_at: eb.ref('excluded.ends_at'),
        changed_at: eb.ref('excluded.changed_at'), notified_firing_at: eb.ref('excluded.notified_firing_at'), notified_resolved_at: eb.ref('excluded.notified_resolved_at'), suppressed_at: eb.ref('excluded.suppressed_at'),
      })))
      .execute();
  }

  async setAlertMarks(db: Db, groupId: string, ids: readonly string[], set: Partial<Pick<NotificationGroupAlertRow, 'notified_firing_at' | 'suppressed_at'>>): Promise<void> {
    if (ids.length === 0) return;
    await db.updateTable('notification_group_alerts').set(set).where('group_id', '=', groupId).where('instance_id', 'in', [...ids]).execute();
  }

  async removeAlerts(db: Db, groupId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await db.deleteFrom('notification_group_alerts').where('group_id', '=', groupId).where('instance_id', 'in', [...ids]).execute();
  }

  async insertNotifications(db: Db, rows: readonly NewNotification[]): Promise<void> {
    if (rows.length === 0) return;
    await db.insertInto('notifications').values(rows.map((r) => ({ ...r, alert_ids: JSON.stringify(r.alert_ids), message: JSON.stringify(r.message), muted_by: r.muted_by === null || r.muted_by === undefined ? null : JSON.stringify(r.muted_by) }))).execute();
  }

  /**
   * Claims due notifications for sending: pending ones whose next attempt is due, and sending ones
   * whose claim expired (their process died between claim and record). A row waits while an earlier
   * row of its dedup_key is undelivered, so a resolution never overtakes its trigger. Rows locked by
   * another claimer are skipped.
   */
  async claimDue(db: Db, now: Date, limit: number, claimUntil: Date, token: string): Promise<NotificationRow[]> {
    return db.transaction().execute(async (trx) => {
      const due = await sql<{ id: string }>`
        SELECT n.id FROM notifications n
        WHERE ((n.state = 'pending' AND n.next_attempt_at <= ${now}) OR (n.state = 'sending' AND n.claimed_until < ${now}))
          AND NOT EXISTS (SELECT 1 FROM notifications e WHERE e.dedup_key = n.dedup_key AND e.seq < n.seq AND e.state IN ('pending', 'sending'))
        ORDER BY n.next_attempt_at, n.seq
        LIMIT ${limit}
        FOR UPDATE OF n SKIP LOCKED`.execute(trx);
      if (due.rows.length === 0) return [];
      return trx
        .updateTable('notifications')
        .set((eb) => ({ state: 'sending', claimed_until: claimUntil, claim_token: token, attempts: eb('attempts', '+', 1) }))
        .where('id', 'in', due.rows.map((r) => r.id))
        .returningAll()
        .execute();
    });
  }

  /** Records an attempt and the row's new state, if this claim still holds it (true when it did). */
  async finishAttempt(db: Db, id: string, token: string, attempt: Omit<NotificationAttemptRow, 'notification_id'>, next: { state: 'pending' | 'delivered' | 'dead'; next_attempt_at?: Date; last_status: number | null; last_error: string | null; delivered_at?: Date | null }): Promise<boolean> {
    return db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('notifications')
        .set({ state: next.state, last_status: next.last_status, last_error: next.last_error, claimed_until: null, claim_token: null, ...(next.next_attempt_at ? { next_attempt_at: next.next_attempt_at } : {}), ...(next.delivered_at ? { delivered_at: next.delivered_at } : {}) })
        .where('id', '=', id)
        .where('claim_token', '=', token)
        .where('state', '=', 'sending')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return false;
      await trx.insertInto('notification_attempts').values({ ...attempt, notification_id: id }).execute();
      return true;
    });
  }

  /** The named channels' send_resolved settings and teams. */
  async channelFacts(db: Db, orgId: string, ids: readonly string[]): Promise<Array<{ id: string; type: string | null; team_id: string; send_resolved: boolean }>> {
    if (ids.length === 0) return [];
    const rows = await db.selectFrom('channels').select(['id', 'type', 'team_id', sql<boolean>`coalesce((spec ->> 'send_resolved')::boolean, true)`.as('send_resolved')]).where('org_id', '=', orgId).where('id', 'in', [...ids]).execute();
    return rows;
  }

  /** A page of notifications, newest first (limit + 1 rows). */
  async list(db: Db, orgId: string, f: NotificationListFilter): Promise<NotificationRow[]> {
    if (f.teamIds && f.teamIds.length === 0) return [];
    let q = db.selectFrom('notifications').selectAll().where('org_id', '=', orgId);
    if (f.teamIds) q = q.where('team_id', 'in', f.teamIds);
    if (f.state) q = q.where('state', '=', f.state as NotificationRow['state']);
    if (f.channelId) q = q.where('channel_id', '=', f.channelId);
    if (f.alertId) q = q.where(sql<boolean>`alert_ids @> ${JSON.stringify([f.alertId])}::jsonb`);
    if (f.after) q = q.where('id', '<', f.after);
    return q.orderBy('id', 'desc').limit(f.limit + 1).execute();
  }

  async get(db: Db, orgId: string, id: string): Promise<NotificationRow | undefined> {
    return db.selectFrom('notifications').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  }

  async attempts(db: Db, orgId: string, ids: readonly string[]): Promise<NotificationAttemptRow[]> {
    if (ids.length === 0) return [];
    return db.selectFrom('notification_attempts').selectAll().where('org_id', '=', orgId).where('notification_id', 'in', [...ids]).orderBy('at').orderBy('id').execute();
  }

  /** Drops delivered, dead and suppressed notifications older than `before` (and their attempts). */
  async prune(db: Db, before: Date): Promise<number> {
    const res = await db.deleteFrom('notifications').where('state', 'in', ['delivered', 'dead', 'suppressed']).where('created_at', '<', before).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
