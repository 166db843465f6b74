import { Type } from '@sinclair/typebox';
import { Id } from '../../contract/common.schema.ts';
import { ManagedByFilter } from '../../contract/managed-by.schema.ts';
import type { AnyRoute } from '../../http/route.ts';
import { crudRoutes } from './crud.routes.ts';
import { nameScopes, scopeWords } from './name-scope.ts';
import type { SpecService, Versioned } from './spec.service.ts';

/** The CRUD routes of a spec kind, with its list filters. */
export function specRoutes(service: SpecService): AnyRoute[] {
  const { kind } = service;
  const present = ({ doc, version, warnings }: Versioned<Record<string, unknown>>) => ({ body: warnings?.length ? { ...doc, warnings } : doc, version });
  return crudRoutes({
    base: `/v1/${kind.path}`,
    tag: kind.tag,
    singular: kind.type,
    plural: kind.table,
    input: kind.input,
    output: kind.output,
    ...(kind.written ? { written: kind.written } : {}),
    listQuery: {
      team_id: Type.Optional(Id),
      name: Type.Optional(Type.String({ maxLength: 100, description: `Exact name (${kind.label.toLowerCase()} names are ${scopeWords[nameScopes[kind.table]]}).` })),
      tag: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: 'Filter by tag "key:value"; repeat for several.' })),
      ...(kind.filters.includes('service_id') ? { service_id: Type.Optional(Id) } : {}),
      ...(kind.filters.includes('type') ? { type: Type.Optional(Type.String({ maxLength: 32 })) } : {}),
      managed_by: ManagedByFilter,
    },
    list: (req, caller) => service.list(caller, req.query as never),
    create: async (req, caller) => present(await service.create(caller, req.body)),
    get: async (req, caller) => present(await service.get(caller, req.params.id!)),
    update: async (req, caller, patch) => present(await service.update(caller, req.params.id!, req.body, patch, req.ifMatch)),
    ...(kind.deleteQuery ? { deleteQuery: kind.deleteQuery } : {}),
    delete: (req, caller) => service.delete(caller, req.params.id!, req.ifMatch, req.query),
  });
}
