import { performance } from 'node:perf_hooks';
import type { CheckError, ResultStatus, Step, StepOutcome } from '../../../api/src/contract/index.ts';
import { evaluateAssertions, type ResponseView } from '../assertions/assertion.evaluator.ts';
import { decideVerdict, hasStatusAssertion } from '../assertions/status.decider.ts';
import { renderTemplate } from '../flow/template.renderer.ts';
import { extractValue } from '../flow/value.extractor.ts';
import { executeHttp, type HttpExchange } from '../http/http.executor.ts';
import { newTraceContext } from '../http/traceparent.factory.ts';
import { CheckFailure, toCheckError, toCheckFailure } from './check.errors.ts';
import type { Check, CheckContext, CheckOutcome } from './check.types.ts';
import { httpDefaults } from './http.check.ts';
import { elapsed, failedOutcome, judgedOutcome, startClock } from './outcome.builder.ts';

const severity: Record<ResultStatus, number> = { up: 0, degraded: 1, down: 2 };

interface StepRun {
  outcome: StepOutcome;
  exchange?: HttpExchange;
}

/**
 * Multi-step API flow: steps run in order within the monitor's one time budget, values extracted
 * from one step feed {{placeholders}} of the next, and the first step that is down ends the flow.
 * All steps share one trace id (one span each), so the whole flow is one trace.
 */
export function createMultistepCheck(): Check<'multistep'> {
  return {
    type: 'multistep',
    async run(monitor, ctx) {
      const clock = startClock();
      const steps = monitor.steps;
      if (!steps || steps.length === 0) return failedOutcome(clock, new CheckFailure('invalid_monitor', 'multistep monitor without "steps"'), ctx);
      const trace = newTraceContext();
      const variables = new Map<string, string>();
      const runs: StepRun[] = [];
      for (const step of steps) {
        const run = await runStep(step, variables, trace.traceId, ctx);
        runs.push(run);
        if (run.outcome.status === 'down') break;
      }

      const outcomes = runs.map((r) => r.outcome);
      const worst = outcomes.reduce<StepOutcome | undefined>((w, o) => (w && severity[w.status] >= severity[o.status] ? w : o), undefined);
      const stepError = worst && worst.status !== 'up' && worst.error ? prefixed(worst.name, worst.error) : undefined;
      const last = runs[runs.length - 1]?.exchange;
      if (worst?.status === 'down') {
        const duration = elapsed(clock);
        const result: CheckOutcome = {
          started_at: clock.startedAt,
          status: 'down',
          duration_ms: duration,
          timings: { total_ms: duration },
          error: stepError ?? { code: 'internal_error', message: 'a step was down without an error' },
          steps: outcomes,
          trace_id: trace.traceId,
        };
        if (last) result.status_code = last.statusCode;
        return result;
      }
      // Monitor-level assertions judge the last response and the whole flow's duration.
      const view: ResponseView = last
        ? { statusCode: last.statusCode, headers: last.headers, body: last.body, bodyTruncated: last.bodyTruncated, responseTimeMs: elapsed(clock) }
        : { responseTimeMs: elapsed(clock) };
      const result = judgedOutcome(clock, monitor, view, { trace_id: trace.traceId, timings: { total_ms: elapsed(clock) } });
      result.steps = outcomes;
      if (worst && severity[worst.status] > severity[result.status]) {
        result.status = worst.status;
        if (stepError) result.error = stepError;
      }
      return result;
    },
  };
}

async function runStep(step: Step, variables: Map<string, string>, traceId: string, ctx: CheckContext): Promise<StepRun> {
  const start = performance.now();
  const duration = (): number => Math.round((performance.now() - start) * 100) / 100;
  const down = (error: CheckError, exchange?: HttpExchange): StepRun => {
    const outcome: StepOutcome = { name: step.name, status: 'down', duration_ms: duration(), error };
    if (exchange) (outcome.status_code = exchange.statusCode), (outcome.timings = exchange.timings);
    return { outcome, ...(exchange ? { exchange } : {}) };
  };

  const url = renderTemplate(step.url, variables);
  const body = step.body === undefined ? undefined : renderTemplate(step.body, variables);
  const headers: Record<string, string> = {};
  const missing = new Set<string>([...(url.ok ? [] : url.missing), ...(body && !body.ok ? body.missing : [])]);
  for (const [name, value] of Object.entries({ ...step.headers, ...step.secret_headers })) {
    const rendered = renderTemplate(value, variables);
    if (rendered.ok) headers[name] = rendered.text;
    else rendered.missing.forEach((m) => missing.add(m));
  }
  if (!url.ok || (body && !body.ok) || missing.size > 0) {
    return down({ code: 'template_error', message: `undefined variable(s): ${[...missing].join(', ')}` });
  }

  let exchange: HttpExchange;
  try {
    exchange = await executeHttp(
      {
        url: url.text,
        method: step.method ?? httpDefaults.method,
        headers,
        body: body?.ok ? body.text : undefined,
        followRedirects: step.follow_redirects ?? httpDefaults.followRedirects,
        maxRedirects: httpDefaults.maxRedirects,
        verifyTls: step.verify_tls ?? httpDefaults.verifyTls,
        maxBodyBytes: httpDefaults.maxBodyBytes,
        traceparent: newTraceContext(traceId).header,
      },
      ctx,
    );
  } catch (err) {
    return down(toCheckError(toCheckFailure(err, ctx.signal)));
  }

  const assertions = step.assertions ?? [];
  const outcomes = evaluateAssertions(assertions, {
    statusCode: exchange.statusCode,
    headers: exchange.headers,
    body: exchange.body,
    bodyTruncated: exchange.bodyTruncated,
    responseTimeMs: exchange.timings.total_ms,
  });
  const verdict = decideVerdict({
    outcomes,
    statusCode: exchange.statusCode,
    defaultStatusRule: !hasStatusAssertion(assertions),
    responseTimeMs: exchange.timings.total_ms,
  });
  const outcome: StepOutcome = {
    name: step.name,
    status: verdict.status,
    duration_ms: duration(),
    status_code: exchange.statusCode,
    timings: exchange.timings,
  };
  if (outcomes.length > 0) outcome.assertions = outcomes;
  if (verdict.error) outcome.error = verdict.error;
  if (verdict.status === 'down') return { outcome, exchange };

  // Extract only from a response that passed: values from an error page would mislead later steps.
  for (const extraction of step.extract ?? []) {
    const extracted = extractValue(extraction, exchange);
    if (!extracted.ok) {
      return down({ code: 'extraction_failed', message: `cannot extract ${extraction.name}: ${extracted.reason}` }, exchange);
    }
    variables.set(extraction.name, extracted.value);
  }
  return { outcome, exchange };
}

function prefixed(stepName: string, error: CheckError): CheckError {
  return { code: error.code, message: `step "${stepName}": ${error.message}`.slice(0, 2000) };
}
