import type { Static, TSchema } from '@sinclair/typebox';
import type { Principal, RunnerPrincipal } from '../auth/principal.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call a route: API principals (tokens, users), runners, or anyone. */
export type RouteAuth = 'principal' | 'runner' | 'public';

type PrincipalFor<A extends RouteAuth> = A extends 'principal' ? Principal : A extends 'runner' ? RunnerPrincipal : undefined;

/** What a handler receives: validated inputs and the authenticated caller. */
export interface HandlerRequest<A extends RouteAuth = RouteAuth, P = Record<string, string>, Q = Record<string, unknown>, B = unknown> {
  principal: PrincipalFor<A>;
  params: P;
  query: Q;
  body: B;
  /** Version from an If-Match header, undefined when absent or "*". */
  ifMatch: number | undefined;
  requestId: string;
  /** Raw request headers (lower-case names). */
  headers: Record<string, string | string[] | undefined>;
  /** Absolute base URL of this server as the client reached it. */
  baseUrl: string;
  /** Aborted when the client goes away (long polls stop waiting). */
  signal: AbortSignal;
  /** Aborted when the client ends its connection before another request comes on it, also after this request was answered (keep-alive). */
  readonly connection: AbortSignal;
}

/** What a handler returns; the adapter turns it into HTTP. */
export interface HandlerResult {
  status: number;
  body?: unknown;
  /** Resource version; sent as the ETag. */
  version?: number;
  /** Non-JSON bodies (metrics, HTML) are sent as text with this type. */
  contentType?: string;
  headers?: Record<string, string>;
  /**
   * Top-level body fields that hold a secret shown only in this response (a new token). They are
   * sent once and never written to the idempotency store; declare them with shownOnce().
   */
  secretFields?: readonly string[];
  /**
   * A body written over time (server-sent events): the adapter sends the status and headers, then
   * calls it; the response ends when it returns. `signal` aborts when the client goes away.
   */
  stream?: StreamBody;
}

/**
 * Writes a streamed response. `write` returns false once the client's socket holds more than it
 * has taken (a slow reader): the stream should end rather than buffer without bound.
 */
export type StreamBody = (write: (chunk: string) => boolean, signal: AbortSignal) => Promise<void>;

/** Declares which fields of a response body are secrets shown once; the names are checked against the body's type. */
export function shownOnce<B extends Record<string, unknown>>(body: B, fields: readonly [Extract<keyof B, string>, ...Extract<keyof B, string>[]]): { body: B; secretFields: readonly string[] } {
  return { body, secretFields: fields };
}

export interface RouteResponse {
  description: string;
  schema?: TSchema;
  contentType?: string;
}

/** One entry of the route table: the HTTP surface, its contract and its handler. */
export interface RouteSpec<A extends RouteAuth = RouteAuth, PS extends TSchema = TSchema, QS extends TSchema = TSchema, BS extends TSchema = TSchema> {
  method: HttpMethod;
  /** OpenAPI-style path, e.g. /v1/teams/{id}. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  auth: A;
  params?: PS;
  query?: QS;
  body?: BS;
  /** Content types accepted for the body besides application/json. */
  bodyTypes?: string[];
  /** Body may be absent (treated as {}). */
  optionalBody?: boolean;
  /** POST that honours Idempotency-Key. */
  idempotent?: boolean;
  /** Honours If-Match with the resource version. */
  conditional?: boolean;
  responses: Record<number, RouteResponse>;
  handle(req: HandlerRequest<A, Static<PS>, Static<QS>, Static<BS>>): Promise<HandlerResult>;
}

// The table holds routes of many shapes; the adapter treats them uniformly.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<any, any, any, any>;

/** Declares a route with handler types inferred from its schemas. */
export function defineRoute<A extends RouteAuth, PS extends TSchema, QS extends TSchema, BS extends TSchema>(spec: RouteSpec<A, PS, QS, BS>): AnyRoute {
  return spec as AnyRoute;
}
