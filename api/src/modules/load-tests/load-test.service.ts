import { requireTeamAccess, visibleTeamIds, type Principal } from '../../auth/principal.ts';
import { PharosError, notFound, type ErrorCode } from '../../contract/errors.ts';
import { LOAD_TEST_CAPABILITY, type LoadTest, type LoadTestInput } from '../../contract/load-test.schema.ts';
import type { Db } from '../../db/database.ts';
import { decodeCursor, toPage } from '../../http/cursor.ts';
import { newId } from '../../shared/ids.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { Caller } from '../resources/spec.service.ts';
import { inTransaction } from '../resources/transaction.ts';
import type { RunnerRepository } from '../runner/runner.repository.ts';
import type { WakeupBus } from '../runner/wakeup.bus.ts';
import type { LoadTestSettingsRepository } from './load-test-settings.repository.ts';
import { toStoredSpec, type LoadTestSpec } from './load-test-spec.ts';
import { splitRequests } from './load-test.figures.ts';
import { checkLimits, effectiveRate, hostAllowed, hostOf, plannedSeconds, shapeErrors } from './load-test.guard.ts';
import type { LoadTestMetrics } from './load-test.metrics.ts';
import { presentLoadTest } from './load-test.present.ts';
import type { LoadTestRepository, LoadTestRow } from './load-test.repository.ts';
import { pickRunners } from './share.planner.ts';

const label = 'Load test';
const guardCodes: readonly ErrorCode[] = ['validation_failed', 'load_test_running', 'load_test_host_not_allowed', 'load_test_limit_exceeded', 'no_load_test_runner'];

/** Timings of load tests (tests shorten them). */
export interface LoadTestTimings {
  /** Added to a test's planned time for its deadline: runners pick shares up at their next poll. */
  startAllowanceSeconds: number;
  /** After the deadline, unfinished regions end in error after this much longer. */
  deadlineGraceSeconds: number;
}

export const defaultLoadTestTimings: LoadTestTimings = { startAllowanceSeconds: 30, deadlineGraceSeconds: 10 };

const missing = (pointer: string, what: string, id: string) =>
  new PharosError('validation_failed', `${pointer}: ${what} "${id}" does not exist or you have no access to it.`, [{ pointer, message: `${what} "${id}" does not exist or you have no access to it; check the id.` }]);
const visible = (p: Principal, teamId: string) => p.orgAdmin || p.teams.has(teamId);
const running = (id: string) => new PharosError('load_test_running', `Load test ${id} is still running on this target; wait for it to finish (GET /v1/load-tests/${id}) or abort it (DELETE /v1/load-tests/${id}) first.`);

interface Target {
  teamId: string;
  serviceId: string;
  monitorId: string | null;
  request: LoadTestSpec['request'];
  secrets: Record<string, string> | null;
}

/** Load tests: creation behind the guard rails, reads, abort. */
export class LoadTestService {
  constructor(
    private readonly db: Db,
    private readonly repo: LoadTestRepository,
    private readonly settings: LoadTestSettingsRepository,
    private readonly runners: RunnerRepository,
    private readonly audit: AuditRepository,
    private readonly bus: WakeupBus,
    private readonly metrics: LoadTestMetrics,
    private readonly timings: LoadTestTimings = defaultLoadTestTimings,
  ) {}

  async create(caller: Caller, input: LoadTestInput): Promise<LoadTest> {
    try {
      const shape = shapeErrors(input);
      if (shape.length) throw new PharosError('validation_failed', `The load test is not consistent: ${shape.map((e) => `${e.pointer} ${e.message}`).join(' ')}`, shape);
      let targetKey = '';
      const made = await inTransaction(this.db, label, async (trx) => {
        const orgId = caller.principal.orgId;
        const target = await this.target(trx, caller.principal, input);
        targetKey = `url:${new URL(target.request.url).href}`;
        const { limits } = await this.settings.get(trx, orgId);
        checkLimits(input, limits);
        const other = await this.repo.runningOn(trx, orgId, targetKey);
        if (other) throw running(other);
        const capable = (await this.runners.live(trx, orgId)).filter((r) => r.capabilities.includes(LOAD_TEST_CAPABILITY) && input.regions.includes(r.region));
        const loads = await this.repo.activeShareCounts(trx, capable.map((r) => r.id));
        const picked = pickRunners(input.regions, capable, loads);
        const without = input.regions.filter((r) => !picked.has(r));
        if (without.length) {
          throw new PharosError('no_load_test_runner', `No live runner with the load_test capability in ${without.join(', ')}: start a runner there (it registers load_test when it can run load tests), or leave ${without.length === 1 ? 'that region' : 'those regions'} out of regions.`, [{ pointer: '/regions', message: `no live load_test runner in ${without.join(', ')}` }]);
        }
        const split = input.requests === undefined ? null : splitRequests(input.requests, input.regions.length);
        const spec: LoadTestSpec = {
          request: target.request, regions: input.regions, requests: input.requests ?? null, durationSeconds: input.duration_seconds ?? null,
          concurrency: input.concurrency, ratePerSecond: effectiveRate(input, limits), timeoutMs: input.timeout_ms ?? 10_000, criteria: input.criteria ?? {},
        };
        const id = newId('load_test');
        const deadline = new Date(Date.now() + (plannedSeconds(input, limits) + this.timings.startAllowanceSeconds) * 1000);
        const shares = input.regions.map((region, i) => ({ region, runner_id: picked.get(region)!, requests: split ? split[i]! : null }));
        await this.repo.insert(trx, {
          id, org_id: orgId, team_id: target.teamId, service_id: target.serviceId, monitor_id: target.monitorId, target_key: targetKey,
          spec: toStoredSpec(spec), secrets: target.secrets, created_by: { type: caller.principal.kind, id: caller.principal.id, name: caller.principal.name }, deadline,
        }, shares);
        const doc = await this.read(trx, orgId, id);
        await this.audit.record(trx, caller.principal, caller.requestId, { action: 'create', resourceType: 'load_test', resourceId: id, teamId: target.teamId, before: undefined, after: doc });
        return { doc, runnerIds: shares.map((s) => s.runner_id) };
      }, {
        // Another replica started a test on the same target between the check and the insert.
        nameTaken: async () => {
          const other = await this.repo.runningOn(this.db, caller.principal.orgId, targetKey);
          return other ? running(other) : undefined;
        },
      });
      this.bus.notify(made.runnerIds);
      this.metrics.created.inc({ regions: String(input.regions.length) });
      return made.doc;
    } catch (error) {
      if (error instanceof PharosError && guardCodes.includes(error.code)) this.metrics.rejected.inc({ code: error.code });
      throw error;
    }
  }

  async get(caller: Caller, id: string): Promise<LoadTest> {
    const row = await this.repo.get(this.db, caller.principal.orgId, id);
    if (!row) throw notFound(label);
    requireTeamAccess(caller.principal, row.team_id, 'read', label);
    return presentLoadTest(row, await this.repo.shares(this.db, [id]));
  }

  async list(caller: Caller, q: { limit: number; cursor?: string | undefined; state?: string | undefined; service_id?: string | undefined }) {
    const rows = await this.repo.list(this.db, caller.principal.orgId, { teamIds: visibleTeamIds(caller.principal), state: q.state, serviceId: q.service_id, before: decodeCursor(q.cursor), limit: q.limit });
    const shares = await this.repo.shares(this.db, rows.slice(0, q.limit).map((r) => r.id));
    return toPage(rows, q.limit, (row) => presentLoadTest(row, shares.filter((s) => s.load_test_id === row.id)));
  }

  /** Aborts a queued or running test: it is aborted at once, and its runners stop at their next poll or progress report. */
  async abort(caller: Caller, id: string): Promise<LoadTest> {
    const done = await inTransaction(this.db, label, async (trx) => {
      const orgId = caller.principal.orgId;
      const row = await this.repo.get(trx, orgId, id, true);
      if (!row) throw notFound(label);
      requireTeamAccess(caller.principal, row.team_id, 'write', label);
      if (row.state !== 'queued' && row.state !== 'running') {
        throw new PharosError('load_test_finished', `Load test ${id} has already ended (${row.state}); there is nothing to abort.`);
      }
      const before = await this.read(trx, orgId, id);
      const runnerIds = await this.repo.endShares(trx, id, 'aborted', `aborted by ${caller.principal.name}`);
      await this.repo.finish(trx, id, { state: 'aborted', verdict: null, reasons: [] });
      const doc = await this.read(trx, orgId, id);
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'update', resourceType: 'load_test', resourceId: id, teamId: row.team_id, before, after: doc });
      return { doc, runnerIds };
    });
    this.bus.notify(done.runnerIds);
    this.metrics.finished.inc({ state: 'aborted' });
    return done.doc;
  }

  private async read(trx: Db, orgId: string, id: string): Promise<LoadTest> {
    const row = (await this.repo.get(trx, orgId, id)) as LoadTestRow;
    return presentLoadTest(row, await this.repo.shares(trx, [id]));
  }

  /** The monitor or service the test targets, the request it sends, and its secret headers; checks access and the host rule. */
  private async target(trx: Db, principal: Principal, input: LoadTestInput): Promise<Target> {
    if (input.monitor_id !== undefined) {
      const m = await this.repo.monitor(trx, principal.orgId, input.monitor_id);
      if (!m || !visible(principal, m.team_id)) throw missing('/monitor_id', 'Monitor', input.monitor_id);
      requireTeamAccess(principal, m.team_id, 'write', 'Monitor');
      const spec = m.spec as { http?: Record<string, unknown> };
      if (m.type !== 'http' || !spec.http || typeof spec.http.url !== 'string' || !m.service_id) {
        throw new PharosError('validation_failed', `/monitor_id: monitor ${m.id} is a ${m.type} monitor; a load test reuses the request of an http monitor. For another endpoint give service_id and request.`, [{ pointer: '/monitor_id', message: 'Must be an http monitor.' }]);
      }
      const http = spec.http;
      const secrets = (m.secrets as { http?: Record<string, string> } | null)?.http ?? null;
      return {
        teamId: m.team_id, serviceId: m.service_id, monitorId: m.id, secrets: secrets && Object.keys(secrets).length ? secrets : null,
        request: {
          method: (typeof http.method === 'string' ? http.method : 'GET') as Target['request']['method'], url: http.url as string,
          ...(http.headers && typeof http.headers === 'object' && Object.keys(http.headers).length ? { headers: http.headers as Record<string, string> } : {}),
          ...(typeof http.body === 'string' ? { body: http.body } : {}),
          verify_tls: typeof http.verify_tls === 'boolean' ? http.verify_tls : true,
        },
      };
    }
    const s = await this.repo.service(trx, principal.orgId, input.service_id!);
    if (!s || !visible(principal, s.team_id)) throw missing('/service_id', 'Service', input.service_id!);
    requireTeamAccess(principal, s.team_id, 'write', 'Service');
    const { secret_headers: secretHeaders, ...request } = input.request!;
    const host = hostOf(request.url);
    if (!host) throw new PharosError('validation_failed', '/request/url: must be an absolute http(s) URL.', [{ pointer: '/request/url', message: 'Must be an absolute http(s) URL.' }]);
    const declared = new Set((await this.repo.declaredUrls(trx, principal.orgId, s.id)).flatMap((u) => hostOf(u) ?? []));
    const { limits } = await this.settings.get(trx, principal.orgId);
    if (!hostAllowed(host, declared, limits.allowed_hosts)) {
      const known = declared.size ? `its monitors use ${[...declared].sort().join(', ')}` : 'it has no http or multi-step monitor';
      throw new PharosError('load_test_host_not_allowed', `Host ${host} is not one this organization declares for service ${s.name} (${known}); load tests only target hosts of the service's monitors or the organization's allowed_hosts. Add a monitor of that host to the service, or ask an org admin to add it to allowed_hosts (PUT /v1/load-test-settings).`, [{ pointer: '/request/url', message: `host ${host} is not declared` }]);
    }
    return {
      teamId: s.team_id, serviceId: s.id, monitorId: null, secrets: secretHeaders && Object.keys(secretHeaders).length ? secretHeaders : null,
      request: { ...request, method: request.method ?? 'GET', verify_tls: request.verify_tls ?? true },
    };
  }
}
