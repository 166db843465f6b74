import { Type } from '@sinclair/typebox';
import { Id, StringEnum } from '../../contract/common.schema.ts';
import { Silence, SilenceInput, silenceStates, type SilenceInput as Input } from '../../contract/routing.schema.ts';
import type { AnyRoute } from '../../http/route.ts';
import { crudRoutes } from '../resources/crud.routes.ts';
import { presentSilence, type SilenceService } from './silence.service.ts';
import type { SilenceRow } from './silence.repository.ts';

/** /v1/silences */
export function silenceRoutes(silences: SilenceService, clock: () => number = Date.now): AnyRoute[] {
  const present = (row: SilenceRow) => ({ body: presentSilence(row, clock()), version: row.version });
  return crudRoutes({
    base: '/v1/silences',
    tag: 'Alerting',
    singular: 'silence',
    plural: 'silences',
    input: SilenceInput,
    output: Silence,
    listQuery: {
      team_id: Type.Optional(Id),
      state: Type.Optional(StringEnum(silenceStates, { description: 'pending (not started), active (muting now) or expired.' })),
    },
    roles: { create: ' (team editor; scope "organization": org admin)', update: ' (set ends_at to now to expire it early)', delete: ' (ends its mute at once)' },
    list: (req, caller) => silences.list(caller, req.query as never),
    create: async (req, caller) => present(await silences.create(caller, req.body as Input)),
    get: async (req, caller) => present(await silences.get(caller, req.params.id!)),
    update: async (req, caller, patch) => present(await silences.update(caller, req.params.id!, req.body, patch, req.ifMatch)),
    delete: (req, caller) => silences.delete(caller, req.params.id!, req.ifMatch),
  });
}
