import { Type } from '@sinclair/typebox';
import { Id } from '../../contract/common.schema.ts';
import { LoadTestProgress, LoadTestProgressAnswer } from '../../contract/load-test.schema.ts';
import type { RunnerPrincipal } from '../../auth/principal.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import type { LoadTestFeed } from './load-test.feed.ts';

/** POST /v1/runner/load-tests/{load_test_id}/progress: a runner's cumulative report of its share (runner tokens only). */
export function loadTestRunnerRoutes(feed: LoadTestFeed, own: (principal: RunnerPrincipal, runnerId: string) => Promise<unknown>): AnyRoute[] {
  return [
    defineRoute({
      method: 'post', path: '/v1/runner/load-tests/{load_test_id}/progress', operationId: 'report_load_test_progress', summary: "Report a load-test share's cumulative progress", tag: 'Runner protocol', auth: 'runner',
      params: Type.Object({ load_test_id: Id }), body: LoadTestProgress,
      responses: { 200: { description: 'Stored (or ignored when its seq is not above the last one); abort: true when the runner must stop the share now.', schema: LoadTestProgressAnswer } },
      handle: async (req) => {
        const principal = req.principal as RunnerPrincipal;
        await own(principal, req.body.runner_id);
        return { status: 200, body: await feed.progress(principal, req.body.runner_id, req.params.load_test_id, req.body) };
      },
    }),
  ];
}
