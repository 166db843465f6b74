// Routing engine cost: `node --import tsx scripts/bench/routing.bench.ts`. Builds the trees of an
// organization the size of the reference customer ×10 (280 teams × 12 policies, 3 levels, regex
// matchers, continue, plus a 10-policy organization tree), then times routeAlert + groupKeyOf and
// mutedBy (200 silences, 100 maintenance windows of which half recur by cron) per alert. Pure CPU, bounded loops.
import { performance } from 'node:perf_hooks';
import { activeWindowIds, compileSilence, mutedBy, type MutingWindow } from '../../api/src/modules/routing/muting.ts';
import { buildRoutingTrees, groupKeyOf, routeAlert } from '../../api/src/modules/routing/routing-tree.ts';
import type { StoredPolicy } from '../../api/src/modules/routing/stored-policy.ts';

const teams = 280;
const policies: StoredPolicy[] = [];
const policy = (id: string, team: number | null, spec: Record<string, unknown>): void => {
  policies.push({ id, name: id, team_id: team === null ? null : `team_${team}`, team_name: team === null ? null : `team-${team}`, spec: { ...(team === null ? { scope: 'organization' } : {}), ...spec } });
};
for (let t = 0; t < teams; t++) {
  policy(`p${t}_root`, t, { channel_ids: [`chn_${t}_slack`] });
  for (let c = 0; c < 5; c++) {
    policy(`p${t}_s${c}`, t, { parent_id: `p${t}_root`, priority: c, matchers: [{ label: 'service', operator: '=~', value: `svc-${t}-${c}|svc-${t}-${c}-.*` }], channel_ids: [`chn_${t}_${c}`], continue: c === 0 });
    policy(`p${t}_s${c}_crit`, t, { parent_id: `p${t}_s${c}`, matchers: [{ label: 'severity', operator: '=', value: 'critical' }, { label: 'region', operator: '!~', value: 'staging-.*' }], channel_ids: [`chn_${t}_pager`] });
  }
  policy(`p${t}_db`, t, { parent_id: `p${t}_root`, priority: 50, matchers: [{ label: 'alertname', operator: '=~', value: '.*Database.*' }] });
}
for (let o = 0; o < 10; o++) policy(`org${o}`, null, { priority: o, matchers: [{ label: 'impact', operator: '=', value: `level-${o}` }], channel_ids: ['chn_leads'], continue: o < 3 });

const timed = <T>(fn: () => T): [T, number] => {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
};

const [trees, buildMs] = timed(() => buildRoutingTrees(policies));
const alerts = Array.from({ length: 5000 }, (_, i) => {
  const t = i % (teams + 20); // some alerts belong to teams without policies: the fallback tree
  return { alertname: i % 7 === 0 ? 'DatabaseSlow' : 'ServiceDown', team: `team-${t}`, service: `svc-${t}-${i % 6}`, severity: i % 3 === 0 ? 'critical' : 'warning', region: i % 2 ? 'us-east-1' : 'staging-1', impact: `level-${i % 12}` };
});
const rounds = 40;
let routes = 0;
const [, routeMs] = timed(() => {
  for (let r = 0; r < rounds; r++) for (const labels of alerts) for (const route of routeAlert(trees, labels)) routes += groupKeyOf(route, labels).key.length > 0 ? 1 : 0;
});

const now = Date.parse('2026-12-01T12:00:00Z');
const silences = Array.from({ length: 200 }, (_, i) => compileSilence({ id: `sil_${i}`, team_name: i % 10 === 0 ? null : `team-${i}`, matchers: [{ label: 'service', operator: '=~', value: `svc-${i}-.*` }, { label: 'severity', operator: '!=', value: 'info' }], starts_at: '2026-12-01T00:00:00Z', ends_at: '2026-12-02T00:00:00Z' }));
const windows: MutingWindow[] = Array.from({ length: 100 }, (_, i) => ({
  id: `mw_${i}`, name: `mw-${i}`, team: `team-${i}`, starts_at: '2026-11-01T00:00:00Z', ends_at: '2027-01-01T00:00:00Z', mute_notifications: true, whole_team: false,
  ...(i % 2 ? { recurrence: { cron: '0 2 * * *', duration: '1h', timezone: 'Europe/Berlin' } } : {}), services: [`svc-${i}-1`], monitors: [],
}));
let muted = 0;
const muteRounds = 4;
const [, muteMs] = timed(() => {
  for (let r = 0; r < muteRounds; r++) for (const labels of alerts) if (mutedBy(labels, now, { silences, maintenanceWindows: windows, muteTimeWindowIds: ['mw_1', 'mw_3'] }).muted) muted++;
});

let mutedOnce = 0;
const [, muteOnceMs] = timed(() => {
  for (let r = 0; r < muteRounds; r++) {
    const activeWindows = activeWindowIds(windows, now);
    for (const labels of alerts) if (mutedBy(labels, now, { silences, maintenanceWindows: windows, muteTimeWindowIds: ['mw_1', 'mw_3'], activeWindows }).muted) mutedOnce++;
  }
});
if (mutedOnce !== muted) throw new Error(`precomputed windows muted ${mutedOnce}, per-alert expansion ${muted}`);
const calls = rounds * alerts.length;
const muteCalls = muteRounds * alerts.length;
process.stdout.write(
  [
    `policies: ${policies.length} (${teams} teams, 3 levels, regex matchers, continue) + 10 organization policies`,
    `buildRoutingTrees: ${buildMs.toFixed(1)} ms`,
    `routeAlert + groupKeyOf: ${calls} alerts, ${routes} routes, ${((routeMs * 1000) / calls).toFixed(2)} µs per alert (${Math.round(calls / (routeMs / 1000))} alerts/s)`,
    `mutedBy: 200 silences, 100 windows (50 recurring) + 2 mute time windows: ${muteCalls} alerts, ${muted} muted, ${((muteMs * 1000) / muteCalls).toFixed(1)} µs per alert`,
    `mutedBy with activeWindowIds computed once per batch of ${alerts.length}: ${((muteOnceMs * 1000) / muteCalls).toFixed(1)} µs per alert`,
  ].join('\n') + '\n',
);
