import pg from 'pg';
import { ulid } from 'ulid';
import { percentile } from './load.ts';
import type { ScaleContext, ScaleFigure } from './scale.context.ts';
import { inParallel, type ScaleHttp } from './scale.http.ts';

// The fleet of bench:scale, built through the public API: teams, services (MONITORS_PER_SERVICE
// monitors each), dependency edges (a tree plus a cross edge every fifth service, as call graphs
// are), HTTP monitors every 60 s in both regions. Monitors: API_SAMPLE created through the API on the
// empty fleet, the middle share copied in SQL from those (same spec, names and audit entries as the
// API writes; stated in the output), and API_SAMPLE more through the API on the full fleet, so the
// per-create cost at the start and at the end of the fleet come from the same API path.

export const REGIONS = ['eu-west-1', 'us-east-1'] as const;
const MONITORS_PER_SERVICE = 20;
const SERVICES_PER_TEAM = 20;
const API_SAMPLE = Number(process.env.BENCH_SCALE_API_SAMPLE ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_SCALE_CONCURRENCY ?? 16);

export interface Fleet extends Pick<ScaleContext, 'teams' | 'services'> {
  figures: ScaleFigure[];
}

const monitorBody = (name: string, serviceId: string) => ({
  name, service_id: serviceId, type: 'http', interval_seconds: 60, timeout_seconds: 10, regions: [...REGIONS],
  http: { method: 'GET', url: `http://10.20.${name.length % 250}.1:8080/${name}/health` },
  assertions: [{ source: 'status_code', operator: 'equals', target: '200' }, { source: 'response_time', operator: 'less_than', target: '500', severity: 'degraded' }],
  failure_threshold: 2, recovery_threshold: 1, tags: { env: 'prod' },
});

/** Builds a fleet of `size` monitors; its figures: creation rates and per-create latency at start and end. */
export async function buildFleet(http: ScaleHttp, adminToken: string, databaseUrl: string, size: number, out: (l?: string) => void): Promise<Fleet> {
  const serviceCount = Math.max(1, Math.ceil(size / MONITORS_PER_SERVICE));
  const teamCount = Math.max(1, Math.ceil(serviceCount / SERVICES_PER_TEAM));
  const post = async (path: string, body: unknown) => (await http.call(adminToken, 'POST', path, body)).body;
  const figures: ScaleFigure[] = [];
  const rate = (name: string, count: number, times: number[], wallMs: number, note: string) => {
    const sorted = [...times].sort((a, b) => a - b);
    figures.push({ name: `${name}: creates/s`, size, value: (count / wallMs) * 1000, unit: '/s', note: `${count} at concurrency ${CONCURRENCY}; ${note}` });
    figures.push({ name: `${name}: p50 per create`, size, value: percentile(sorted, 50), unit: 'ms' });
    figures.push({ name: `${name}: p99 per create`, size, value: percentile(sorted, 99), unit: 'ms' });
    out(`${name}: ${count} in ${(wallMs / 1000).toFixed(1)} s = ${((count / wallMs) * 1000).toFixed(0)}/s, p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms (${note})`);
  };

  let t = performance.now();
  const teams = new Array<{ id: string; name: string }>(teamCount);
  await inParallel(teamCount, CONCURRENCY, async (i) => {
    const name = `team-${String(i).padStart(4, '0')}`;
    teams[i] = { id: (await post('/v1/teams', { name })).id, name };
  });
  const services = new Array<ScaleContext['services'][number]>(serviceCount);
  const serviceTimes = await inParallel(serviceCount, CONCURRENCY, async (i) => {
    const name = `svc-${String(i).padStart(5, '0')}`;
    const teamId = teams[i % teamCount]!.id;
    services[i] = { id: (await post('/v1/services', { name, team_id: teamId, kind: 'internal', tags: { tier: String(1 + (i % 3)) } })).id, name, teamId, monitorIds: [] };
  });
  rate('services via API', serviceCount, serviceTimes, performance.now() - t, `${teamCount} teams`);

  // Each service depends on its parent in a binary tree; every fifth also on its predecessor.
  const edges: Array<[number, number]> = [];
  for (let i = 1; i < serviceCount; i++) {
    edges.push([i, (i - 1) >> 1]);
    if (i % 5 === 0 && i - 1 !== (i - 1) >> 1) edges.push([i, i - 1]);
  }
  t = performance.now();
  const edgeTimes = await inParallel(edges.length, CONCURRENCY, async (k) => {
    const [from, to] = edges[k]!;
    await post(`/v1/services/${services[from]!.id}/dependencies`, { depends_on_service_id: services[to]!.id });
  });
  rate('dependencies via API', edges.length, edgeTimes, performance.now() - t, 'tree + cross edges');

  // Monitor k belongs to service k / MONITORS_PER_SERVICE.
  const first = Math.min(API_SAMPLE, size);
  const last = Math.min(API_SAMPLE, size - first);
  const seeded = size - first - last;
  const createMonitor = async (k: number) => {
    const service = services[Math.floor(k / MONITORS_PER_SERVICE)]!;
    const id = (await post('/v1/monitors', monitorBody(`mon-${String(k).padStart(6, '0')}`, service.id))).id as string;
    service.monitorIds.push(id);
  };
  t = performance.now();
  const startTimes = await inParallel(first, CONCURRENCY, (k) => createMonitor(k));
  rate('monitors via API, empty fleet', first, startTimes, performance.now() - t, `monitors 0–${first}`);

  if (seeded > 0) {
    t = performance.now();
    await seedMonitors(databaseUrl, services, first, seeded);
    out(`monitors ${first}–${first + seeded} copied in SQL from the API-created ones (spec, names, audit entries) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }

  t = performance.now();
  const endTimes = await inParallel(last, CONCURRENCY, (k) => createMonitor(first + seeded + k));
  if (last > 0) rate('monitors via API, full fleet', last, endTimes, performance.now() - t, `monitors ${first + seeded}–${size}`);
  return { teams, services, figures };
}

/** Inserts monitors [from, from + count) as the API writes them: the first API-created monitor's spec renamed, one audit entry each. */
async function seedMonitors(databaseUrl: string, services: ScaleContext['services'], from: number, count: number): Promise<void> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const template = (await db.query(`SELECT id FROM monitors ORDER BY created_at LIMIT 1`)).rows[0].id as string;
    for (let start = from; start < from + count; start += 5000) {
      const ids: string[] = [];
      const names: string[] = [];
      const serviceIds: string[] = [];
      for (let k = start; k < Math.min(from + count, start + 5000); k++) {
        const service = services[Math.floor(k / MONITORS_PER_SERVICE)]!;
        const id = `mon_${ulid()}`;
        ids.push(id);
        names.push(`mon-${String(k).padStart(6, '0')}`);
        serviceIds.push(service.id);
        service.monitorIds.push(id);
      }
      await db.query('BEGIN');
      await db.query(
        `INSERT INTO monitors (id, org_id, team_id, name, type, service_id, spec, secrets, created_at, updated_at, version)
         SELECT x.id, t.org_id, s.team_id, x.name, t.type, x.service_id,
                t.spec || jsonb_build_object('name', x.name, 'service_id', x.service_id), t.secrets, now(), now(), 1
         FROM unnest($1::text[], $2::text[], $3::text[]) AS x(id, name, service_id)
         JOIN services s ON s.id = x.service_id CROSS JOIN (SELECT * FROM monitors WHERE id = $4) t`,
        [ids, names, serviceIds, template],
      );
      await db.query(
        `INSERT INTO audit_entries (id, org_id, at, actor_type, actor_id, actor_name, action, resource_type, resource_id, team_id, request_id, before, after)
         SELECT 'aud_' || m.id, a.org_id, now(), a.actor_type, a.actor_id, a.actor_name, a.action, a.resource_type, m.id, m.team_id, a.request_id, NULL,
                a.after || jsonb_build_object('id', m.id, 'name', m.name, 'service_id', m.service_id)
         FROM monitors m CROSS JOIN (SELECT * FROM audit_entries WHERE resource_id = $2 AND action = 'create') a
         WHERE m.id = ANY($1::text[])`,
        [ids, template],
      );
      await db.query('COMMIT');
    }
    await db.query('ANALYZE');
  } finally {
    await db.end();
  }
}
