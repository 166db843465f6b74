import express, { type Express } from 'express';
import type { SecretBox } from './crypto/secret-box.ts';
import { KeyedDigest } from './crypto/keyed-digest.ts';
import type { Database } from './db/database.ts';
import { Authenticator, type JwtSettings } from './auth/authenticator.ts';
import { jsonBody, mountRoutes, problemErrors, requestContext } from './http/express-adapter.ts';
import { IdempotencyRepository } from './http/idempotency.repository.ts';
import { sendProblem, toProblem } from './http/problem.ts';
import { redactPath } from './observability/path-redaction.ts';
import type { AnyRoute } from './http/route.ts';
import { Validator } from './http/validator.ts';
import { PharosError } from './contract/errors.ts';
import type { Logger } from './observability/logger.ts';
import { ApiMetrics } from './observability/metrics.ts';
import { buildOpenApi } from './openapi/openapi.document.ts';
import { docsRouter } from './openapi/docs-page.ts';
import { consoleRouter } from './web/console.router.ts';
import { faviconRouter } from './web/favicon.router.ts';
import { AuditRepository } from './modules/audit/audit.repository.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { SlaService } from './modules/sla/sla.service.ts';
import { rollupDaysJob } from './modules/sla/rollup-days.job.ts';
import { RollupHoursRepository } from './modules/results/rollup-hours.repository.ts';
import { slaRoutes } from './modules/sla/sla.routes.ts';
import { DependencyService } from './modules/dependencies/dependency.service.ts';
import { dependencyRoutes } from './modules/dependencies/dependency.routes.ts';
import { dependencyGraphRoutes } from './modules/dependencies/dependency-graph.routes.ts';
import { DependencyGraphService } from './modules/dependencies/dependency-graph.service.ts';
import { ChangeEventRepository } from './modules/change-events/change-event.repository.ts';
import { ChangeEventService } from './modules/change-events/change-event.service.ts';
import { changeEventRoutes } from './modules/change-events/change-event.routes.ts';
import { OutageAnalysisRepository } from './modules/analysis/outage-analysis.repository.ts';
import { OutageAnalysisService } from './modules/analysis/outage-analysis.service.ts';
import { outageAnalysisRoutes } from './modules/analysis/outage-analysis.routes.ts';
import { IncidentSettingsRepository } from './modules/incidents/incident-settings.repository.ts';
import { IncidentSettingsService } from './modules/incidents/incident-settings.service.ts';
import { incidentSettingsRoutes } from './modules/incidents/incident-settings.routes.ts';
import { SpecService } from './modules/resources/spec.service.ts';
import { specRoutes } from './modules/resources/spec.routes.ts';
import type { SpecKind } from './modules/resources/spec-kind.ts';
import { RunnerTokenService } from './modules/runner-tokens/runner-token.service.ts';
import { runnerTokenRoutes } from './modules/runner-tokens/runner-token.routes.ts';
import { systemRoutes } from './modules/system/system.routes.ts';
import { MemberService } from './modules/teams/member.service.ts';
import { memberRoutes } from './modules/teams/member.routes.ts';
import { TeamRepository } from './modules/teams/team.repository.ts';
import { TeamService } from './modules/teams/team.service.ts';
import { teamRoutes } from './modules/teams/team.routes.ts';
import { WhoamiService } from './modules/teams/whoami.service.ts';
import { whoamiRoutes } from './modules/teams/whoami.routes.ts';
import { TokenService } from './modules/tokens/token.service.ts';
import { tokenRoutes } from './modules/tokens/token.routes.ts';
import { serviceKind } from './modules/services/service.kind.ts';
import { monitorKind } from './modules/monitors/monitor.kind.ts';
import { alertRuleKind } from './modules/alert-rules/alert-rule.kind.ts';
import { routingPolicyKind } from './modules/routing-policies/routing-policy.kind.ts';
import { channelKind } from './modules/channels/channel.kind.ts';
import { ChannelTestService, type ChannelTestSettings } from './modules/channels/channel-test.service.ts';
import { channelTestRoutes } from './modules/channels/channel-test.routes.ts';
import { createSenderRegistry } from './modules/notifications/senders/sender.registry.ts';
import { NotificationDispatcher, type DispatcherSettings } from './modules/notifications/notification-dispatcher.ts';
import { NotificationFlusher } from './modules/notifications/notification-flush.service.ts';
import { notificationRouterConsumer } from './modules/notifications/notification-router.consumer.ts';
import { NotificationRepository } from './modules/notifications/notification.repository.ts';
import { notificationRoutes } from './modules/notifications/notification.routes.ts';
import { NotificationService } from './modules/notifications/notification.service.ts';
import { PollingLoop } from './polling.loop.ts';
import { defaultRetryPolicy } from './modules/notifications/retry.policy.ts';
import { maintenanceWindowKind } from './modules/maintenance-windows/maintenance-window.kind.ts';
import { sloKind } from './modules/slos/slo.kind.ts';
import { statusPageKind } from './modules/status-pages/status-page.kind.ts';
import { StatusPageRepository } from './modules/status-pages/status-page.repository.ts';
import { StatusPageSummaryService } from './modules/status-pages/status-page-summary.service.ts';
import { statusPageRoutes } from './web/status-page.routes.ts';
import { RoutingRepository } from './modules/routing/routing.repository.ts';
import { RoutingTestService } from './modules/routing/routing-test.service.ts';
import { routingTestRoutes } from './modules/routing/routing-test.routes.ts';
import { SilenceRepository } from './modules/silences/silence.repository.ts';
import { SilenceService } from './modules/silences/silence.service.ts';
import { silenceRoutes } from './modules/silences/silence.routes.ts';
import { SloStatusService } from './modules/slos/slo-status.service.ts';
import { sloStatusRoutes } from './modules/slos/slo-status.routes.ts';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Background } from './background.ts';
import { EventLogRepository } from './modules/events/event-log.repository.ts';
import { EventConsumerRunner, defaultConsumerSettings, type ConsumerSettings, type EventConsumer } from './modules/events/event.consumer.ts';
import { JobLeaseRepository } from './modules/jobs/job-lease.repository.ts';
import { HeartbeatService } from './modules/heartbeats/heartbeat.service.ts';
import { heartbeatRoutes } from './modules/heartbeats/heartbeat.routes.ts';
import { IngestService } from './modules/results/ingest.service.ts';
import { PartitionManager } from './modules/results/partition.manager.ts';
import { ResultRepository } from './modules/results/result.repository.ts';
import { MetricRollupRepository } from './modules/metrics/metric-rollup.repository.ts';
import { MetricService } from './modules/metrics/metric.service.ts';
import { metricRoutes } from './modules/metrics/metric.routes.ts';
import { AlertDataRepository } from './modules/alerts/alert-data.repository.ts';
import { AlertEvaluationService } from './modules/alerts/alert-evaluation.service.ts';
import { eventLogSink } from './modules/alerts/alert-events.ts';
import { alertEvaluationTick } from './modules/alerts/alert-evaluation.tick.ts';
import { BaselineCache } from './modules/alerts/baseline.cache.ts';
import { alertEvaluatorConsumer } from './modules/alerts/alert-evaluator.consumer.ts';
import { AlertInstanceRepository } from './modules/alerts/alert-instance.repository.ts';
import { AlertingMetricsRepository } from './modules/alerts/alerting-metrics.repository.ts';
import { AlertService } from './modules/alerts/alert.service.ts';
import { alertRoutes } from './modules/alerts/alert.routes.ts';
import { IncidentRepository } from './modules/incidents/incident.repository.ts';
import { IncidentService } from './modules/incidents/incident.service.ts';
import { incidentRoutes } from './modules/incidents/incident.routes.ts';
import { IncidentCorrelator } from './modules/incidents/incident-correlator.ts';
import { incidentSweep } from './modules/incidents/incident-sweep.job.ts';
import { AssignmentService } from './modules/runner/assignment.service.ts';
import { RunnerRepository } from './modules/runner/runner.repository.ts';
import { runnerRoutes } from './modules/runner/runner.routes.ts';
import { RunnerService, defaultRunnerSettings, type RunnerSettings } from './modules/runner/runner.service.ts';
import { WakeupBus } from './modules/runner/wakeup.bus.ts';
import { loadTestsModule, type LoadTestTimings } from './modules/load-tests/load-tests.module.ts';
import { StateRepository } from './modules/state/state.repository.ts';
import { StateService } from './modules/state/state.service.ts';
import { NoDataService } from './modules/state/no-data.service.ts';
import { StatusService } from './modules/state/status.service.ts';
import { statusRoutes } from './modules/state/status.routes.ts';
import { LatencyService } from './modules/latency/latency.service.ts';
import { latencyRoutes } from './modules/latency/latency.routes.ts';
import { LiveHub, defaultLiveSettings, type LiveSettings } from './modules/live/live.hub.ts';
import { LiveRepository } from './modules/live/live.repository.ts';
import { liveRoutes } from './modules/live/live.routes.ts';
import { DiscoverySourceRepository } from './modules/discovery/discovery-source.repository.ts';
import { DiscoverySourceService } from './modules/discovery/discovery-source.service.ts';
import { discoverySourceRoutes } from './modules/discovery/discovery-source.routes.ts';

export const API_VERSION = '0.1.0';

/** Configuration resources served by the generic spec machinery. */
export const specKinds: readonly SpecKind[] = [serviceKind, monitorKind, alertRuleKind, routingPolicyKind, channelKind, maintenanceWindowKind, sloKind, statusPageKind];

export interface AppOptions {
  database: Database;
  logger: Logger;
  /** Encrypts and decrypts the secrets columns (api/src/crypto/; keys from PHAROS_SECRET_KEYS). */
  secrets: SecretBox;
  jwt?: JwtSettings | undefined;
  publicUrl?: string | undefined;
  maxBodyBytes?: number;
  runner?: Partial<RunnerSettings>;
  resultRetentionDays?: number;
  /** Interval of the heartbeat sweep and lease reaper (ms). */
  sweepEveryMs?: number;
  /** Interval of the full re-planning of every organization's slots (ms; default 60 s). */
  reconcileEveryMs?: number;
  /** How long /healthz waits for the database before answering not-ready (ms). */
  healthTimeoutMs?: number;
  /** Events older than this are pruned from the event log (days; default 7). */
  eventRetentionDays?: number;
  /** Evaluate alert rules in this process (default true; off only for baselines in benchmarks). */
  alertEvaluation?: boolean;
  /** Interval of the periodic alert evaluation tick (ms; default 5 s). */
  /** How often held pages and quiet incidents are checked for work that fell due (ms). */
  incidentSweepMs?: number;
  alertTickMs?: number;
  /** Consumers of the event log run by this process, besides the control plane's own. */
  consumers?: readonly EventConsumer[];
  consumerSettings?: Partial<ConsumerSettings>;
  /** Names this process in job leases (default: host, pid and a random suffix). */
  leaseHolder?: string;
  /** The notification pipeline: whether this process sends (default true), and the dispatcher's settings (tests point the transport at local receivers). */
  notifications?: Partial<DispatcherSettings> & { enabled?: boolean; pollMs?: number };
  /** POST /v1/channels/{id}/test: deadline (default 10 s) and sender transport options (tests point them at local receivers). */
  channelTest?: Partial<ChannelTestSettings>;
  /** GET /v1/stream: poll and flush intervals, limits (tests shorten them). */
  live?: Partial<LiveSettings>;
  /** Load tests: start allowance and deadline grace (tests shorten them). */
  loadTests?: Partial<LoadTestTimings>;
}

export interface App {
  express: Express;
  routes: AnyRoute[];
  metrics: ApiMetrics;
  /** Periodic jobs (leased: one replica runs each) and event consumers; the composition root starts and stops them. */
  background: Background;
  /** The event consumers of this process (started and stopped by background). */
  consumers: readonly EventConsumerRunner[];
  /** Alert rule evaluation (the consumer and the tick call it; tests and benchmarks may too). */
  alerts: AlertEvaluationService;
  /** The live stream's tailer and open streams (started and stopped by background). */
  live: LiveHub;
  /** Settles scheduled slot rebalances (tests, shutdown). */
  settle(): Promise<void>;
}

/** A job whose run is followed by a nudge (the tick's alert changes are routed at once). */
const nudgeAfter = (run: () => Promise<number>, nudge: () => void) => async (): Promise<number> => {
  const done = await run();
  nudge();
  return done;
};

/** Wires repositories, services and routes for one control plane process. */
export function createApp(options: AppOptions): App {
  const { db } = options.database;
  const validator = new Validator();
  const audit = new AuditRepository();
  const metrics = new ApiMetrics(options.database.poolStats);
  const authenticator = new Authenticator(db, options.jwt, (error) => options.logger.warn({ err: error }, 'token last-used update failed'));

  const bus = new WakeupBus();
  const runnerRepo = new RunnerRepository(options.secrets);
  const eventLog = new EventLogRepository();
  const stateRepo = new StateRepository(eventLog);
  const state = new StateService(stateRepo);
  const assignments = new AssignmentService(db, runnerRepo, state, bus, options.logger);
  const runnerSettings = { ...defaultRunnerSettings, ...(options.runner ?? {}) };
  const sweepEvery = options.sweepEveryMs ?? 2_000;
  const loadTests = loadTestsModule({ db, registry: metrics.registry, runners: runnerRepo, audit, bus, logger: options.logger, secrets: options.secrets, timings: options.loadTests, sweepEveryMs: sweepEvery });
  const runnerService = new RunnerService(db, runnerRepo, assignments, bus, runnerSettings, options.logger, loadTests.feed);
  const metricRollups = new MetricRollupRepository();
  const results = new ResultRepository(metricRollups);
  const partitions = new PartitionManager(db, options.resultRetentionDays ?? 14);
  const ingest = new IngestService(db, validator, results, state, partitions, bus);
  const heartbeats = new HeartbeatService(db, results, state, partitions);
  const noData = new NoDataService(db, stateRepo, state, runnerSettings.leaseSeconds, { everyMs: sweepEvery });
  const incidents = new IncidentRepository();
  const sla = new SlaService(db);
  const changeEvents = new ChangeEventRepository();
  const alertInstances = new AlertInstanceRepository();
  const alertData = new AlertDataRepository();
  // Alert state changes go to the event log in the evaluation's transaction (routing reads them there).
  const alertEvents = eventLogSink(eventLog);
  const alertEvaluation = new AlertEvaluationService(db, alertInstances, alertData, { data: alertData, states: stateRepo, metrics: metricRollups, baselines: new BaselineCache() }, alertEvents,
    (seconds) => metrics.alertEvaluation.observe(seconds),
    (ruleId, error) => options.logger.warn({ err: error, rule_id: ruleId }, 'alert rule evaluation failed; its status shows the error and it is evaluated again at the next tick'),
  );
  const alertingMetrics = new AlertingMetricsRepository();
  metrics.observeAlerting({ firing: () => alertingMetrics.firingCounts(db), monitors: () => alertingMetrics.monitorStates(db, 20_000), services: () => alertingMetrics.serviceStates(db, 5_000) });
  const evaluating = options.alertEvaluation !== false;
  // Monitor changes reach runners through a (debounced) rebalance that also records config changes.
  const onMonitorChange = (change: { orgId: string; id: string }) => assignments.schedule(change.orgId, [change.id]);
  const monitorWarnings = (trx: typeof db, orgId: string, row: { id: string; type: string | null; spec: unknown }) => assignments.placementWarnings(trx, orgId, row);

  // The channel senders (the only code that reads channel secrets): the test route and the dispatcher.
  const senders = createSenderRegistry();
  const notificationRepo = new NotificationRepository();
  const routingRepo = new RoutingRepository();
  const silenceRepo = new SilenceRepository();
  const flusher = new NotificationFlusher(notificationRepo, routingRepo, silenceRepo, options.publicUrl);
  const notifying = options.notifications?.enabled !== false;
  const notifySettings: DispatcherSettings = { retry: defaultRetryPolicy, claimMs: 60_000, batchSize: 20, sendTimeoutMs: 10_000, ...(options.notifications ?? {}) };
  const notifyPollMs = options.notifications?.pollMs ?? 250;
  const dispatcher = new NotificationDispatcher(db, notificationRepo, senders, options.secrets, notifySettings, options.logger, { attempt: (type, outcome, seconds) => metrics.notificationAttempt(type, outcome, seconds) });
  const dispatchLoop = new PollingLoop('notification-dispatcher', () => dispatcher.pass(), options.logger, notifyPollMs);
  const flushLoop = new PollingLoop('notification-flush', async () => {
    const { flushed, written } = await flusher.flushDue(db, Date.now());
    if (written > 0) dispatchLoop.nudge();
    return flushed;
  }, options.logger, notifyPollMs);

  const consumerSettings = { ...defaultConsumerSettings, ...(options.consumerSettings ?? {}) };
  // The live stream reads the event log; what this process commits to it is read at once.
  const live = new LiveHub(db, new LiveRepository(), options.logger, { ...defaultLiveSettings, ...(options.live ?? {}) });
  metrics.observeLive(() => live.stats().streams);
  const nudgesLive = (c: EventConsumer): EventConsumer => ({ ...c, afterCommit: () => { c.afterCommit?.(); live.nudge(); } });
  const incidentSettings = new IncidentSettingsRepository();
  // Correlation runs in the router's batch, before routing: a page it holds back is never sent.
  const correlator = new IncidentCorrelator(eventLog, (trx, orgId) => incidentSettings.get(trx, orgId));
  const router = notificationRouterConsumer({ repo: notificationRepo, routing: routingRepo, instances: alertInstances, flusher, incidents: correlator, wrote: () => dispatchLoop.nudge() });
  const routerRunner = new EventConsumerRunner(db, eventLog, nudgesLive(router), options.logger, consumerSettings);
  // Alert changes committed by the evaluator are routed at once (not at the router's next poll).
  const evaluator = evaluating ? (['states', 'metrics'] as const).map((feed) => ({ ...alertEvaluatorConsumer(alertEvaluation, alertInstances, feed), afterCommit: () => routerRunner.nudge() })) : [];
  const consumers = [...[...evaluator.map(nudgesLive), ...(options.consumers ?? [])].map((c) => new EventConsumerRunner(db, eventLog, c, options.logger, consumerSettings)), routerRunner];
  // An ingest that appended state transitions or recorded health metrics: consumers look now instead
  // of at their next poll. The poll still finds whatever a nudge missed (another replica's ingest); a
  // batch that changed no state (nearly every one) appended nothing to look at, and nudging every
  // consumer after it cost a transaction each (about 2.4 per batch while pushing, npm run bench:runner).
  const nudgingIngest = {
    ingest: async (...args: Parameters<IngestService['ingest']>) => {
      const { outcome, appendedEvents } = await ingest.ingest(...args);
      if (appendedEvents) {
        for (const c of consumers) c.nudge();
        live.nudge();
      }
      return outcome;
    },
  };

  const routes: AnyRoute[] = [];
  let openapi: unknown;
  routes.push(
    ...systemRoutes({ db, kind: options.database.kind, metrics, version: API_VERSION, openapi: () => (openapi ??= buildOpenApi(routes, API_VERSION)), healthTimeoutMs: options.healthTimeoutMs }),
    // Before the spec routes: /v1/routing-policies/test is not a policy id.
    ...routingTestRoutes(new RoutingTestService(db, routingRepo, silenceRepo, new TeamRepository())),
    ...teamRoutes(new TeamService(db, new TeamRepository(), audit, validator)),
    ...whoamiRoutes(new WhoamiService(db, new TeamRepository())),
    ...memberRoutes(new MemberService(db, audit, validator)),
    ...tokenRoutes(new TokenService(db, audit, validator)),
    ...runnerTokenRoutes(new RunnerTokenService(db, audit, validator, (orgId) => assignments.schedule(orgId))),
    ...specKinds.flatMap((kind) => specRoutes(kind === monitorKind ? new SpecService(kind, db, validator, audit, options.secrets, onMonitorChange, monitorWarnings) : new SpecService(kind, db, validator, audit, options.secrets))),
    ...silenceRoutes(new SilenceService(db, new SilenceRepository(), audit, validator)),
    ...dependencyRoutes(new DependencyService(db, audit, validator)),
    ...dependencyGraphRoutes(new DependencyGraphService(db)),
    ...changeEventRoutes(new ChangeEventService(db, changeEvents, audit)),
    ...outageAnalysisRoutes(new OutageAnalysisService(db, new OutageAnalysisRepository(), changeEvents)),
    ...incidentSettingsRoutes(new IncidentSettingsService(db, new IncidentSettingsRepository(), audit)),
    ...discoverySourceRoutes(new DiscoverySourceService(db, new DiscoverySourceRepository(), audit)),
    ...auditRoutes(db, audit),
    ...slaRoutes(sla),
    // The status pages' readers: the public page and its summary, and any page's summary for the console.
    ...statusPageRoutes(new StatusPageSummaryService(db, new StatusPageRepository(), sla)),
    ...sloStatusRoutes(new SloStatusService(db, sla)),
    ...statusRoutes(new StatusService(db, results)),
    ...latencyRoutes(new LatencyService(db)),
    ...metricRoutes(new MetricService(db, metricRollups)),
    ...alertRoutes(new AlertService(db, alertInstances)),
    ...incidentRoutes(new IncidentService(db, incidents, eventLog, audit)),
    ...notificationRoutes(new NotificationService(db, notificationRepo)),
    ...channelTestRoutes(new ChannelTestService(db, senders, options.secrets, { timeoutMs: 10_000, ...(options.channelTest ?? {}) })),
    ...heartbeatRoutes(heartbeats),
    ...runnerRoutes(runnerService, nudgingIngest, runnerSettings.maxBatch),
    ...loadTests.routes((principal, runnerId) => runnerService.own(principal, runnerId)),
    ...liveRoutes(live),
  );

  const background = new Background(
    [
      { name: 'partitions', everyMs: 3_600_000, run: () => partitions.maintain() },
      { name: 'heartbeat-sweep', everyMs: sweepEvery, run: () => heartbeats.sweep() },
      { name: 'no-data-sweep', everyMs: sweepEvery, run: () => noData.sweep() },
      {
        name: 'lease-reaper',
        everyMs: sweepEvery,
        run: async () => {
          for (const orgId of await runnerRepo.orgsWithLapsedOwners(db)) await assignments.rebalanceSoon(orgId);
        },
      },
      {
        // A safety net, and the first run after an upgrade: slots placed under older rules (e.g. general
        // slots a zone runner took) or left unplaced without a cause are put right without waiting for
        // a runner to come or go. It also closes the window of the debounced rebalance after a monitor
        // write: a process killed in it leaves the monitor unplaced until the next run of this job on
        // any replica (within a minute), or at once when the process restarts (the first run is not
        // leased, so a restarted replica does not wait for the dead one's lease).
        name: 'assignment-reconcile',
        everyMs: options.reconcileEveryMs ?? 60_000,
        firstRunEverywhere: true,
        run: async () => {
          for (const orgId of await runnerRepo.orgsWithMonitors(db)) await assignments.rebalanceSoon(orgId);
        },
      },
      { name: 'runner-purge', everyMs: 3_600_000, run: () => runnerRepo.purgeGone(db) },
      loadTests.job,
      // Day rollups for SLA windows over whole days (a closed day once, late writes again).
      { name: 'result-rollup-days', everyMs: 60_000, run: rollupDaysJob(db, { hours: new RollupHoursRepository({ concurrent: options.database.kind === 'postgres' }) }) },
      { name: 'incident-sweep', everyMs: options.incidentSweepMs ?? 2_000, run: incidentSweep(db, eventLog, () => routerRunner.nudge()) },
      ...(evaluating ? [{ name: 'alert-evaluation-tick', everyMs: options.alertTickMs ?? 5_000, run: nudgeAfter(alertEvaluationTick(db, alertEvaluation, alertInstances, options.logger, { tickMs: options.alertTickMs ?? 5_000 }), () => routerRunner.nudge()) }] : []),
      { name: 'event-retention', everyMs: 3_600_000, run: () => eventLog.prune(db, new Date(Date.now() - (options.eventRetentionDays ?? 7) * 86_400_000)) },
      { name: 'notification-retention', everyMs: 3_600_000, run: () => notificationRepo.prune(db, new Date(Date.now() - (options.eventRetentionDays ?? 7) * 86_400_000)) },
    ],
    options.logger,
    { db, repository: new JobLeaseRepository(), holder: options.leaseHolder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}` },
    [...consumers, flushLoop, live, ...(notifying ? [{ start: () => dispatchLoop.start(), stop: async () => { await dispatchLoop.stop(); await dispatcher.drain(); } }] : [])],
  );

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'extended');
  app.use(requestContext({ logger: options.logger, metrics }));
  app.use(jsonBody({ maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024 }));
  app.use(docsRouter());
  app.use(consoleRouter());
  app.use(faviconRouter());
  app.use(mountRoutes(routes, { authenticator, validator, idempotency: new IdempotencyRepository(db, new KeyedDigest(options.secrets.keyring, 'idempotency-request')), transactions: { run: (work) => options.database.withAmbientTransaction(work) }, logger: options.logger, metrics, publicUrl: options.publicUrl, maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024 }));
  app.use((req, res) => sendProblem(res, toProblem(new PharosError('not_found', `No route ${req.method} ${redactPath(req.path)}; see /openapi.json for the API.`), String(res.getHeader('X-Request-Id') ?? ''), req.originalUrl)));
  app.use(problemErrors({ logger: options.logger }));
  return { express: app, routes, metrics, background, consumers, alerts: alertEvaluation, live, settle: () => assignments.settle() };
}
