import { JSONPath } from 'jsonpath-plus';
import type { Assertion, AssertionOutcome } from '../../../api/src/contract/index.ts';
import { compileSafeRegex } from '../../../api/src/contract/safe-regex.ts';
import { lazyJson, type JsonBody } from './json-body.ts';

/** What assertions can look at; a field that a check type does not produce is undefined. */
export interface ResponseView {
  statusCode?: number;
  /** Lower-case header names. */
  headers?: Readonly<Record<string, string>>;
  body?: string;
  /** Set when the body was cut at max_body_bytes, so a JSON parse failure can say why. */
  bodyTruncated?: boolean;
  responseTimeMs: number;
}

const maxActualLength = 1024;

/** Evaluates every assertion against one response; pure, never throws. Pass `json` to share one body parse with other readers. */
export function evaluateAssertions(assertions: readonly Assertion[], view: ResponseView, json: () => JsonBody = lazyJson(view)): AssertionOutcome[] {
  return assertions.map((assertion) => evaluateAssertion(assertion, view, json));
}

/** Evaluates one assertion; `json` parses the body on first use so several json_body assertions parse once. */
export function evaluateAssertion(assertion: Assertion, view: ResponseView, json: () => JsonBody = lazyJson(view)): AssertionOutcome {
  const observed = observe(assertion, view, json);
  const passed = observed.error === undefined && compare(assertion.operator, observed.values, assertion.target);
  const outcome: AssertionOutcome = {
    source: assertion.source,
    operator: assertion.operator,
    passed,
    severity: assertion.severity ?? 'down',
  };
  if (assertion.path !== undefined) outcome.path = assertion.path;
  if (assertion.target !== undefined) outcome.target = assertion.target;
  const actual = observed.error ?? (observed.values.length === 0 ? undefined : observed.values.length === 1 ? observed.values[0] : JSON.stringify(observed.values));
  if (actual !== undefined) outcome.actual = truncate(actual);
  return outcome;
}

/** Observed values as strings (empty = absent), or an error explaining why nothing could be observed. */
interface Observation {
  values: string[];
  error?: string;
}

function observe(assertion: Assertion, view: ResponseView, json: () => JsonBody): Observation {
  switch (assertion.source) {
    case 'status_code':
      return { values: view.statusCode === undefined ? [] : [String(view.statusCode)] };
    case 'response_time':
      return { values: [String(Math.round(view.responseTimeMs))] };
    case 'body':
      return { values: view.body === undefined ? [] : [view.body] };
    case 'header': {
      if (!assertion.path) return { values: [], error: '(header assertion needs a path: the header name)' };
      const value = view.headers?.[assertion.path.toLowerCase()];
      return { values: value === undefined ? [] : [value] };
    }
    case 'json_body': {
      if (!assertion.path) return { values: [], error: '(json_body assertion needs a path: a JSONPath such as $.status)' };
      const body = json();
      if (!body.ok) return { values: [], error: body.error };
      try {
        // 'safe' evaluates filter expressions ([?(@.ok==true)]) in jsonpath-plus's sandbox, never with eval().
        const matches = JSONPath({ path: assertion.path, json: body.value as object, wrap: true, eval: 'safe' }) as unknown[];
        return { values: matches.map(stringify) };
      } catch (err) {
        return { values: [], error: `(invalid JSONPath: ${err instanceof Error ? err.message : String(err)})` };
      }
    }
  }
}

/** JSON values compare by their text: strings as they are, everything else as JSON. */
function stringify(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? 'undefined';
}

/**
 * Applies an operator. With several observed values (a JSONPath matching many nodes) positive
 * operators need one value to pass and negative ones need all values to pass.
 */
function compare(operator: Assertion['operator'], values: readonly string[], target: string | undefined): boolean {
  if (operator === 'exists') return values.length > 0;
  if (operator === 'not_exists') return values.length === 0;
  const negated = operator.startsWith('not_');
  if (values.length === 0) return false;
  const test = (value: string): boolean => compareOne(operator, value, target ?? '');
  return negated ? values.every(test) : values.some(test);
}

function compareOne(operator: Assertion['operator'], actual: string, target: string): boolean {
  switch (operator) {
    case 'equals':
      return looselyEqual(actual, target);
    case 'not_equals':
      return !looselyEqual(actual, target);
    case 'contains':
      return actual.includes(target);
    case 'not_contains':
      return !actual.includes(target);
    case 'matches': {
      const compiled = compileSafeRegex(target);
      return compiled.ok && compiled.regex.test(actual);
    }
    case 'not_matches': {
      const compiled = compileSafeRegex(target);
      return compiled.ok && !compiled.regex.test(actual);
    }
    case 'less_than':
      return numeric(actual, target, (a, b) => a < b);
    case 'less_than_or_equal':
      return numeric(actual, target, (a, b) => a <= b);
    case 'greater_than':
      return numeric(actual, target, (a, b) => a > b);
    case 'greater_than_or_equal':
      return numeric(actual, target, (a, b) => a >= b);
    case 'in_range': {
      const range = parseRange(target);
      const value = toNumber(actual);
      return range !== undefined && value !== undefined && value >= range[0] && value <= range[1];
    }
    case 'one_of':
      return target.split(',').some((option) => looselyEqual(actual, option.trim()));
    case 'exists':
    case 'not_exists':
      return false; // handled by compare(); kept so the switch stays exhaustive
  }
}

/** Numbers compare numerically ("200" equals "200.0"), everything else as exact text. */
function looselyEqual(actual: string, target: string): boolean {
  const a = toNumber(actual);
  const b = toNumber(target);
  if (a !== undefined && b !== undefined) return a === b;
  return actual === target;
}

function numeric(actual: string, target: string, op: (a: number, b: number) => boolean): boolean {
  const a = toNumber(actual);
  const b = toNumber(target);
  return a !== undefined && b !== undefined && op(a, b);
}

function toNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : undefined;
}

/** "200-299" → [200, 299]; also accepts negative bounds and decimals ("-5-5", "0.5-1.5"). */
function parseRange(target: string): [number, number] | undefined {
  const match = /^\s*([-+]?\d+(?:\.\d+)?)\s*-\s*([-+]?\d+(?:\.\d+)?)\s*$/.exec(target);
  if (!match) return undefined;
  const low = Number(match[1]);
  const high = Number(match[2]);
  return low <= high ? [low, high] : undefined;
}

function truncate(text: string): string {
  return text.length > maxActualLength ? `${text.slice(0, maxActualLength - 1)}…` : text;
}
