// Values a route has when neither it nor any ancestor sets them (docs/alerting.md, "Routing").
// Alertmanager's defaults are group_wait 30s, group_interval 5m, repeat_interval 4h and no grouping
// labels. Pharos keeps group_interval and repeat_interval. group_wait is 1s: Alertmanager waits 30 s
// so that inhibiting alerts can arrive, but Pharos evaluates every rule of a result batch in one pass
// and holds back dependents' pages through incidents, so a longer wait only delays the first page;
// 1 s still gathers the alerts one evaluation pass fires into one notification. The default grouping
// is per rule and service, so one page is never held behind another service's group_interval.

/** Wait before the first notification of a new group. */
export const defaultGroupWaitMs = 1_000;
/** Wait before notifying about changes in a group that was notified. */
export const defaultGroupIntervalMs = 5 * 60_000;
/** Wait before repeating a notification for a group that is still firing. */
export const defaultRepeatIntervalMs = 4 * 60 * 60_000;
/** Labels that group alerts when no policy on the path sets group_by. */
export const defaultGroupBy: readonly string[] = ['alertname', 'service'];

/** The group_by entry that groups by every label (each distinct label set is its own group), as in Alertmanager. */
export const groupByAll = '...';
