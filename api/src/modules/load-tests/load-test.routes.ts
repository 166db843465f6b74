import { Type } from '@sinclair/typebox';
import { Id, Page, StringEnum } from '../../contract/common.schema.ts';
import { LoadTest, LoadTestInput, loadTestStates, type LoadTestInput as Input } from '../../contract/load-test.schema.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { IdParams, callerOf, pageQuery } from '../resources/crud.routes.ts';
import type { LoadTestService } from './load-test.service.ts';

const tag = 'Load tests';

/** /v1/load-tests: start, read, list and abort on-demand load tests. */
export function loadTestRoutes(tests: LoadTestService): AnyRoute[] {
  const found = { 200: { description: 'The load test: state, progress, per-region and overall figures, verdict.', schema: LoadTest } };
  return [
    defineRoute({
      method: 'get', path: '/v1/load-tests', operationId: 'list_load_tests', summary: 'List load tests (newest first)', tag, auth: 'principal',
      query: Type.Object({
        ...pageQuery,
        state: Type.Optional(StringEnum(loadTestStates, { description: 'Only tests in this state.' })),
        service_id: Type.Optional(Id),
      }, { additionalProperties: false }),
      responses: { 200: { description: 'A page of load tests, newest first.', schema: Page(LoadTest) } },
      handle: async (req) => ({ status: 200, body: await tests.list(callerOf(req), req.query as { limit: number }) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/load-tests', operationId: 'create_load_test', summary: "Start a load test on a monitor's request or a service's endpoint (team editor)", tag, auth: 'principal',
      body: LoadTestInput, idempotent: true,
      responses: { 201: { description: 'The load test, queued: its shares are handed to one runner per region.', schema: LoadTest } },
      handle: async (req) => {
        const body = await tests.create(callerOf(req), req.body as Input);
        return { status: 201, body, headers: { Location: `/v1/load-tests/${body.id}` } };
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/load-tests/{id}', operationId: 'get_load_test', summary: 'Get a load test with its figures and verdict', tag, auth: 'principal',
      params: IdParams, responses: found,
      handle: async (req) => ({ status: 200, body: await tests.get(callerOf(req), req.params.id) }),
    }),
    defineRoute({
      method: 'delete', path: '/v1/load-tests/{id}', operationId: 'abort_load_test', summary: 'Abort a load test (team editor): aborted at once, runners stop within a second', tag, auth: 'principal',
      params: IdParams, responses: { 200: { description: 'The aborted load test (it stays listed).', schema: LoadTest } },
      handle: async (req) => ({ status: 200, body: await tests.abort(callerOf(req), req.params.id) }),
    }),
  ];
}
