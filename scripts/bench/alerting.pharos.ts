import { randomBytes } from 'node:crypto';
import { createDatabase, startPostgresCluster } from '../postgres-cluster.ts';
import { callJson, startApiProcess, startRunnerProcess, waitFor, type ApiProc, type Proc } from '../test/support/processes.ts';
import { onInterrupt, track } from './runner.support.ts';

// The Pharos side of `npm run bench:alerting`: a throwaway PostgreSQL, api/src/main.ts and a real
// runner (region "bench"), and everything a team sets up through the public REST API: per
// configuration a team, a service, one HTTP monitor per flip (interval 5 s, timeout 2 s, the
// product's other defaults), one rule `down(monitor("…"))` with for_duration "0s" per monitor, a
// webhook channel signed per Standard Webhooks and a catch-all routing policy to it. Configurations:
// "default" leaves group_wait to the product; "fast" sets group_wait "0s" (and group_interval "1s",
// which is when a resolution follows). Both group by alertname (the rule's name), so each flip is
// a group of its own, as on the Alertmanager side.

export const INTERVAL_S = 5;
export const TIMEOUT_S = 2;

type Call = (method: string, path: string, body?: unknown) => Promise<any>;
export type PharosConfig = 'default' | 'fast';

export interface PharosOptions {
  /** One target URL per flip; both configurations check each of them. */
  targets: string[];
  /** Receiver URL of each configuration's webhook channel, and of the throughput one. */
  webhooks: Record<PharosConfig | 'throughput', string>;
  /** The throughput part: K rules on one monitor of this URL, all firing at once. */
  throughput?: { target: string; rules: number };
}

export interface PharosSide {
  /** Alert names (rule names) of each configuration, one per flip, in flip order. */
  names: Record<PharosConfig, string[]>;
  /** The throughput rules' names (empty when that part does not run). */
  throughputNames: string[];
  /** The channels' signing secrets by receiver path. */
  secrets: Map<string, string>;
  /** group_wait and group_interval in effect for the default configuration, e.g. "group_wait 1s, group_interval 5m". */
  defaultTiming: string;
  /** Whether the API serves GET /v1/notifications (the notification pipeline is there). */
  notifications: boolean;
  /** POST /v1/channels/{id}/test on a configuration's channel: the API's answer (throws when the API refuses). */
  testChannel(config: PharosConfig): Promise<{ ok: boolean; status?: number; error?: string }>;
  /** Resolves once every monitor has been checked and is up. */
  ready(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

const secret = () => `whsec_${randomBytes(24).toString('base64')}`;

/** Whether GET /v1/notifications answers (200) rather than 404. */
async function hasNotifications(api: ApiProc): Promise<boolean> {
  const res = await fetch(`${api.url}/v1/notifications?limit=1`, { headers: { authorization: `Bearer ${api.token}` } });
  await res.body?.cancel();
  return res.ok;
}

/**
 * The timings a default policy gets, as POST /v1/routing-policies/test reports them for an alert of
 * the team (or as the created policy says, where that endpoint is missing).
 */
async function effectiveTiming(call: Call, teamId: string, policy: { group_wait?: string }): Promise<string> {
  const tested = await call('POST', '/v1/routing-policies/test', { team_id: teamId, labels: { alertname: 'default-f00' } }).catch(() => undefined);
  const route = tested?.routes?.[0] as { group_wait?: string; group_interval?: string } | undefined;
  if (route?.group_wait) return `group_wait ${route.group_wait}, group_interval ${route.group_interval ?? '?'}`;
  return policy.group_wait ? `group_wait ${policy.group_wait}` : 'the product default';
}

/** Starts PostgreSQL, the control plane and a runner, and creates the teams' resources through the API. */
export async function startPharos(options: PharosOptions): Promise<PharosSide> {
  const cluster = await startPostgresCluster();
  const forget = onInterrupt(() => cluster.stop());
  let api: ApiProc | undefined;
  let runner: Proc | undefined;
  const stop = async () => {
    await runner?.stop();
    await api?.stop();
    await cluster.stop();
    forget();
  };
  try {
    const dbUrl = await createDatabase(cluster.url, 'pharos_bench_alerting');
    api = await startApiProcess(dbUrl);
    track(api.child);
    const call: Call = (method, path, body) => callJson(api!.url, api!.token, method, path, body);
    const secrets = new Map<string, string>();
    const monitorIds: string[] = [];

    const team = async (name: string, webhook: string, policy: Record<string, unknown>) => {
      const teamId = (await call('POST', '/v1/teams', { name })).id as string;
      const serviceId = (await call('POST', '/v1/services', { name, team_id: teamId })).id as string;
      const signing = secret();
      secrets.set(new URL(webhook).pathname, signing);
      const channel = await call('POST', '/v1/channels', { name: `${name}-webhook`, team_id: teamId, type: 'webhook', webhook: { url: webhook, signing_secret: signing } });
      const created = await call('POST', '/v1/routing-policies', { name: `${name}-catch-all`, team_id: teamId, channel_ids: [channel.id], group_by: ['alertname'], ...policy });
      const monitor = async (name: string, url: string) => {
        const m = await call('POST', '/v1/monitors', {
          name, service_id: serviceId, type: 'http', interval_seconds: INTERVAL_S, timeout_seconds: TIMEOUT_S, regions: ['bench'],
          http: { method: 'GET', url }, assertions: [{ source: 'status_code', operator: 'equals', target: '200' }],
        });
        monitorIds.push(m.id as string);
      };
      const rule = (name: string, monitorName: string) =>
        call('POST', '/v1/alert-rules', { name, team_id: teamId, expression: `down(monitor(${JSON.stringify(monitorName)}))`, for_duration: '0s', severity: 'critical' });
      return { teamId, channelId: channel.id as string, policy: created as { group_wait?: string }, monitor, rule };
    };

    const names: Record<PharosConfig, string[]> = { default: [], fast: [] };
    let defaultTiming = 'the product default';
    const channels: Partial<Record<PharosConfig, string>> = {};
    for (const config of ['default', 'fast'] as const) {
      const t = await team(`alerting-${config}`, options.webhooks[config], config === 'fast' ? { group_wait: '0s', group_interval: '1s' } : {});
      channels[config] = t.channelId;
      if (config === 'default') defaultTiming = await effectiveTiming(call, t.teamId, t.policy);
      for (const [i, url] of options.targets.entries()) {
        const name = `${config}-f${String(i).padStart(2, '0')}`;
        await t.monitor(`m-${name}`, url);
        await t.rule(name, `m-${name}`);
        names[config].push(name);
      }
    }

    const notifications = await hasNotifications(api);
    const throughputNames: string[] = [];
    if (notifications && options.throughput) {
      // Many rules on one subject: they fire on the same evaluation, so the outbox gets them at once.
      const t = await team('alerting-throughput', options.webhooks.throughput, { group_wait: '0s', group_interval: '1s' });
      await t.monitor('m-throughput', options.throughput.target);
      for (let i = 0; i < options.throughput.rules; i += 20) {
        await Promise.all(Array.from({ length: Math.min(20, options.throughput.rules - i) }, (_, k) => {
          const name = `throughput-r${String(i + k).padStart(4, '0')}`;
          throughputNames.push(name);
          return t.rule(name, 'm-throughput');
        }));
      }
    }

    const runnerToken = (await call('POST', '/v1/runner-tokens', { name: 'bench-alerting', region: 'bench' })).token as string;
    runner = startRunnerProcess(api.url, runnerToken, { PHAROS_REGION: 'bench' });
    track(runner.child);
    return {
      names,
      throughputNames,
      secrets,
      defaultTiming,
      notifications,
      testChannel: (config) => call('POST', `/v1/channels/${channels[config]}/test`),
      async ready(timeoutMs) {
        await waitFor('every Pharos monitor up', timeoutMs, async () => {
          if (runner!.child.exitCode !== null) throw new Error(`the runner exited:\n${runner!.output()}`);
          const states = await Promise.all(monitorIds.map(async (id) => (await call('GET', `/v1/monitors/${id}/state`)).state as string));
          return states.every((s) => s === 'up');
        }, 500);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
