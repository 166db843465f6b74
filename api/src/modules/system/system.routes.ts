import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import type { ApiMetrics } from '../../observability/metrics.ts';

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  version: Type.String(),
  uptime_seconds: Type.Number(),
  database: Type.Object({ kind: Type.String(), ok: Type.Boolean(), latency_ms: Type.Optional(Type.Number()), error: Type.Optional(Type.String()) }),
});

// A frozen database (stopped process, black-holed port) never answers; readiness probes need an
// answer within their own timeout, so the probe gives up first. The abandoned query ends with the
// pool's own query timeout.
async function withinMs<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the database did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** /healthz, /metrics and /openapi.json: unauthenticated operational endpoints. */
export function systemRoutes(deps: { db: Db; kind: string; metrics: ApiMetrics; version: string; openapi: () => unknown; healthTimeoutMs?: number }): AnyRoute[] {
  const healthTimeoutMs = deps.healthTimeoutMs ?? 1_500;
  const started = Date.now();
  return [
    defineRoute({
      method: 'get', path: '/healthz', operationId: 'health', summary: 'Process and database health', tag: 'System', auth: 'public',
      responses: { 200: { description: 'Healthy.', schema: Health }, 503: { description: 'The database does not answer.', schema: Health } },
      handle: async () => {
        const t0 = performance.now();
        let database: { kind: string; ok: boolean; latency_ms?: number; error?: string };
        try {
          await withinMs(sql`select 1`.execute(deps.db), healthTimeoutMs);
          database = { kind: deps.kind, ok: true, latency_ms: Math.round((performance.now() - t0) * 10) / 10 };
        } catch (error) {
          database = { kind: deps.kind, ok: false, error: (error as Error).message };
        }
        const body = { status: database.ok ? 'ok' : 'degraded', version: deps.version, uptime_seconds: Math.round((Date.now() - started) / 1000), database };
        return { status: database.ok ? 200 : 503, body, headers: { 'Cache-Control': 'no-store' } };
      },
    }),
    defineRoute({
      method: 'get', path: '/metrics', operationId: 'metrics', summary: 'Prometheus metrics (text exposition format)', tag: 'System', auth: 'public',
      responses: { 200: { description: 'Metrics.', contentType: 'text/plain' } },
      handle: async () => ({ status: 200, body: await deps.metrics.registry.metrics(), contentType: deps.metrics.registry.contentType }),
    }),
    defineRoute({
      method: 'get', path: '/openapi.json', operationId: 'openapi', summary: 'This API as an OpenAPI 3.1 document', tag: 'System', auth: 'public',
      responses: { 200: { description: 'The OpenAPI document.', schema: Type.Object({}, { additionalProperties: true }) } },
      handle: async () => ({ status: 200, body: deps.openapi() }),
    }),
  ];
}
