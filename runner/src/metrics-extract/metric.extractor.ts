import { JSONPath } from 'jsonpath-plus';
import { metricValueLimit, type HealthMetric, type ResultMetrics } from '../../../api/src/contract/index.ts';
import type { JsonBody } from '../assertions/json-body.ts';

/** Metric values read from one response, and one line per metric that had no usable value. */
export interface ExtractedMetrics {
  values: ResultMetrics;
  errors: string[];
}

const maxErrorLength = 1024;
// The same strict shape assertions compare numerically: no hex, no "Infinity", no empty string.
const numericText = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

type Reading = { ok: true; value: number } | { ok: false; why: string };

/**
 * Reads each metric's JSONPath from the parsed body. A metric is recorded when its path matches
 * exactly one value that is a number, a numeric string ("42.5") or a boolean (true = 1, false = 0)
 * within ±1e15; anything else (no match, several matches, null, text, an object) leaves the metric
 * absent and says why in `errors`. Pure, never throws: a metric never decides a check's status.
 */
export function extractMetrics(metrics: readonly HealthMetric[], json: () => JsonBody): ExtractedMetrics {
  const values: ResultMetrics = {};
  const errors: string[] = [];
  if (metrics.length === 0) return { values, errors };
  const body = json();
  for (const metric of metrics) {
    const reading = body.ok ? read(metric.path, body.value) : { ok: false as const, why: body.error };
    if (reading.ok) values[metric.name] = reading.value;
    else errors.push(truncate(`${metric.name}: ${reading.why}`));
  }
  return { values, errors };
}

function read(path: string, document: unknown): Reading {
  let matches: unknown[];
  try {
    // 'safe' evaluates filter expressions in jsonpath-plus's sandbox, as assertions do.
    matches = JSONPath({ path, json: document as object, wrap: true, eval: 'safe' }) as unknown[];
  } catch (err) {
    return { ok: false, why: `invalid JSONPath ${path}: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (matches.length === 0) return { ok: false, why: `no value at ${path}` };
  if (matches.length > 1) return { ok: false, why: `${path} matches ${matches.length} values; a metric takes one, so narrow the path (e.g. an index [0])` };
  return toNumber(matches[0], path);
}

function toNumber(value: unknown, path: string): Reading {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'boolean') n = value ? 1 : 0;
  else if (typeof value === 'string' && numericText.test(value.trim())) n = Number(value.trim());
  if (n === undefined) return { ok: false, why: `the value at ${path} is ${describe(value)}, not a number` };
  if (!Number.isFinite(n) || Math.abs(n) > metricValueLimit) return { ok: false, why: `the value at ${path} (${String(n)}) is outside ±${metricValueLimit}` };
  return { ok: true, value: n };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `the text ${JSON.stringify(String(value).slice(0, 64))}`;
}

function truncate(text: string): string {
  return text.length > maxErrorLength ? `${text.slice(0, maxErrorLength - 1)}…` : text;
}
