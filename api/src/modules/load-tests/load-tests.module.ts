import type { Registry } from 'prom-client';
import type { RunnerPrincipal } from '../../auth/principal.ts';
import type { BackgroundJob } from '../../background.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { Db } from '../../db/database.ts';
import type { AnyRoute } from '../../http/route.ts';
import type { Logger } from '../../observability/logger.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { RunnerRepository } from '../runner/runner.repository.ts';
import type { WakeupBus } from '../runner/wakeup.bus.ts';
import { loadTestRunnerRoutes } from './load-test-runner.routes.ts';
import { LoadTestSettingsRepository } from './load-test-settings.repository.ts';
import { loadTestSettingsRoutes } from './load-test-settings.routes.ts';
import { LoadTestSettingsService } from './load-test-settings.service.ts';
import { LoadTestFeed } from './load-test.feed.ts';
import { LoadTestMetrics } from './load-test.metrics.ts';
import { LoadTestRepository } from './load-test.repository.ts';
import { loadTestRoutes } from './load-test.routes.ts';
import { LoadTestService, defaultLoadTestTimings, type LoadTestTimings } from './load-test.service.ts';
import { loadTestSweep } from './load-test.sweep.ts';

export type { LoadTestTimings };

/** The load-test module's parts, built once by the composition root (api/src/app.ts). */
export function loadTestsModule(deps: { db: Db; registry: Registry; runners: RunnerRepository; audit: AuditRepository; bus: WakeupBus; logger: Logger; secrets: SecretBox; timings?: Partial<LoadTestTimings> | undefined; sweepEveryMs: number }) {
  const timings = { ...defaultLoadTestTimings, ...(deps.timings ?? {}) };
  const repo = new LoadTestRepository(deps.secrets);
  const settings = new LoadTestSettingsRepository();
  const metrics = new LoadTestMetrics(deps.registry);
  const feed = new LoadTestFeed(deps.db, repo, metrics);
  const service = new LoadTestService(deps.db, repo, settings, deps.runners, deps.audit, deps.bus, metrics, timings);
  return {
    /** Given to the runner service: the assignment feed's load-test fields. */
    feed,
    /** The public routes and the runner's progress route (`own` checks a runner id against its token). */
    routes: (own: (principal: RunnerPrincipal, runnerId: string) => Promise<unknown>): AnyRoute[] => [
      ...loadTestSettingsRoutes(new LoadTestSettingsService(deps.db, settings, deps.audit)),
      ...loadTestRoutes(service),
      ...loadTestRunnerRoutes(feed, own),
    ],
    job: { name: 'load-test-sweep', everyMs: deps.sweepEveryMs, run: loadTestSweep(deps.db, repo, deps.bus, metrics, deps.logger, timings.deadlineGraceSeconds) } satisfies BackgroundJob,
  };
}
