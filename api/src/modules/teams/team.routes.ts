import { Type } from '@sinclair/typebox';
import { Team, TeamInput, type TeamInput as Input } from '../../contract/team.schema.ts';
import type { AnyRoute } from '../../http/route.ts';
import { crudRoutes } from '../resources/crud.routes.ts';
import { presentTeam, type TeamService } from './team.service.ts';

const present = (row: Parameters<typeof presentTeam>[0]) => ({ body: presentTeam(row), version: row.version });

/** /v1/teams */
export function teamRoutes(teams: TeamService): AnyRoute[] {
  return crudRoutes({
    base: '/v1/teams',
    tag: 'Teams',
    singular: 'team',
    plural: 'teams',
    input: TeamInput,
    output: Team,
    listQuery: { name: Type.Optional(Type.String({ maxLength: 100, description: 'Exact team name.' })) },
    roles: { create: ' (org admin)', update: ' (team admin)', delete: ' (org admin; the team must own nothing)' },
    list: (req, caller) => teams.list(caller, req.query as never),
    create: async (req, caller) => present(await teams.create(caller, req.body as Input)),
    get: async (req, caller) => present(await teams.get(caller, req.params.id!)),
    update: async (req, caller, patch) => present(await teams.update(caller, req.params.id!, req.body, patch, req.ifMatch)),
    delete: (req, caller) => teams.delete(caller, req.params.id!, req.ifMatch),
  });
}
