import type { Db } from '../../db/database.ts';
import { newId } from '../../shared/ids.ts';
import type { AlertInstanceRepository } from '../alerts/alert-instance.repository.ts';
import type { EventConsumer } from '../events/event.consumer.ts';
import type { StoredEvent } from '../events/event.types.ts';
import { emptyOutcome, type IncidentCorrelator, type RoutableAlert } from '../incidents/incident-correlator.ts';
import { buildRoutingTrees, groupKeyOf, routeAlert, type RoutingTrees } from '../routing/routing-tree.ts';
import type { RoutingRepository } from '../routing/routing.repository.ts';
import type { MutingContext, NotificationFlusher } from './notification-flush.service.ts';
import { timingOf } from './notification-flush.service.ts';
import { dueAfterChange } from './notification-group.logic.ts';
import type { NotificationGroupRow, NotificationRepository } from './notification.repository.ts';

type AlertChange = Extract<StoredEvent, { kind: 'alert.state_changed' }>;

/** The labels routing matches on: the alert's own, plus `rule` (the rule's name) when the rule set none. */
export function routingLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  return { ...(labels.alertname !== undefined ? { rule: labels.alertname } : {}), ...labels };
}

/**
 * The notification router as a consumer of the event log (docs/alerting.md, "Delivery"): an alert
 * that fires is routed through its team's tree (or the organization's fallback) and joins the
 * notification group of each route that reaches channels; an alert that resolves is marked
 * resolved in every group it is in (wherever routing would send it now: its resolution follows its
 * page). Each group's next flush moves as group_wait / group_interval say (a group whose last
 * firing alert resolved is due at once); a group already due
 * (group_wait 0) is flushed here, in the consumer's transaction, so the outbox row commits with
 * the cursor. The incident correlator runs first in the same transaction: an alert it holds back
 * (a dependent of the root cause, docs/incidents.md) is not routed; one it releases is routed then.
 */
export function notificationRouterConsumer(deps: {
  repo: NotificationRepository;
  routing: RoutingRepository;
  instances: AlertInstanceRepository;
  flusher: NotificationFlusher;
  /** The incident correlator: runs first in each batch and says which pages to hold back (none: every alert is routed). */
  incidents?: Pick<IncidentCorrelator, 'handle' | 'noticeSent'>;
  /** Called after a batch wrote outbox rows (the dispatcher looks at once). */
  wrote?: (rows: number) => void;
  now?: () => number;
}): EventConsumer {
  const now = deps.now ?? Date.now;
  let pending = 0;
  return {
    name: 'notification-router',
    start: 'latest',
    async handle(trx: Db, orgId: string, events: readonly StoredEvent[]): Promise<void> {
      pending = 0;
      const at = now();
      const correlation = deps.incidents ? await deps.incidents.handle(trx, orgId, events, at) : emptyOutcome();
      const changes = events.filter((e): e is AlertChange => e.kind === 'alert.state_changed' && (e.payload.to === 'firing' || (e.payload.to === 'resolved' && e.payload.from === 'firing')));
      if (changes.length === 0 && correlation.release.length === 0 && correlation.notices.length === 0 && correlation.noticesResolved.length === 0) return;
      let trees: RoutingTrees | undefined;
      const touched = new Map<string, NotificationGroupRow>();
      const schedule = async (group: NotificationGroupRow, immediately = false) => {
        const due = immediately ? at : dueAfterChange(timingOf(group), at);
        const current = group.next_flush_at === null ? null : new Date(group.next_flush_at).getTime();
        const next = current === null ? due : Math.min(current, due);
        if (next !== current) await deps.repo.setDue(trx, group.id, new Date(next));
        touched.set(group.id, { ...group, next_flush_at: new Date(next) });
      };
      /** Routes a firing alert into the group of each route that reaches channels (notices: only routes that ask for them). */
      const routeFiring = async (a: RoutableAlert, changedAt: Date, notice = false): Promise<number> => {
        let taken = 0;
        trees ??= buildRoutingTrees(await deps.routing.policiesOfOrg(trx, orgId));
        const labels = routingLabels(a.labels);
        const instance = notice ? undefined : await deps.instances.get(trx, orgId, a.alert_id);
        for (const route of routeAlert(trees, labels)) {
          if (route.channelIds.length === 0) continue; // a policy without channels takes the alert on purpose: nowhere
          if (notice && !route.impactNotices) continue;
          const { key, groupLabels } = groupKeyOf(route, labels);
          const { row: group } = await deps.repo.groupForRoute(trx, {
            id: newId('notification_group'), org_id: orgId, route_key: key, team_id: route.scope === 'team' ? a.team_id : null, team_name: labels.team ?? '',
            scope: route.scope, policy_ids: route.policyIds, channel_ids: route.channelIds, group_labels: groupLabels,
            group_wait_ms: route.groupWaitMs, group_interval_ms: route.groupIntervalMs, repeat_interval_ms: route.repeatIntervalMs, mute_time_window_ids: route.muteTimeWindowIds, created_at: new Date(at),
          });
          const prev = await deps.repo.groupAlert(trx, group.id, a.alert_id);
          await deps.repo.saveGroupAlert(trx, {
            group_id: group.id, instance_id: a.alert_id, org_id: orgId, rule_id: a.rule_id, rule_name: labels.alertname ?? a.rule_id, severity: a.severity, state: 'firing',
            labels: a.labels, annotations: a.annotations ?? (instance?.annotations as Record<string, string> | undefined) ?? prev?.annotations ?? {}, value: a.value,
            starts_at: instance?.firing_since ? new Date(instance.firing_since) : a.startsAt, ends_at: null, changed_at: changedAt,
            // Firing again before its resolution went out: the receiver still holds it as firing.
            notified_firing_at: prev?.notified_firing_at ?? null, notified_resolved_at: null, suppressed_at: prev?.suppressed_at ?? null,
          });
          if (!prev || prev.state !== 'firing') await schedule(group);
          taken += 1;
        }
        return taken;
      };
      /** Marks an alert resolved in every group it is in (its resolution follows its page). */
      const routeResolved = async (alertId: string, endedAt: Date, value: number | null) => {
        for (const groupId of await deps.repo.groupsOfInstance(trx, orgId, alertId)) {
          const group = await deps.repo.lockGroup(trx, groupId);
          const prev = group ? await deps.repo.groupAlert(trx, groupId, alertId) : undefined;
          if (!group || !prev || prev.state === 'resolved') continue;
          await deps.repo.saveGroupAlert(trx, { ...prev, state: 'resolved', ends_at: endedAt, changed_at: endedAt, value: value ?? prev.value });
          // The group's last firing alert resolved: its resolution goes out now, not at the next
          // group_interval (a PagerDuty incident closes when the outage ends).
          const stillFiring = (await deps.repo.alertsOfGroup(trx, groupId)).some((x) => x.state === 'firing');
          await schedule(group, !stillFiring);
        }
      };
      for (const e of changes) {
        const p = e.payload;
        // Held back: a dependent of the incident's root cause while the root cause pages (recorded by the correlator).
        if (p.to === 'firing' && !correlation.held.has(p.alert_id)) await routeFiring({ rule_id: p.rule_id, alert_id: p.alert_id, team_id: p.team_id, severity: p.severity, labels: p.labels, value: p.value, startsAt: e.at }, e.at);
        else if (p.to === 'resolved') await routeResolved(p.alert_id, e.at, p.value);
      }
      for (const a of correlation.release) await routeFiring(a, new Date(at));
      for (const a of correlation.notices) if ((await routeFiring(a, new Date(at), true)) > 0 && a.notice) await deps.incidents?.noticeSent(trx, orgId, a.notice, new Date(at));
      for (const id of correlation.noticesResolved) await routeResolved(id, new Date(at), null);
      // Groups due already (group_wait 0s, or an interval long past) flush with this batch.
      let muting: MutingContext | undefined;
      for (const group of touched.values()) {
        if (group.next_flush_at === null || new Date(group.next_flush_at).getTime() > at) continue;
        const locked = await deps.repo.lockGroup(trx, group.id);
        if (!locked) continue;
        muting ??= await deps.flusher.muting(trx, orgId, at);
        pending += await deps.flusher.flush(trx, locked, at, muting);
      }
    },
    afterCommit() {
      if (pending > 0) deps.wrote?.(pending);
      pending = 0;
    },
  };
}
