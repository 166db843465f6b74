import { visibleTeamIds, type Principal } from '../../auth/principal.ts';
import type { Notification, NotificationDetail, NotificationListQuery } from '../../contract/notification.schema.ts';
import { notFound } from '../../contract/errors.ts';
import type { Db } from '../../db/database.ts';
import { decodeCursor, toPage } from '../../http/cursor.ts';
import type { NotificationRepository, NotificationRow } from './notification.repository.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** An outbox row as the API shows it (the stored message holds no secret). */
function present(row: NotificationRow): Notification {
  const message = row.message as { title?: string; text?: string };
  const open = row.state === 'pending' || row.state === 'sending';
  return {
    id: row.id, channel_id: row.channel_id, channel_type: row.channel_type, team_id: row.team_id, group_id: row.group_id, kind: row.kind, state: row.state,
    alert_ids: row.alert_ids, title: message.title ?? '', text: message.text ?? '', dedup_key: row.dedup_key,
    muted_by: (row.muted_by as Notification['muted_by']) ?? null, attempts: row.attempts, next_attempt_at: open ? iso(row.next_attempt_at) : null,
    last_status: row.last_status, last_error: row.last_error, created_at: iso(row.created_at)!, delivered_at: iso(row.delivered_at),
  };
}

/** Reads of the outbox, scoped to the teams of the channels the caller can see (others' answer 404). */
export class NotificationService {
  constructor(
    private readonly db: Db,
    private readonly repo: NotificationRepository,
  ) {}

  async list(p: Principal, q: NotificationListQuery): Promise<{ items: Notification[]; next_cursor?: string }> {
    const limit = q.limit ?? 50;
    const rows = await this.repo.list(this.db, p.orgId, { teamIds: visibleTeamIds(p), state: q.state, channelId: q.channel_id, alertId: q.alert_id, after: decodeCursor(q.cursor), limit });
    return toPage(rows, limit, present);
  }

  async get(p: Principal, id: string): Promise<NotificationDetail> {
    const row = await this.repo.get(this.db, p.orgId, id);
    const teams = visibleTeamIds(p);
    if (!row || (teams && (row.team_id === null || !teams.includes(row.team_id)))) throw notFound('Notification');
    const attempts = await this.repo.attempts(this.db, p.orgId, [id]);
    return { ...present(row), history: attempts.map((a) => ({ at: iso(a.at)!, duration_ms: a.duration_ms, ok: a.ok, status: a.status, error: a.error, detail: a.detail })) };
  }
}
