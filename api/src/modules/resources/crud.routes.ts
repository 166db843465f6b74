import { Type, type TObject, type TSchema } from '@sinclair/typebox';
import { Page } from '../../contract/common.schema.ts';
import type { Principal } from '../../auth/principal.ts';
import { defineRoute, type AnyRoute, type HandlerRequest } from '../../http/route.ts';
import type { Caller } from './spec.service.ts';
import { managerOfHeaders } from './managed-by.ts';

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
/** Body of a PATCH: any object, merged into the stored document (RFC 7396) and then validated whole. */
export const MergePatch = Type.Object({}, { additionalProperties: true, description: 'JSON merge patch (RFC 7396): fields to change; null removes an optional field.' });
/** limit + cursor, the query of every list. */
export const pageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'next_cursor of the previous page.' })),
};

/** The caller of a principal route, as services expect it. */
export const callerOf = (req: HandlerRequest<'principal', unknown, unknown, unknown>): Caller => {
  const managedBy = managerOfHeaders(req.headers);
  return { principal: req.principal as Principal, requestId: req.requestId, baseUrl: req.baseUrl, ...(managedBy ? { managedBy } : {}) };
};

type Req = HandlerRequest<'principal', Record<string, string>, Record<string, unknown>, Record<string, unknown>>;

/** A presented document with its version (the ETag). */
export interface Presented {
  body: Record<string, unknown>;
  version: number;
  /** Body fields that are secrets shown once (see shownOnce in http/route.ts). */
  secretFields?: readonly string[];
}

/** What a collection of one resource type needs to get the six standard routes. */
export interface CrudSpec {
  /** Collection path, e.g. /v1/tokens or /v1/teams/{id}/members. */
  base: string;
  /** Name of the item id parameter (default "id"). */
  itemParam?: string;
  tag: string;
  singular: string;
  plural: string;
  input: TSchema;
  output: TSchema;
  /** Response of create when it differs from output (e.g. it includes a secret shown once). */
  created?: TSchema;
  /** Response of create and update when a write answers more than a read (e.g. a monitor's warnings). */
  written?: TSchema;
  listQuery?: Record<string, TSchema>;
  /** Query parameters of DELETE (e.g. cascade). */
  deleteQuery?: Record<string, TSchema>;
  /** Short role notes appended to summaries, e.g. " (team admin)". */
  roles?: Partial<Record<'create' | 'update' | 'delete', string>>;
  list(req: Req, caller: Caller): Promise<{ items: unknown[]; next_cursor?: string }>;
  create(req: Req, caller: Caller): Promise<Presented>;
  get(req: Req, caller: Caller): Promise<Presented>;
  update(req: Req, caller: Caller, patch: boolean): Promise<Presented>;
  delete(req: Req, caller: Caller): Promise<void>;
}

const pathParams = (path: string): TObject =>
  Type.Object(Object.fromEntries([...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, Type.String({ maxLength: 64 })])));

/** list, create, get, replace (PUT), update (PATCH, merge patch) and delete routes for one collection. */
export function crudRoutes(spec: CrudSpec): AnyRoute[] {
  const item = `${spec.base}/{${spec.itemParam ?? 'id'}}`;
  const collectionParams = pathParams(spec.base);
  const itemParams = pathParams(item);
  const hasCollectionParams = Object.keys(collectionParams.properties).length > 0;
  const found = { 200: { description: `The ${spec.singular.replaceAll('_', ' ')}.`, schema: spec.output } };
  const writtenOrFound = spec.written ? { 200: { description: `The ${spec.singular.replaceAll('_', ' ')}.`, schema: spec.written } } : found;
  const words = (s: string) => s.replaceAll('_', ' ');
  const note = (op: 'create' | 'update' | 'delete') => spec.roles?.[op] ?? '';
  const handle = (fn: (req: Req, caller: Caller) => Promise<Presented>, status = 200) => async (req: Req) => {
    const { body, version } = await fn(req, callerOf(req));
    return { status, body, version };
  };
  return [
    defineRoute({
      method: 'get', path: spec.base, operationId: `list_${spec.plural}`, summary: `List ${words(spec.plural)}`, tag: spec.tag, auth: 'principal',
      ...(hasCollectionParams ? { params: collectionParams } : {}),
      query: Type.Object({ ...pageQuery, ...(spec.listQuery ?? {}) }, { additionalProperties: false }),
      responses: { 200: { description: 'A page, in creation order.', schema: Page(spec.output) } },
      handle: async (req: Req) => ({ status: 200, body: await spec.list(req, callerOf(req)) }),
    }),
    defineRoute({
      method: 'post', path: spec.base, operationId: `create_${spec.singular}`, summary: `Create a ${words(spec.singular)}${note('create')}`, tag: spec.tag, auth: 'principal',
      ...(hasCollectionParams ? { params: collectionParams } : {}),
      body: spec.input, idempotent: true,
      responses: { 201: { description: `The created ${words(spec.singular)}.`, schema: spec.created ?? spec.written ?? spec.output } },
      handle: async (req: Req) => {
        const { body, version, secretFields } = await spec.create(req, callerOf(req));
        const location = `${spec.base.replace(/\{(\w+)\}/g, (_, p: string) => req.params[p] ?? '')}/${String(body.id)}`;
        return { status: 201, body, version, headers: { Location: location }, ...(secretFields ? { secretFields } : {}) };
      },
    }),
    defineRoute({
      method: 'get', path: item, operationId: `get_${spec.singular}`, summary: `Get a ${words(spec.singular)}`, tag: spec.tag, auth: 'principal',
      params: itemParams, responses: found, handle: handle(spec.get),
    }),
    defineRoute({
      method: 'put', path: item, operationId: `replace_${spec.singular}`, summary: `Replace a ${words(spec.singular)}${note('update')}`, tag: spec.tag, auth: 'principal',
      params: itemParams, body: spec.input, conditional: true, responses: writtenOrFound, handle: handle((req, caller) => spec.update(req, caller, false)),
    }),
    defineRoute({
      method: 'patch', path: item, operationId: `update_${spec.singular}`, summary: `Change fields of a ${words(spec.singular)}${note('update')}`, tag: spec.tag, auth: 'principal',
      params: itemParams, body: MergePatch, bodyTypes: ['application/merge-patch+json'], conditional: true, responses: writtenOrFound, handle: handle((req, caller) => spec.update(req, caller, true)),
    }),
    defineRoute({
      method: 'delete', path: item, operationId: `delete_${spec.singular}`, summary: `Delete a ${words(spec.singular)}${note('delete')}`, tag: spec.tag, auth: 'principal',
      params: itemParams, conditional: true, responses: { 204: { description: 'Deleted.' } },
      ...(spec.deleteQuery ? { query: Type.Object(spec.deleteQuery, { additionalProperties: false }) } : {}),
      handle: async (req: Req) => {
        await spec.delete(req, callerOf(req));
        return { status: 204 };
      },
    }),
  ];
}
