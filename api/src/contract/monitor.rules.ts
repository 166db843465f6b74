import type { FieldError } from './errors.ts';
import { jsonPathError } from './json-path.ts';
import { compileSafeRegex } from './safe-regex.ts';
import type { Assertion, MonitorInput } from './monitor.schema.ts';
import { monitorSecretErrors } from './monitor-secrets.rules.ts';
import { metricErrors } from './monitor-metrics.rules.ts';

// Cross-field rules that JSON Schema cannot express. Pure: used by the API before it stores a
// monitor and by the Terraform provider at validate/plan time, so both report the same errors.

const siblingOf = { http: 'http', tcp: 'tcp', dns: 'dns', tls: 'tls', multistep: 'steps', heartbeat: 'heartbeat' } as const;
const numericOperators = new Set(['less_than', 'less_than_or_equal', 'greater_than', 'greater_than_or_equal']);

// Runners match with RE2 (linear time: a user pattern cannot freeze a runner), so patterns are
// validated with the same engine: lookaround and backreferences are refused here, not at run time.
function regexError(pattern: string): string | undefined {
  const compiled = compileSafeRegex(pattern);
  return compiled.ok ? undefined : `${compiled.error} (patterns use RE2 syntax: no lookaround or backreferences)`;
}

/** Errors of one assertion list (top-level or a step's), with pointers under `base`. */
export function assertionErrors(assertions: readonly Assertion[], base: string, allowedSources: readonly string[]): FieldError[] {
  const errors: FieldError[] = [];
  assertions.forEach((a, i) => {
    const at = `${base}/${i}`;
    if (!allowedSources.includes(a.source)) {
      errors.push({ pointer: `${at}/source`, message: `Source "${a.source}" does not apply to this check; use one of: ${allowedSources.join(', ')}.` });
    }
    if ((a.source === 'header' || a.source === 'json_body') && !a.path) {
      errors.push({ pointer: `${at}/path`, message: a.source === 'header' ? 'Name the header to check in "path".' : 'Give a JSONPath expression in "path", e.g. "$.status".' });
    }
    const pathProblem = a.source === 'json_body' && a.path ? jsonPathError(a.path) : undefined;
    if (pathProblem) errors.push({ pointer: `${at}/path`, message: `"${a.path}" is not a JSONPath expression the runner can evaluate: ${pathProblem}.` });
    const needsTarget = a.operator !== 'exists' && a.operator !== 'not_exists';
    if (needsTarget && a.target === undefined) {
      errors.push({ pointer: `${at}/target`, message: `Operator "${a.operator}" compares against "target"; set it.` });
      return;
    }
    if (!needsTarget) return;
    const target = a.target ?? '';
    if (a.operator === 'matches' || a.operator === 'not_matches') {
      const problem = regexError(target);
      if (problem) errors.push({ pointer: `${at}/target`, message: `Not a valid regular expression: ${problem}.` });
    }
    if (a.operator === 'in_range' && !/^-?\d+(\.\d+)?\s*-\s*-?\d+(\.\d+)?$/.test(target)) {
      errors.push({ pointer: `${at}/target`, message: `"in_range" takes "low-high", e.g. "200-299"; got "${target}".` });
    }
    if (numericOperators.has(a.operator) && !Number.isFinite(Number(target))) {
      errors.push({ pointer: `${at}/target`, message: `"${a.operator}" compares numbers; "${target}" is not a number.` });
    }
    if ((a.source === 'status_code' || a.source === 'response_time') && ['contains', 'not_contains', 'matches', 'not_matches'].includes(a.operator)) {
      errors.push({ pointer: `${at}/operator`, message: `"${a.operator}" does not apply to the number "${a.source}"; use equals, less_than, in_range or one_of.` });
    }
  });
  return errors;
}

/** Every cross-field error of a monitor document (after defaults are applied). */
export function monitorErrors(m: MonitorInput): FieldError[] {
  const errors: FieldError[] = [];
  const sibling = siblingOf[m.type];
  if ((m as Record<string, unknown>)[sibling] === undefined) {
    errors.push({ pointer: `/${sibling}`, message: `A "${m.type}" monitor needs its "${sibling}" configuration.` });
  }
  for (const [type, field] of Object.entries(siblingOf)) {
    if (type !== m.type && (m as Record<string, unknown>)[field] !== undefined) {
      errors.push({ pointer: `/${field}`, message: `"${field}" belongs to "${type}" monitors; remove it or set type = "${type}".` });
    }
  }
  const interval = m.interval_seconds ?? 60;
  const timeout = m.timeout_seconds ?? 10;
  if (m.type !== 'heartbeat' && timeout >= interval) {
    errors.push({ pointer: '/timeout_seconds', message: `timeout_seconds (${timeout}) must be below interval_seconds (${interval}).` });
  }
  const regions = m.regions ?? [];
  if (regions.length > 0 && (m.min_failed_regions ?? 1) > regions.length) {
    errors.push({ pointer: '/min_failed_regions', message: `min_failed_regions (${m.min_failed_regions}) cannot exceed the ${regions.length} region(s) listed.` });
  }
  const topSources = m.type === 'http' ? ['status_code', 'header', 'body', 'json_body', 'response_time'] : m.type === 'heartbeat' || m.type === 'multistep' ? [] : ['response_time'];
  errors.push(...assertionErrors(m.assertions ?? [], '/assertions', topSources));
  if (m.tls && (m.tls.fail_days ?? 7) > (m.tls.warn_days ?? 30)) {
    errors.push({ pointer: '/tls/fail_days', message: `fail_days (${m.tls.fail_days}) must not exceed warn_days (${m.tls.warn_days ?? 30}).` });
  }
  if (m.steps) errors.push(...stepErrors(m.steps));
  if (m.http?.metrics) errors.push(...metricErrors(m.http.metrics, '/http/metrics'));
  errors.push(...monitorSecretErrors(m));
  return errors;
}

function stepErrors(steps: NonNullable<MonitorInput['steps']>): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  const known = new Set<string>();
  steps.forEach((step, i) => {
    const at = `/steps/${i}`;
    if (names.has(step.name)) errors.push({ pointer: `${at}/name`, message: `Step name "${step.name}" is used twice; step names must be unique.` });
    names.add(step.name);
    const text = [step.url, step.body ?? '', ...Object.values(step.headers ?? {}), ...Object.values(step.secret_headers ?? {})].join('\n');
    for (const [, variable] of text.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)) {
      if (!known.has(variable!)) {
        errors.push({ pointer: `${at}/url`, message: `Variable "{{${variable}}}" is not extracted by an earlier step; add an extract with name "${variable}" before this step.` });
      }
    }
    const urlWithoutVars = step.url.replace(/\{\{[^}]*\}\}/g, 'x');
    if (!/^https?:\/\/[^\s]+$/.test(urlWithoutVars)) {
      errors.push({ pointer: `${at}/url`, message: `"${step.url}" must start with http:// or https:// followed by a host (no spaces); {{variables}} may stand for parts of it.` });
    }
    (step.extract ?? []).forEach((e, j) => {
      if (e.source === 'body_regex') {
        const problem = regexError(e.property);
        if (problem) errors.push({ pointer: `${at}/extract/${j}/property`, message: `Not a valid regular expression: ${problem}.` });
      }
      const pathProblem = e.source === 'json_body' ? jsonPathError(e.property) : undefined;
      if (pathProblem) errors.push({ pointer: `${at}/extract/${j}/property`, message: `"${e.property}" is not a JSONPath expression the runner can evaluate: ${pathProblem}.` });
      known.add(e.name);
    });
    errors.push(...assertionErrors(step.assertions ?? [], `${at}/assertions`, ['status_code', 'header', 'body', 'json_body', 'response_time']));
  });
  return errors;
}
