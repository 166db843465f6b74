import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createDatabase, startPostgresCluster } from '../postgres-cluster.ts';
import { startApiProcess, type ApiProc } from '../test/support/processes.ts';
import { constantRate, printTable, saturate } from './load.ts';

// npm run bench:api — the control plane on a real PostgreSQL, 1,000 monitors seeded, then:
// reads of one monitor, list pages and creates, at a fixed 200 req/s (open loop) and at saturation.
// Baseline in the same run: a bare Node HTTP server answering a monitor-sized JSON from memory.

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);

const cluster = await startPostgresCluster();
let api: ApiProc | undefined;
try {
  api = await startApiProcess(await createDatabase(cluster.url, 'pharos_bench'));
  const { url: origin, token } = api;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const post = async (path: string, body: unknown) => {
    const res = await fetch(origin + path, { method: 'POST', headers, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  };
  const team = await post('/v1/teams', { name: 'bench' });
  const services: string[] = [];
  for (let s = 0; s < 28; s++) services.push(await post('/v1/services', { name: `service-${s}`, team_id: team }));
  const monitorBody = (i: number) => ({
    name: `monitor-${i}-${randomBytes(3).toString('hex')}`, service_id: services[i % services.length], type: 'http', interval_seconds: 30,
    regions: ['us-east-1', 'us-west-2'], http: { url: `http://127.0.0.1:9/health/${i}` },
    assertions: [{ source: 'status_code', operator: 'equals', target: '200' }, { source: 'response_time', operator: 'less_than', target: '500', severity: 'degraded' }],
    tags: { env: 'prod' },
  });
  const seedStart = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < 1000; i += 20) ids.push(...(await Promise.all(Array.from({ length: 20 }, (_, k) => post('/v1/monitors', monitorBody(i + k))))));
  process.stdout.write(`seeded ${ids.length} monitors through the API in ${((performance.now() - seedStart) / 1000).toFixed(1)} s\n`);

  const sample = JSON.stringify(await (await fetch(`${origin}/v1/monitors/${ids[0]}`, { headers })).json());
  const bare = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(sample));
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const bareAddress = bare.address();
  const bareOrigin = `http://127.0.0.1:${typeof bareAddress === 'object' && bareAddress ? bareAddress.port : 0}`;

  const pick = (i: number) => ids[(i * 7919) % ids.length]!;
  const baseline = await constantRate(bareOrigin, headers, `baseline: bare node http @${RATE}/s`, RATE, SECONDS, () => ({ method: 'GET', path: '/' }));
  const results = [
    await constantRate(origin, headers, `read one monitor @${RATE}/s`, RATE, SECONDS, (i) => ({ method: 'GET', path: `/v1/monitors/${pick(i)}` })),
    await constantRate(origin, headers, `list a page of 50 monitors @${RATE}/s`, RATE, SECONDS, (i) => ({ method: 'GET', path: `/v1/monitors?limit=50&service_id=${services[i % services.length]}` })),
    await constantRate(origin, headers, `create a monitor @${Math.round(RATE / 4)}/s`, RATE / 4, SECONDS, (i) => ({ method: 'POST', path: '/v1/monitors', body: JSON.stringify(monitorBody(10_000 + i)) })),
    await saturate(origin, headers, 'read one monitor, saturated (16 conns)', 16, 8, 200_000, (i) => ({ method: 'GET', path: `/v1/monitors/${pick(i)}` })),
    await saturate(origin, headers, 'list a page of 50, saturated (16 conns)', 16, 8, 200_000, (i) => ({ method: 'GET', path: `/v1/monitors?limit=50&service_id=${services[i % services.length]}` })),
    await saturate(origin, headers, 'create a monitor, saturated (16 conns)', 16, 8, 50_000, (i) => ({ method: 'POST', path: '/v1/monitors', body: JSON.stringify(monitorBody(100_000 + i)) })),
  ];
  printTable([baseline, ...results], baseline);
  const read = results[0]!;
  process.stdout.write(`\ntarget: read p99 < 20 ms at ${RATE} req/s → ${read.p99.toFixed(2)} ms ${read.p99 < 20 && read.errors === 0 ? 'MET' : 'NOT MET'}\n`);
  bare.close();
} finally {
  await api?.stop();
  await cluster.stop();
}
