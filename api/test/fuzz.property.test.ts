import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import fc from 'fast-check';
import { ulid } from 'ulid';
import { postgresSkip, startTestApi, type TestApi } from './support/harness.ts';
import { bodies, createTeamFixture, expectOk, unique, type TeamFixture } from './support/world.ts';
import { mutate, mutation, nastyString, serialize } from './support/fuzz.arbitraries.ts';

// Property-based tier: every write route of the OpenAPI document receives valid bodies mutated with
// hostile values (NUL, lone surrogates, CR/LF, huge numbers, deep nesting, wrong types, huge text),
// and read routes receive hostile query strings and path ids, over real HTTP against Postgres.
// Properties: no 5xx; every 4xx is problem+json with a code; a rejected request changes nothing.
// Bounded for CI: a fixed seed, at most RUNS requests and TIME_LIMIT_MS.

const RUNS = Number(process.env.PHAROS_FUZZ_RUNS ?? 1500);
const TIME_LIMIT_MS = 50_000;
const SEED = Number(process.env.PHAROS_FUZZ_SEED ?? 20261201);

interface Operation {
  method: string;
  path: string;
  hasBody: boolean;
  query: string[];
  runner: boolean;
}

const skip = postgresSkip();
let api: TestApi;
let own: TeamFixture;
let runner: { token: string; id: string; spareId: string; region: string };
let operations: Operation[];
let snapshotSql: string;

before(async () => {
  if (skip) return;
  api = await startTestApi();
  own = await createTeamFixture(api, api.adminToken);
  const region = unique('fz');
  const token = (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string;
  const register = async () => (await expectOk(api, 'POST', '/v1/runner/register', token, { protocol_version: 1, version: 'fuzz', capabilities: ['http'] })).runner_id as string;
  runner = { token, id: await register(), spareId: await register(), region };
  const doc = (await api.call('GET', '/openapi.json', { token: null })).body as { paths: Record<string, Record<string, any>> };
  operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([method]) => ['get', 'post', 'put', 'patch'].includes(method))
      .map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        hasBody: Boolean(op.requestBody),
        query: (op.parameters ?? []).filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name),
        runner: path.startsWith('/v1/runner/'),
      })),
  );
  // Tables a request writes to (rows and versions); background jobs do not touch them.
  const tables = ['teams', 'memberships', 'api_tokens', 'runner_tokens', 'services', 'monitors', 'alert_rules', 'routing_policies', 'channels', 'maintenance_windows', 'slos', 'status_pages', 'dependencies', 'audit_entries', 'check_results'];
  const versioned = new Set(
    (await sql<{ table_name: string }>`select table_name from information_schema.columns where column_name = 'version' and table_schema = current_schema()`.execute(api.database.db)).rows.map((r) => r.table_name),
  );
  snapshotSql = `select ${tables.map((t) => `(select count(*) from ${t})::text || '/' || ${versioned.has(t) ? `(select coalesce(sum(version), 0) from ${t})::text` : `''`} as ${t}`).join(', ')}`;
});
after(async () => api?.close());

async function snapshot(): Promise<unknown> {
  await api.app.settle();
  return (await sql.raw(snapshotSql).execute(api.database.db)).rows[0];
}

/** Concrete path: fixture ids for the resources the template names, or a given id everywhere. */
function concrete(template: string, id?: string): string {
  const owners: Record<string, string> = {
    teams: own.team, tokens: own.token, 'runner-tokens': own.runnerToken, services: own.service, monitors: own.monitor, 'alert-rules': own.alertRule,
    'routing-policies': own.routingPolicy, channels: own.channel, 'maintenance-windows': own.window, slos: own.slo, 'status-pages': own.statusPage, members: own.member, dependencies: own.dependency,
    sla: own.monitor,
  };
  const parts = template.split('/');
  return parts.map((part, i) => (/^\{\w+\}$/.test(part) ? (id ?? owners[parts[i - 1] ?? ''] ?? (parts[i - 1] === 'heartbeats' ? 'hb_unknown' : own.team)) : part)).join('/');
}

/** A valid body for an operation (fresh names each time), {} where none is known. */
function validBody(op: Operation): unknown {
  const kind = op.path.split('/')[2];
  const result = { id: `res_${ulid()}`, monitor_id: own.monitor, region: runner.region, started_at: new Date().toISOString(), status: 'down', duration_ms: 12.5, status_code: 500, error: { code: 'http_error', message: 'HTTP 500' } };
  if (op.path.endsWith('/members') || op.path.endsWith('{member_id}')) return bodies.member();
  if (op.path.endsWith('/dependencies') || op.path.endsWith('{dependency_id}')) return { depends_on_service_id: own.service2 };
  const seeds: Record<string, () => unknown> = {
    teams: () => ({ name: unique('team'), description: 'fuzzed' }),
    tokens: () => bodies.token(own.team),
    'runner-tokens': () => bodies.runnerToken(),
    services: () => bodies.service(own.team),
    monitors: () => ({ ...(bodies.monitor(own.service) as object), tags: { env: 'prod' }, run_from: { labels: { zone: 'a' } }, description: 'd' }),
    'alert-rules': () => bodies.alertRule(own.team),
    'routing-policies': () => bodies.routingPolicy(own.team, own.channel),
    channels: () => bodies.channel(own.team),
    'maintenance-windows': () => bodies.window(own.team),
    slos: () => bodies.slo(own.team, own.service),
    'status-pages': () => bodies.statusPage(own.team, own.service),
    silences: () => ({ team_id: own.team, matchers: [{ label: 'service', operator: '=~', value: 'checkout|cart' }], starts_at: new Date().toISOString(), ends_at: new Date(Date.now() + 3_600_000).toISOString(), comment: 'fuzzed' }),
  };
  if (op.path === '/v1/routing-policies/test') return { labels: { team: 'fuzz', severity: 'critical', service: 'checkout' }, at: new Date().toISOString() };
  if (op.path === '/v1/runner/register') return { protocol_version: 1, version: 'fuzz', capabilities: ['http'] };
  if (op.path === '/v1/runner/results') return { runner_id: runner.id, results: [result] };
  if (op.path === '/v1/runner/deregister') return { runner_id: runner.spareId };
  return seeds[kind ?? '']?.() ?? {};
}

type Request = { method: string; path: string; body?: string; headers: Record<string, string>; label: string };

const hostileQuery = fc.constantFrom('99999999999999999999', '-99999999999999999999', '-1', '1e400', '1.5', '%00', 'a%00b', '%ED%A0%80', '%0D%0A', 'x'.repeat(5000), 'x'.repeat(100_000), '', '[]', 'NaN');
const hostileId = fc.constantFrom('%00', 'x%00', '%ED%A0%80', '%0D%0A', 'a'.repeat(3000), '..', '%2F', 'mon_%00', '99999999999999999999');

// fetch refuses CR/LF/NUL and non-Latin-1 in header values; what remains is still hostile to a parser.
const headerSafe = (value: string) => value.replace(/[^\x20-\x7e]/g, '?');

function requestArbitrary(): fc.Arbitrary<Request> {
  const writes = operations.filter((o) => o.hasBody);
  const reads = operations.filter((o) => o.method === 'GET' && o.path.includes('{'));
  const queried = operations.filter((o) => o.method === 'GET' && o.query.length > 0);
  const tokenFor = (op: Operation) => (op.runner ? runner.token : api.adminToken);
  const bodyRequest = fc.record({ op: fc.constantFrom(...writes), mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }) }).map(({ op, mutations }): Request => ({
    method: op.method,
    path: concrete(op.path),
    body: serialize(mutate(validBody(op), mutations)),
    headers: { authorization: `Bearer ${tokenFor(op)}`, 'content-type': op.method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' },
    label: `${op.method} ${op.path}`,
  }));
  const queryRequest = fc.record({ op: fc.constantFrom(...queried), name: fc.nat(), value: hostileQuery }).map(({ op, name, value }): Request => {
    const param = op.query[name % op.query.length]!;
    const base = op.path === '/v1/runner/assignments' ? `runner_id=${runner.id}&wait=0&` : '';
    return { method: 'GET', path: `${concrete(op.path)}?${base}${param}=${value}`, headers: { authorization: `Bearer ${tokenFor(op)}` }, label: `GET ${op.path}?${param}` };
  });
  const pathRequest = fc.record({ op: fc.constantFrom(...reads, ...writes.filter((o) => o.path.includes('{'))), id: hostileId }).map(({ op, id }): Request => ({
    method: op.method,
    path: concrete(op.path, id),
    ...(op.hasBody ? { body: serialize(validBody(op)) } : {}),
    headers: { authorization: `Bearer ${tokenFor(op)}`, 'content-type': 'application/json' },
    label: `${op.method} ${op.path} (id)`,
  }));
  const headerRequest = fc.record({ op: fc.constantFrom(...writes), value: nastyString }).map(({ op, value }): Request => ({
    method: op.method,
    path: concrete(op.path),
    body: serialize(validBody(op)),
    headers: { authorization: `Bearer ${tokenFor(op)}`, 'content-type': 'application/json', 'if-match': headerSafe(value), 'idempotency-key': headerSafe(value).slice(0, 300) || 'k' },
    label: `${op.method} ${op.path} (headers)`,
  }));
  return fc.oneof({ weight: 6, arbitrary: bodyRequest }, { weight: 2, arbitrary: queryRequest }, { weight: 1, arbitrary: pathRequest }, { weight: 1, arbitrary: headerRequest });
}

test('fuzz: hostile input on every route never answers 5xx, always problem+json, and a rejection changes nothing', { skip, timeout: 120_000 }, async (t) => {
  const byStatus = new Map<number, number>();
  const failures: string[] = [];
  let sent = 0;
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(requestArbitrary(), async (request) => {
      const before = await snapshot();
      const res = await fetch(api.url + request.path, { method: request.method, headers: request.headers, body: request.body });
      const text = await res.text();
      sent++;
      byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
      const describe = `${request.label} → ${res.status} ${text.slice(0, 300)}; body: ${(request.body ?? '').slice(0, 200)}`;
      if (res.status >= 500) failures.push(describe);
      if (res.status >= 400) {
        const problem = (() => {
          try {
            return JSON.parse(text) as { code?: unknown };
          } catch {
            return undefined;
          }
        })();
        if (!res.headers.get('content-type')?.startsWith('application/problem+json') || typeof problem?.code !== 'string') failures.push(`not problem+json: ${describe}`);
        if (JSON.stringify(await snapshot()) !== JSON.stringify(before)) failures.push(`changed state: ${describe}`);
      }
      return true;
    }),
    { numRuns: RUNS, seed: SEED, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false, endOnFailure: false },
  );
  const counts = Object.fromEntries([...byStatus].sort(([a], [b]) => a - b));
  t.diagnostic(`fuzz: ${sent} requests in ${Date.now() - started} ms (seed ${SEED}), by status ${JSON.stringify(counts)}, ${failures.length} property violations`);
  assert.ok(sent >= Math.min(RUNS, 300), `only ${sent} requests were sent`);
  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} failures`);
});
