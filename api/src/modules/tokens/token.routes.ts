import { Type } from '@sinclair/typebox';
import { Id } from '../../contract/common.schema.ts';
import { CreatedToken, Token, TokenInput, type TokenInput as Input } from '../../contract/team.schema.ts';
import { shownOnce, type AnyRoute } from '../../http/route.ts';
import { crudRoutes } from '../resources/crud.routes.ts';
import { presentToken, type TokenService } from './token.service.ts';

const present = (row: Parameters<typeof presentToken>[0]) => ({ body: presentToken(row), version: row.version });

/** /v1/tokens */
export function tokenRoutes(tokens: TokenService): AnyRoute[] {
  return crudRoutes({
    base: '/v1/tokens',
    tag: 'Access',
    singular: 'token',
    plural: 'tokens',
    input: TokenInput,
    output: Token,
    created: CreatedToken,
    listQuery: { team_id: Type.Optional(Id) },
    roles: { create: ' (org admin, or team admin for their team)', update: ' (name and expiry only)', delete: ' (revokes it)' },
    list: (req, caller) => tokens.list(caller, req.query as never),
    create: async (req, caller) => {
      const { row, token } = await tokens.create(caller, req.body as Input);
      return { ...shownOnce({ ...presentToken(row), token }, ['token']), version: row.version };
    },
    get: async (req, caller) => present(await tokens.get(caller, req.params.id!)),
    update: async (req, caller, patch) => present(await tokens.update(caller, req.params.id!, req.body, patch, req.ifMatch)),
    delete: (req, caller) => tokens.revoke(caller, req.params.id!, req.ifMatch),
  });
}
