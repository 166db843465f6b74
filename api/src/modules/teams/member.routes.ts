import { Member, MemberInput, type MemberInput as Input } from '../../contract/team.schema.ts';
import type { AnyRoute } from '../../http/route.ts';
import { crudRoutes } from '../resources/crud.routes.ts';
import { presentMember, type MemberService } from './member.service.ts';

const present = (row: Parameters<typeof presentMember>[0]) => ({ body: presentMember(row), version: row.version });

/** /v1/teams/{id}/members */
export function memberRoutes(members: MemberService): AnyRoute[] {
  return crudRoutes({
    base: '/v1/teams/{id}/members',
    itemParam: 'member_id',
    tag: 'Teams',
    singular: 'member',
    plural: 'members',
    input: MemberInput,
    output: Member,
    roles: { create: ' (team admin)', update: ' (team admin)', delete: ' (team admin)' },
    list: (req, caller) => members.list(caller, req.params.id!, req.query as never),
    create: async (req, caller) => present(await members.create(caller, req.params.id!, req.body as Input)),
    get: async (req, caller) => present(await members.get(caller, req.params.id!, req.params.member_id!)),
    update: async (req, caller, patch) => present(await members.update(caller, req.params.id!, req.params.member_id!, req.body, patch, req.ifMatch)),
    delete: (req, caller) => members.delete(caller, req.params.id!, req.params.member_id!, req.ifMatch),
  });
}
