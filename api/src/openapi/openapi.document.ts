import type { TSchema } from '@sinclair/typebox';
import { errorCodes } from '../contract/errors.ts';
import type { AnyRoute } from '../http/route.ts';

const Problem = {
  type: 'object',
  description: 'RFC 9457 problem details.',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', enum: Object.keys(errorCodes) },
    detail: { type: 'string', description: 'What was wrong and what to do.' },
    instance: { type: 'string' },
    request_id: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', required: ['pointer', 'message'], properties: { pointer: { type: 'string', description: 'JSON pointer into the request body.' }, message: { type: 'string' }, line: { type: 'integer', minimum: 1, description: 'For an error inside an alert expression: the line (1-based).' }, column: { type: 'integer', minimum: 1, description: 'For an error inside an alert expression: the column (1-based).' } } } },
    conflicts: {
      type: 'array',
      description: 'With code conflict: the existing objects in the way (the holder of a name, or objects that still refer to the target of a delete).',
      items: { type: 'object', required: ['type', 'id', 'relation'], properties: { type: { type: 'string' }, id: { type: 'string' }, name: { type: 'string' }, team_id: { type: 'string' }, team_name: { type: 'string' }, relation: { type: 'string' } } },
    },
  },
};

// TypeBox schemas are JSON Schema with symbol-keyed metadata; JSON round-tripping drops the symbols.
const plain = (schema: TSchema): unknown => JSON.parse(JSON.stringify(schema));

function parameters(route: AnyRoute) {
  const out: unknown[] = [];
  for (const [where, schema] of [['path', route.params], ['query', route.query]] as const) {
    const props = (schema as { properties?: Record<string, TSchema>; required?: string[] } | undefined)?.properties ?? {};
    const required = new Set((schema as { required?: string[] } | undefined)?.required ?? []);
    for (const [name, s] of Object.entries(props)) {
      const { description, ...rest } = plain(s) as { description?: string };
      out.push({ name, in: where, required: where === 'path' || required.has(name), schema: rest, ...(description ? { description } : {}) });
    }
  }
  if (route.idempotent) out.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 }, description: 'Retrying with the same key returns the first response instead of creating twice. A claim of a request that died lapses after 60 s; a response that held a secret shown once is not replayed (409 secret_shown_once).' });
  if (route.conditional) out.push({ name: 'If-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'ETag of the version you read; a newer version answers 412.' });
  return out;
}

/** OpenAPI 3.1 document generated from the route table and the contract schemas. */
export function buildOpenApi(routes: AnyRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema ? { content: { [response.contentType ?? 'application/json']: { schema: plain(response.schema) } } } : {}),
        ...(response.contentType && !response.schema ? { content: { [response.contentType]: { schema: { type: 'string' } } } } : {}),
      };
    }
    responses.default = { description: 'An error.', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    paths[route.path] ??= {};
    paths[route.path]![route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      ...(route.auth === 'public' ? { security: [] } : route.auth === 'runner' ? { security: [{ runnerToken: [] }] } : {}),
      parameters: parameters(route),
      ...(route.body
        ? { requestBody: { required: !route.optionalBody, content: Object.fromEntries(['application/json', ...(route.bodyTypes ?? [])].map((t) => [t, { schema: plain(route.body as TSchema) }])) } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Pharos control plane API', version, description: 'Monitors, services, dependencies, alerting configuration and the runner protocol. Errors are application/problem+json with a stable code.' },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API token (phs_…) or a JWT from the configured identity provider.' },
        runnerToken: { type: 'http', scheme: 'bearer', description: 'Runner token (phr_…).' },
      },
      schemas: { Problem },
    },
  };
}
