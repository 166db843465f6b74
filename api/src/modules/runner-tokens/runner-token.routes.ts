import { Type } from '@sinclair/typebox';
import { CreatedRunnerToken, RunnerToken, RunnerTokenInput, type RunnerTokenInput as Input } from '../../contract/team.schema.ts';
import { shownOnce, type AnyRoute } from '../../http/route.ts';
import { crudRoutes } from '../resources/crud.routes.ts';
import { presentRunnerToken, type RunnerTokenService } from './runner-token.service.ts';

const present = (row: Parameters<typeof presentRunnerToken>[0]) => ({ body: presentRunnerToken(row), version: row.version });

/** /v1/runner-tokens */
export function runnerTokenRoutes(tokens: RunnerTokenService): AnyRoute[] {
  return crudRoutes({
    base: '/v1/runner-tokens',
    tag: 'Access',
    singular: 'runner_token',
    plural: 'runner_tokens',
    input: RunnerTokenInput,
    output: RunnerToken,
    created: CreatedRunnerToken,
    listQuery: { region: Type.Optional(Type.String({ maxLength: 64 })) },
    roles: { create: ' (org admin)', update: ' (org admin)', delete: ' (org admin; revokes it)' },
    list: (req, caller) => tokens.list(caller, req.query as never),
    create: async (req, caller) => {
      const { row, token } = await tokens.create(caller, req.body as Input);
      return { ...shownOnce({ ...presentRunnerToken(row), token }, ['token']), version: row.version };
    },
    get: async (req, caller) => present(await tokens.get(caller, req.params.id!)),
    update: async (req, caller, patch) => present(await tokens.update(caller, req.params.id!, req.body, patch, req.ifMatch)),
    delete: (req, caller) => tokens.revoke(caller, req.params.id!, req.ifMatch),
  });
}
