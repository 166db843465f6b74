import { Type } from '@sinclair/typebox';
import { Id } from '../../contract/common.schema.ts';
import { Assignments, AssignmentsQuery, ResultBatch, ResultBatchOutcome, RunnerRegistered, RunnerRegistration } from '../../contract/runner-protocol.schema.ts';
import type { RunnerPrincipal } from '../../auth/principal.ts';
import { PharosError } from '../../contract/errors.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import type { RunnerRow } from './runner.repository.ts';
import type { RunnerService } from './runner.service.ts';

const tag = 'Runner protocol';

/** /v1/runner/…: the protocol runners speak (runner tokens only). */
/** Stores a runner's result batch and says what became of each result. */
export interface ResultIngest {
  ingest(principal: RunnerPrincipal, runner: RunnerRow, raw: readonly unknown[]): Promise<ResultBatchOutcome>;
}

export function runnerRoutes(runners: RunnerService, ingest: ResultIngest, maxBatch: number): AnyRoute[] {
  return [
    defineRoute({
      method: 'post', path: '/v1/runner/register', operationId: 'register_runner', summary: 'Register a runner process', tag, auth: 'runner',
      body: RunnerRegistration,
      responses: { 201: { description: 'Registered: the runner id and the lease and poll settings.', schema: RunnerRegistered } },
      handle: async (req) => ({ status: 201, body: await runners.register(req.principal as RunnerPrincipal, req.body) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/runner/assignments', operationId: 'poll_assignments', summary: 'Long-poll the monitors this runner owns', tag, auth: 'runner',
      query: AssignmentsQuery,
      responses: { 200: { description: 'The full set, or the changes since the revision sent, plus confirmation requests.', schema: Assignments } },
      handle: async (req) => ({ status: 200, body: await runners.poll(req.principal as RunnerPrincipal, req.query, req.signal, req.baseUrl, req.connection), headers: { 'Cache-Control': 'no-store' } }),
    }),
    defineRoute({
      method: 'post', path: '/v1/runner/results', operationId: 'push_results', summary: 'Push a batch of check results', tag, auth: 'runner',
      body: ResultBatch,
      responses: { 200: { description: 'Per result: accepted (stored now or before) or rejected with a reason.', schema: ResultBatchOutcome } },
      handle: async (req) => {
        const principal = req.principal as RunnerPrincipal;
        if (req.body.results.length > maxBatch) throw new PharosError('payload_too_large', `Send at most ${maxBatch} results per batch.`);
        const runner = await runners.own(principal, req.body.runner_id);
        return { status: 200, body: await ingest.ingest(principal, runner, req.body.results) };
      },
    }),
    defineRoute({
      method: 'post', path: '/v1/runner/deregister', operationId: 'deregister_runner', summary: 'Stop a runner: its monitors move to other runners at once', tag, auth: 'runner',
      body: Type.Object({ runner_id: Id }, { additionalProperties: false }),
      responses: { 204: { description: 'Deregistered.' } },
      handle: async (req) => {
        await runners.deregister(req.principal as RunnerPrincipal, req.body.runner_id);
        return { status: 204 };
      },
    }),
  ];
}
