import { createHash } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { newId } from '../../shared/ids.ts';
import { activeWindowIds, compileSilence, mutedBy, type CompiledSilence, type MutingWindow } from '../routing/muting.ts';
import type { RoutingRepository } from '../routing/routing.repository.ts';
import type { SilenceRepository } from '../silences/silence.repository.ts';
import { planFlush, type GroupAlertState, type GroupTiming } from './notification-group.logic.ts';
import { groupMessage } from './notification-message.ts';
import type { NewNotification, NotificationGroupAlertRow, NotificationGroupRow, NotificationRepository } from './notification.repository.ts';

/** What mutes notifications in one organization at one time (loaded once per pass). */
export interface MutingContext {
  silences: CompiledSilence[];
  windows: MutingWindow[];
  active: Set<string>;
}

const ms = (d: Date | string | null) => (d === null ? null : new Date(d).getTime());

/** A group's timing as the planner reads it. */
export const timingOf = (g: NotificationGroupRow): GroupTiming => ({
  createdAt: ms(g.created_at)!, lastFlushAt: ms(g.last_flush_at), lastFiringSentAt: ms(g.last_firing_sent_at),
  groupWaitMs: g.group_wait_ms, groupIntervalMs: g.group_interval_ms, repeatIntervalMs: g.repeat_interval_ms,
});

const stateOf = (a: NotificationGroupAlertRow): GroupAlertState => ({
  instanceId: a.instance_id, state: a.state, notifiedFiringAt: ms(a.notified_firing_at), notifiedResolvedAt: ms(a.notified_resolved_at), suppressedAt: ms(a.suppressed_at),
});

/** The PagerDuty dedup_key / Datadog aggregation key of a group on a channel: one incident per group and channel. */
export const dedupKeyOf = (groupId: string, channelId: string) => `pharos-${createHash('sha256').update(`${groupId}\0${channelId}`).digest('hex').slice(0, 40)}`;

/**
 * Flushes notification groups (docs/alerting.md, "Delivery"): plans what a due group says
 * (planFlush), writes one outbox row per channel in the caller's transaction (so the decision and
 * the notification commit together), records which alerts were notified, suppressed or are done,
 * and moves the group's next flush (or removes an empty group).
 */
export class NotificationFlusher {
  constructor(
    private readonly repo: NotificationRepository,
    private readonly routing: RoutingRepository,
    private readonly silences: SilenceRepository,
    private readonly publicUrl: string | undefined,
  ) {}

  async muting(trx: Db, orgId: string, at: number): Promise<MutingContext> {
    const windows = await this.routing.mutingWindowsOfOrg(trx, orgId);
    const silences = (await this.silences.unexpiredOfOrg(trx, orgId, new Date(at))).map(compileSilence);
    return { silences, windows, active: activeWindowIds(windows, at) };
  }

  /** Flushes one group, locked by the caller, at `now`; returns the outbox rows written for sending. */
  async flush(trx: Db, group: NotificationGroupRow, now: number, muting: MutingContext): Promise<number> {
    const alerts = await this.repo.alertsOfGroup(trx, group.id);
    const byId = new Map(alerts.map((a) => [a.instance_id, a]));
    const muteTimeWindowIds = group.mute_time_window_ids;
    const mutes = new Map(alerts.map((a) => [a.instance_id, mutedBy(a.labels, now, { silences: muting.silences, maintenanceWindows: muting.windows, muteTimeWindowIds, activeWindows: muting.active })]));
    const plan = planFlush(timingOf(group), alerts.map(stateOf), (id) => mutes.get(id)?.muted ?? false, now);
    const at = new Date(now);
    const rows: NewNotification[] = [];
    if (plan.send || plan.suppress.length) {
      const channels = await this.repo.channelFacts(trx, group.org_id, group.channel_ids);
      for (const channel of channels) {
        const dedupKey = dedupKeyOf(group.id, channel.id);
        if (plan.send && (plan.send.kind === 'firing' || channel.send_resolved)) {
          const id = newId('notification');
          const message = groupMessage({ id, dedupKey, group, kind: plan.send.kind, firing: plan.send.firing.map((i) => byId.get(i)!), resolved: plan.send.resolved.map((i) => byId.get(i)!), publicUrl: this.publicUrl });
          rows.push({ id, org_id: group.org_id, team_id: channel.team_id, group_id: group.id, channel_id: channel.id, channel_type: channel.type ?? '', kind: plan.send.kind, state: 'pending', dedup_key: dedupKey, alert_ids: [...plan.send.firing, ...plan.send.resolved], message: message as unknown as Record<string, unknown>, muted_by: null, next_attempt_at: at });
        }
        if (plan.suppress.length) {
          // Recorded, not sent: GET /v1/notifications shows what a silence or maintenance held back, and why.
          const id = newId('notification');
          const held = plan.suppress.map((i) => byId.get(i)!);
          const message = groupMessage({ id, dedupKey, group, kind: 'firing', firing: held, resolved: [], publicUrl: this.publicUrl });
          const mutedBy = [...new Map(plan.suppress.flatMap((i) => mutes.get(i)?.by ?? []).map((b) => [`${b.kind}:${b.id}`, b])).values()];
          rows.push({ id, org_id: group.org_id, team_id: channel.team_id, group_id: group.id, channel_id: channel.id, channel_type: channel.type ?? '', kind: 'firing', state: 'suppressed', dedup_key: dedupKey, alert_ids: plan.suppress, message: message as unknown as Record<string, unknown>, muted_by: mutedBy, next_attempt_at: at });
        }
      }
    }
    await this.repo.insertNotifications(trx, rows);
    await this.repo.setAlertMarks(trx, group.id, plan.notifiedFiring, { notified_firing_at: at });
    await this.repo.setAlertMarks(trx, group.id, plan.suppress, { suppressed_at: at });
    await this.repo.setAlertMarks(trx, group.id, plan.unnotified, { notified_firing_at: null });
    await this.repo.removeAlerts(trx, group.id, plan.remove);
    if (plan.nextFlushAt === null) await this.repo.deleteGroup(trx, group.id);
    else await this.repo.markFlushed(trx, group.id, at, plan.send?.kind === 'firing' ? at : group.last_firing_sent_at, new Date(plan.nextFlushAt));
    return rows.filter((r) => r.state === 'pending').length;
  }

  /** Flushes the groups due at `now` (any replica; a group another flush holds is skipped): how many were flushed and how many outbox rows they wrote. */
  async flushDue(db: Db, now: number, limit = 100): Promise<{ flushed: number; written: number }> {
    const due = await this.repo.dueGroups(db, new Date(now), limit);
    let flushed = 0;
    let written = 0;
    const mutingByOrg = new Map<string, MutingContext>();
    for (const { id, org_id } of due) {
      const rows = await db.transaction().execute(async (trx) => {
        const group = await this.repo.lockGroup(trx, id, true);
        if (!group || group.next_flush_at === null || new Date(group.next_flush_at).getTime() > now) return -1;
        let muting = mutingByOrg.get(org_id);
        if (!muting) mutingByOrg.set(org_id, (muting = await this.muting(trx, org_id, now)));
        return this.flush(trx, group, now, muting);
      });
      if (rows >= 0) {
        flushed += 1;
        written += rows;
      }
    }
    return { flushed, written };
  }
}
