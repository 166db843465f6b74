import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { PharosError, type FieldError } from '../contract/errors.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import type { Principal, RunnerPrincipal } from '../auth/principal.ts';
import type { Logger } from '../observability/logger.ts';
import type { ApiMetrics } from '../observability/metrics.ts';
import type { IdempotencyRepository, StoredResponse } from './idempotency.repository.ts';
import { connectionSignal, nextRequestOn } from './connection-signal.ts';
import { MAX_JSON_DEPTH, guardJson, stringProblem } from './json-guard.ts';
import { sendProblem, toProblem } from './problem.ts';
import type { AnyRoute, HandlerResult, StreamBody } from './route.ts';
import type { Validator } from './validator.ts';
import { redactPath } from '../observability/path-redaction.ts';

export interface AdapterDeps {
  authenticator: Authenticator;
  validator: Validator;
  idempotency: IdempotencyRepository;
  /** Runs an idempotent request's claim, effect and stored response in one transaction. */
  transactions: { run<T>(work: () => Promise<T>): Promise<T> };
  logger: Logger;
  metrics: ApiMetrics;
  publicUrl: string | undefined;
  maxBodyBytes: number;
}

const bodyMethods = new Set(['post', 'put', 'patch']);
const jsonTypes = ['application/json', 'application/merge-patch+json', 'application/*+json'];

/** Express path for an OpenAPI path template: /v1/teams/{id} → /v1/teams/:id. */
export const toExpressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

function parseIfMatch(header: string | undefined): number | undefined {
  if (!header || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"v?(\d+)"\s*$/.exec(header);
  if (!match) throw new PharosError('bad_request', `If-Match must be an ETag returned by Pharos, e.g. "3"; got ${header}.`);
  return Number(match[1]);
}

/** Mounts the route table on an express router: auth, validation, idempotency, ETags, problems, metrics, logs. */
export function mountRoutes(routes: AnyRoute[], deps: AdapterDeps): Router {
  const router = express.Router();
  const byPath = new Map<string, Set<string>>();
  for (const route of routes) {
    const path = toExpressPath(route.path);
    byPath.set(path, (byPath.get(path) ?? new Set()).add(route.method.toUpperCase()));
    router[route.method](path, (req: Request, res: Response) => void handle(route, req, res, deps));
  }
  // A known path with the wrong method answers 405 with the methods it does have.
  for (const [path, methods] of byPath) {
    router.all(path, (req: Request, res: Response) => {
      res.setHeader('Allow', [...methods].join(', '));
      sendProblem(res, toProblem(new PharosError('method_not_allowed', `${req.method} is not supported here; use ${[...methods].join(' or ')}.`), requestIdOf(res), req.originalUrl));
    });
  }
  return router;
}

const requestIdOf = (res: Response): string => String(res.getHeader('X-Request-Id') ?? '');

/** Assigns or accepts a request id and logs/measures each request. */
export function requestContext(deps: Pick<AdapterDeps, 'logger' | 'metrics'>) {
  return (req: Request, res: Response, next: NextFunction) => {
    nextRequestOn(req.socket);
    const incoming = req.header('x-request-id');
    // Request ids only need to be unique; randomUUID draws from a cached entropy pool (a ULID per
    // request showed up at 4 % of CPU in profiles).
    const requestId = incoming && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : `req_${randomUUID()}`;
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (res.locals.route as string | undefined) ?? 'unmatched';
      deps.metrics.requests.inc({ method: req.method, route, status: String(res.statusCode) });
      deps.metrics.latency.observe({ method: req.method, route }, seconds);
      const level = res.statusCode >= 500 ? 'error' : 'info';
      deps.logger[level]({ request_id: requestId, method: req.method, route, path: redactPath(req.path), status: res.statusCode, duration_ms: Math.round(seconds * 1e4) / 10 }, 'request');
    });
    next();
  };
}

/** JSON body parsing that turns parser failures into problems (malformed → 400, too large → 413). */
export function jsonBody(deps: Pick<AdapterDeps, 'maxBodyBytes'>) {
  const parse = express.json({ limit: deps.maxBodyBytes, type: jsonTypes, strict: false });
  return (req: Request, res: Response, next: NextFunction) => {
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const e = error as { type?: string; message?: string };
      const failure =
        e.type === 'entity.too.large'
          ? new PharosError('payload_too_large', `The request body is larger than ${deps.maxBodyBytes} bytes.`)
          : e.type === 'entity.parse.failed'
            ? new PharosError('malformed_json', `The request body is not valid JSON: ${e.message ?? 'parse error'}.`)
            : new PharosError('bad_request', `The request body could not be read: ${e.message ?? 'unknown error'}.`);
      sendProblem(res, toProblem(failure, requestIdOf(res), req.originalUrl));
    });
  };
}

/** Last express handler: errors thrown outside a route handler (e.g. a path that is not valid percent-encoding) answer problem+json. */
export function problemErrors(deps: Pick<AdapterDeps, 'logger'>) {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const failure =
      error instanceof URIError || (error as { status?: number }).status === 400
        ? new PharosError('bad_request', 'The URL is not valid percent-encoded UTF-8 (e.g. "%ED%A0%80" or a stray "%"); encode path segments with encodeURIComponent.')
        : error;
    const problem = toProblem(failure, requestIdOf(res), req.originalUrl);
    if (problem.status >= 500) deps.logger.error({ err: error, request_id: requestIdOf(res) }, 'request failed');
    sendProblem(res, problem);
  };
}

async function handle(route: AnyRoute, req: Request, res: Response, deps: AdapterDeps): Promise<void> {
  res.locals.route = route.path;
  const requestId = requestIdOf(res);
  try {
    const principal = route.auth === 'public' ? undefined : await deps.authenticator.authenticate(req.header('authorization'));
    if (route.auth === 'principal' && principal?.kind === 'runner') {
      throw new PharosError('forbidden', 'Runner tokens can only use the runner protocol (/v1/runner/…); use an API token for this request.');
    }
    if (route.auth === 'runner' && principal && principal.kind !== 'runner') {
      throw new PharosError('forbidden', 'Only runners may call the runner protocol; authenticate with a runner token ("phr_…").');
    }
    const body = readBody(route, req, deps);
    guardUrl(req);
    const params = route.params ? deps.validator.queryParams(route.params, { ...req.params }) : req.params;
    const query = route.query ? deps.validator.queryParams(route.query, { ...(req.query as object) }) : {};
    const ifMatch = route.conditional ? parseIfMatch(req.header('if-match')) : undefined;

    const controller = new AbortController();
    // Abort only when the client leaves early: aborting allocates a DOMException, too costly per request.
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const run = () =>
      route.handle({
        principal,
        params,
        query,
        body,
        ifMatch,
        requestId,
        headers: req.headers,
        baseUrl: deps.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`,
        signal: controller.signal,
        get connection() {
          return connectionSignal(req.socket);
        },
      });

    const key = route.idempotent ? req.header('idempotency-key') : undefined;
    if (key === undefined || !principal) {
      const result = await run();
      if (result.stream) return await sendStream(res, result, result.stream, controller.signal, deps.logger);
      return sendStored(res, toStored(result), result.contentType);
    }
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) throw new PharosError('bad_request', 'Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID.');
    const p = principal as Principal | RunnerPrincipal;
    // Claim, effect and stored response commit in one transaction, or none of them does: a request
    // that fails or dies (process killed, database gone) leaves nothing, so its retry executes once.
    // The response is sent only after the commit.
    const outcome = await deps.transactions.run(async () => {
      const replay = await deps.idempotency.claim(p.orgId, p.id, key, route.method, req.path, body);
      if (replay) return { replay } as const;
      const result = await run();
      const response = toStored(result);
      await deps.idempotency.complete(p.orgId, p.id, key, withoutSecrets(response, result.secretFields));
      return { replay: undefined, response, contentType: result.contentType };
    });
    if (outcome.replay) {
      if (outcome.replay.omittedFields) throw secretShownOnce(key, outcome.replay);
      res.setHeader('Idempotent-Replayed', 'true');
      return sendStored(res, outcome.replay);
    }
    sendStored(res, outcome.response, outcome.contentType);
  } catch (error) {
    const problem = toProblem(error, requestId, req.originalUrl);
    if (problem.status >= 500) deps.logger.error({ err: error, request_id: requestId }, 'request failed');
    if (problem.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="pharos"');
    sendProblem(res, problem);
  }
}

function readBody(route: AnyRoute, req: Request, deps: AdapterDeps): unknown {
  // Routes without a body schema ignore any body (e.g. heartbeat pings sent with curl -d).
  if (!bodyMethods.has(route.method) || !route.body) return undefined;
  const hasBody = req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0' || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is([...jsonTypes, ...(route.bodyTypes ?? [])])) {
    throw new PharosError('unsupported_media_type', `Send the body as application/json${route.method === 'patch' ? ' or application/merge-patch+json' : ''}; got "${req.headers['content-type'] ?? 'no Content-Type'}".`);
  }
  const raw: unknown = hasBody ? req.body : undefined;
  if (raw === undefined && route.optionalBody) return deps.validator.body(route.body, {});
  if (raw === undefined) throw new PharosError('bad_request', 'This request needs a JSON body.');
  // Before any recursive work (ajv): a deep body would overflow the stack, and NUL or a lone
  // surrogate would only fail in PostgreSQL.
  const guard = guardJson(raw);
  if (!guard.ok && guard.tooDeep) throw new PharosError('json_too_deep', `The request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep; flatten it.`);
  if (!guard.ok) throw validationFailed('The request body', guard.errors);
  // Validation fills defaults into the parsed body itself, without a copy: the body is parsed anew
  // per request and nothing reads req.body after this (the idempotency hash is taken of the
  // validated body, before the handler runs); a copy of a 250-result batch was 5 % of the control
  // plane's CPU at ingest (npm run bench:runner, figure 5).
  return deps.validator.body(route.body, raw);
}

// Path ids and query values cannot hold NUL or lone surrogates either: an id with one names no
// resource (404); a query value with one is a bad parameter (422, naming it).
function guardUrl(req: Request): void {
  for (const value of Object.values(req.params)) {
    if (typeof value === 'string' && stringProblem(value)) throw new PharosError('not_found', `No resource has the id "${value.replace(/[^\x20-\x7e]/g, '?')}"; ids are plain ASCII.`);
  }
  const guard = guardJson(req.query, 8);
  if (!guard.ok && guard.tooDeep) throw new PharosError('bad_request', 'The query string nests parameters too deeply; use plain name=value pairs.');
  if (!guard.ok) throw validationFailed('The query string', guard.errors);
}

const validationFailed = (what: string, errors: FieldError[]) =>
  new PharosError('validation_failed', `${what} has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}: ${errors.map((e) => `${e.pointer || '/'} ${e.message}`).join(' ')}`, errors);

function toStored(result: HandlerResult): StoredResponse {
  const headers: Record<string, string> = { ...(result.headers ?? {}) };
  if (result.version !== undefined) headers.ETag = `"${result.version}"`;
  return { status: result.status, body: result.body, headers };
}

/** The copy of a response the idempotency store may keep: secrets shown once are left out and named. */
function withoutSecrets(response: StoredResponse, secretFields: readonly string[] | undefined): StoredResponse {
  if (!secretFields?.length || typeof response.body !== 'object' || response.body === null) return response;
  const body = { ...(response.body as Record<string, unknown>) };
  for (const field of secretFields) delete body[field];
  return { ...response, body, omittedFields: [...secretFields] };
}

/** A replay of a response whose secret was shown once: the secret is gone, so say what was created and how to get a new one. */
function secretShownOnce(key: string, replay: StoredResponse): PharosError {
  const created = replay.body as { id?: unknown } | null;
  const location = replay.headers.Location ?? replay.headers.location;
  const what = location ? `${location}` : `the object with id ${String(created?.id ?? 'unknown')}`;
  const fields = replay.omittedFields!.map((f) => `"${f}"`).join(', ');
  return new PharosError(
    'secret_shown_once',
    `The first request with Idempotency-Key "${key}" already created ${what}; its ${fields} was shown only in that response and is not stored, so it cannot be sent again. ` +
      `If the secret was lost, delete ${what} and create a new one with a new Idempotency-Key.`,
  );
}

function sendStored(res: Response, stored: StoredResponse, contentType?: string): void {
  for (const [name, value] of Object.entries(stored.headers)) res.setHeader(name, value);
  res.status(stored.status);
  if (stored.body === undefined || stored.status === 204) return void res.end();
  if (contentType) return void res.type(contentType).send(stored.body);
  res.type('application/json').send(JSON.stringify(stored.body));
}

/** Most bytes a streamed response may have waiting in its socket before `write` tells the stream to stop. */
export const STREAM_MAX_BUFFERED = 1024 * 1024;

/**
 * Sends a streamed body: status and headers at once (no proxy buffering, no caching), then the
 * stream's chunks until it returns or the client leaves. A stream that fails after the headers
 * went out cannot answer a problem any more: it is logged and the response ends.
 */
async function sendStream(res: Response, result: HandlerResult, stream: StreamBody, signal: AbortSignal, logger: Logger): Promise<void> {
  for (const [name, value] of Object.entries(toStored(result).headers)) res.setHeader(name, value);
  res.status(result.status);
  res.setHeader('Content-Type', result.contentType ?? 'text/event-stream');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  const write = (chunk: string): boolean => {
    if (res.writableEnded || res.destroyed) return false;
    res.write(chunk);
    return res.writableLength <= STREAM_MAX_BUFFERED;
  };
  try {
    await stream(write, signal);
  } catch (error) {
    logger.error({ err: error, request_id: requestIdOf(res) }, 'stream failed');
  } finally {
    if (!res.writableEnded) res.end();
  }
}
