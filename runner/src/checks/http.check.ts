import { executeHttp } from '../http/http.executor.ts';
import { newTraceContext } from '../http/traceparent.factory.ts';
import { CheckFailure } from './check.errors.ts';
import type { Check } from './check.types.ts';
import { failedOutcome, judgedOutcome, startClock } from './outcome.builder.ts';

/** Defaults from the contract's HttpCheck schema, applied here because runners may get sparse input. */
export const httpDefaults = { method: 'GET', followRedirects: true, maxRedirects: 5, verifyTls: true, maxBodyBytes: 1_048_576 } as const;

/** HTTP(S) check: one request (plus redirects) on fresh connections, judged by the monitor's assertions. */
export function createHttpCheck(): Check<'http'> {
  return {
    type: 'http',
    async run(monitor, ctx) {
      const clock = startClock();
      const config = monitor.http;
      if (!config) return failedOutcome(clock, new CheckFailure('invalid_monitor', 'http monitor without an "http" block'), ctx);
      const trace = newTraceContext();
      try {
        const exchange = await executeHttp(
          {
            url: config.url,
            method: config.method ?? httpDefaults.method,
            // Secret headers arrive only in this runner's assignments and are sent like the others.
            headers: { ...config.headers, ...config.secret_headers },
            body: config.body,
            followRedirects: config.follow_redirects ?? httpDefaults.followRedirects,
            maxRedirects: config.max_redirects ?? httpDefaults.maxRedirects,
            verifyTls: config.verify_tls ?? httpDefaults.verifyTls,
            maxBodyBytes: config.max_body_bytes ?? httpDefaults.maxBodyBytes,
            traceparent: trace.header,
          },
          ctx,
        );
        return judgedOutcome(
          clock,
          monitor,
          {
            statusCode: exchange.statusCode,
            headers: exchange.headers,
            body: exchange.body,
            bodyTruncated: exchange.bodyTruncated,
            responseTimeMs: exchange.timings.total_ms,
          },
          {
            timings: exchange.timings,
            trace_id: trace.traceId,
            defaultStatusRule: true,
            metrics: config.metrics,
            details: {
              final_url: exchange.finalUrl.slice(0, 4096),
              redirects: exchange.redirects,
              body_bytes: exchange.bodyBytes,
              body_truncated: exchange.bodyTruncated,
            },
          },
        );
      } catch (err) {
        return failedOutcome(clock, err, ctx, { trace_id: trace.traceId });
      }
    },
  };
}
