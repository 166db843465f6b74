import { subjectKinds, type SubjectKind } from './subject-kinds.ts';
import { bool, quantity, type ExpressionType } from './types.ts';

/** A positional parameter. */
export type Param =
  /** A subject of one of these kinds: one (`monitor("x")`) or, unless `one` is set, a selector's many. */
  | { kind: 'subject'; of: readonly SubjectKind[]; one?: boolean }
  /** A window string from "1m" to "30d", e.g. "5m". */
  | { kind: 'window' }
  /** A string literal naming something: a subject's name, or a health metric's name. */
  | { kind: 'name'; what: string; value: 'name' | 'metric' }
  /** A health metric series, `metric(monitor("x"), "name")`. */
  | { kind: 'series' };

/** What a named argument's string must be. */
export type NamedValue = 'region' | 'name' | 'metric' | 'tag' | 'check_type' | 'service_kind';

export interface NamedParam {
  value: NamedValue;
  description: string;
}

export interface Signature {
  params: readonly Param[];
  named: Readonly<Record<string, NamedParam>>;
  returns: ExpressionType;
}

export type Family = 'state' | 'subject' | 'selector' | 'window' | 'metric' | 'anomaly' | 'slo';

export interface FunctionSpec {
  family: Family;
  /** One line for the docs. */
  summary: string;
  /** How to call it, for messages: `p95 takes a monitor, service or edge and a window like "5m"`. */
  usage: string;
  /** An expression using it that type-checks (table-tested). */
  example: string;
  signatures: readonly Signature[];
  /** For subject constructors and selectors: the kind they name. */
  subject?: SubjectKind;
}

const region: NamedParam = { value: 'region', description: 'Only this region, e.g. region="us-east-1"; without it, across all the subject\'s regions.' };
/** What states and measurements are asked of: a monitor, a service (its monitors) or a dependency edge (the monitors that check it). */
const measured = { kind: 'subject', of: ['monitor', 'service', 'edge'] } as const satisfies Param;
const window = { kind: 'window' } as const satisfies Param;

function statePredicate(state: string, summary: string): FunctionSpec {
  return {
    family: 'state',
    summary,
    usage: `${state} takes a monitor, service or edge, e.g. ${state}(service("checkout"))`,
    example: `${state}(service("checkout"))`,
    signatures: [{ params: [measured], named: { region }, returns: bool }],
  };
}

function windowMeasurement(name: string, returns: ExpressionType, summary: string, example: string): FunctionSpec {
  return {
    family: 'window',
    summary,
    usage: `${name} takes a monitor, service or edge and a window like "5m", e.g. ${example}`,
    example,
    signatures: [{ params: [measured, window], named: { region }, returns }],
  };
}

function seriesAggregate(name: string, summary: string): FunctionSpec {
  return {
    family: 'metric',
    summary,
    usage: `${name} takes a metric and a window like "1m", e.g. ${name}(metric(monitor("api-health"), "utilization_pct"), "1m")`,
    example: `${name}(metric(monitor("api-health"), "utilization_pct"), "1m") > 80`,
    signatures: [{ params: [{ kind: 'series' }, window], named: {}, returns: quantity('number') }],
  };
}

/** `monitor("name")` and its kin: names one subject of a kind. */
function subjectConstructor(kind: SubjectKind, named: Record<string, NamedParam>, example: string, use: string): FunctionSpec {
  const spec = subjectKinds[kind];
  return {
    family: 'subject',
    summary: `One ${spec.label} of the rule's team, by name.`,
    usage: `${spec.constructor} takes the ${spec.label}'s name as a string, e.g. ${example}`,
    example: use,
    subject: kind,
    signatures: [{ params: [{ kind: 'name', what: `${spec.label} name`, value: 'name' }], named, returns: { t: 'subject', kind, many: false } }],
  };
}

/** `monitors(tag="tier:1")` and its kin: every subject of a kind that matches the filters (one alert instance each). */
function selector(kind: SubjectKind, named: Record<string, NamedParam>, example: string): FunctionSpec {
  const spec = subjectKinds[kind];
  return {
    family: 'selector',
    summary: `Every ${spec.label} of the rule's team matching the filters; the rule makes one alert instance per ${spec.label}.`,
    usage: `${spec.selector} takes named filters only (${Object.keys(named).map((n) => `${n}=`).join(', ')}), e.g. ${example}`,
    example: `down(${example})`,
    subject: kind,
    signatures: [{ params: [], named, returns: { t: 'subject', kind, many: true } }],
  };
}

/** `edge("from", "to")`: the dependency edge from one service of the rule's team to the service it depends on. */
function edgeConstructor(): FunctionSpec {
  return {
    family: 'subject',
    summary: 'One dependency edge of the rule\'s team: the dependent service (of the team) and the service it depends on (of any team), by name.',
    usage: 'edge takes the dependent service\'s name and the name of the service it depends on, e.g. edge("fulfillment-api", "shipping-integration")',
    example: 'down(edge("fulfillment-api", "shipping-integration"))',
    subject: 'edge',
    signatures: [{
      params: [{ kind: 'name', what: 'service name', value: 'name' }, { kind: 'name', what: 'service name', value: 'name' }],
      named: {},
      returns: { t: 'subject', kind: 'edge', many: false },
    }],
  };
}

const tag: NamedParam = { value: 'tag', description: 'A tag as "key:value", e.g. tag="tier:1".' };
const team: NamedParam = { value: 'name', description: 'The rule\'s own team by name (a rule sees only its team\'s subjects).' };

/**
 * Every function of the alert language. The evaluator implements a Record<FunctionName, …>, so a
 * function added here without an implementation (or the other way round) is a compile error.
 */
export const functions = {
  // Subjects
  monitor: subjectConstructor('monitor', { service: { value: 'name', description: 'The monitor\'s service, when two services of the team have monitors of that name.' } }, 'monitor("api-health")', 'down(monitor("api-health"))'),
  service: subjectConstructor('service', {}, 'service("checkout")', 'down(service("checkout"))'),
  slo: subjectConstructor('slo', {}, 'slo("checkout-availability")', 'budget_remaining(slo("checkout-availability")) < 25%'),
  edge: edgeConstructor(),
  // Selectors
  monitors: selector('monitor', { tag, service: { value: 'name', description: 'Monitors of this service.' }, type: { value: 'check_type', description: 'Monitors of this check type, e.g. type="http".' }, team }, 'monitors(tag="tier:1")'),
  services: selector('service', { tag, kind: { value: 'service_kind', description: '"internal" or "external".' }, team }, 'services(team="fulfillment")'),
  edges: selector('edge', { from: { value: 'name', description: 'Edges of this dependent service (a service of the team).' }, to: { value: 'name', description: 'Edges to this service (of any team).' }, team }, 'edges(to="shipping-integration")'),
  // State
  up: statePredicate('up', 'True while the subject is up.'),
  down: statePredicate('down', 'True while the subject is down.'),
  degraded: statePredicate('degraded', 'True while the subject is degraded (it answers, but an assertion of severity "degraded" fails).'),
  unknown: statePredicate('unknown', 'True while the subject\'s state is unknown, for any cause (never checked yet, no data, no live runner).'),
  no_data: statePredicate('no_data', 'True while the subject is unknown because results stopped arriving (cause no_data).'),
  // Window measurements (answered from per-minute rollups)
  p50: windowMeasurement('p50', quantity('duration'), 'Median response time over the window.', 'p50(monitor("inventory-api"), "5m") > 300ms'),
  p95: windowMeasurement('p95', quantity('duration'), '95th percentile response time over the window.', 'p95(service("inventory"), "5m") > 2000'),
  p99: windowMeasurement('p99', quantity('duration'), '99th percentile response time over the window.', 'p99(monitor("inventory-api"), "15m") > 2s'),
  avg: {
    family: 'window',
    summary: 'Mean response time of a monitor, service or edge over the window, or the mean of a health metric over the window.',
    usage: 'avg takes a monitor, service or edge and a window like "5m", e.g. avg(monitor("api"), "5m") > 500ms, or a metric and a window, e.g. avg(metric(monitor("api-health"), "wait_count"), "5m") > 2',
    example: 'avg(monitor("inventory-api"), "5m") > 500ms',
    signatures: [
      { params: [measured, window], named: { region }, returns: quantity('duration') },
      { params: [{ kind: 'series' }, window], named: {}, returns: quantity('number') },
    ],
  },
  error_rate: windowMeasurement('error_rate', quantity('percent'), 'Share of failed checks over the window, in percent.', 'error_rate(service("checkout"), "5m") > 5%'),
  uptime: windowMeasurement('uptime', quantity('percent'), 'Share of successful checks over the window, in percent.', 'uptime(monitor("inventory-api"), "1h") < 99.5'),
  latency: {
    family: 'window',
    summary: 'Response time of the latest result (per region, the worst of the regions without region=).',
    usage: 'latency takes a monitor, service or edge, e.g. latency(monitor("inventory-api")) > 2s',
    example: 'latency(monitor("inventory-api")) > 2s',
    signatures: [{ params: [measured], named: { region }, returns: quantity('duration') }],
  },
  // Health-endpoint metrics
  metric: {
    family: 'metric',
    summary: 'A numeric value an HTTP monitor extracts from its response body (its `metrics` list); compares as the latest value.',
    usage: 'metric takes a monitor and a metric name, e.g. metric(monitor("api-health"), "utilization_pct") > 80',
    example: 'metric(monitor("api-health"), "utilization_pct") > 80',
    signatures: [{ params: [{ kind: 'subject', of: ['monitor'] }, { kind: 'name', what: 'metric name', value: 'metric' }], named: { region }, returns: { t: 'series' } }],
  },
  max: seriesAggregate('max', 'Largest value of a metric over the window.'),
  min: seriesAggregate('min', 'Smallest value of a metric over the window.'),
  last: seriesAggregate('last', 'Latest value of a metric within the window (no value when none arrived in it).'),
  // Latency anomalies
  latency_ratio: {
    family: 'anomaly',
    summary: 'Current p95 response time over the window divided by the baseline p95 learnt from history.',
    usage: 'latency_ratio takes a monitor, service or edge and a window like "5m", e.g. latency_ratio(monitor("inventory-api"), "5m") > 3',
    example: 'latency_ratio(monitor("inventory-api"), "5m") > 3',
    signatures: [{ params: [measured, window], named: { region }, returns: quantity('number') }],
  },
  anomalous: {
    family: 'anomaly',
    summary: 'True while the subject\'s latency is far outside its learnt baseline.',
    usage: 'anomalous takes a monitor, service or edge, e.g. anomalous(monitor("inventory-api"))',
    example: 'anomalous(monitor("inventory-api"))',
    signatures: [{ params: [measured], named: { region }, returns: bool }],
  },
  // SLOs
  burn_rate: {
    family: 'slo',
    summary: 'How fast the SLO\'s error budget is being spent over the window (1 = exactly on budget).',
    usage: 'burn_rate takes an SLO and a window like "1h", e.g. burn_rate(slo("checkout-availability"), "1h") > 14.4',
    example: 'burn_rate(slo("checkout-availability"), "1h") > 14.4',
    signatures: [{ params: [{ kind: 'subject', of: ['slo'] }, window], named: {}, returns: quantity('number') }],
  },
  budget_remaining: {
    family: 'slo',
    summary: 'Share of the SLO\'s error budget left in its current window, in percent.',
    usage: 'budget_remaining takes an SLO, e.g. budget_remaining(slo("checkout-availability")) < 25%',
    example: 'budget_remaining(slo("checkout-availability")) < 25%',
    signatures: [{ params: [{ kind: 'subject', of: ['slo'] }], named: {}, returns: quantity('percent') }],
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;
export const functionNames = Object.keys(functions) as FunctionName[];

/** The spec of a function by name, undefined for names the language does not have. */
export function lookupFunction(name: string): FunctionSpec | undefined {
  return Object.hasOwn(functions, name) ? (functions as Record<string, FunctionSpec>)[name] : undefined;
}
