import type { CallNode, ExpressionNode } from '../../contract/alert-expression/ast.ts';
import type { FunctionName } from '../../contract/alert-expression/functions.ts';
import type { SubjectKind } from '../../contract/alert-expression/subject-kinds.ts';
import { literalUnit } from '../../contract/alert-expression/windows.ts';
import type { SlotCause, State } from '../../contract/state.schema.ts';
import type { MetricWindow } from '../metrics/metric-rollup.repository.ts';
import { percentile, type RollupTotals } from '../sla/sla.math.ts';
import type { Usage } from '../slos/slo-status.math.ts';
import { budgetRemainingValue, burnRateValue } from './burn-rate.ts';
import { and, bool, compare, evalError, noData, not, num, or, outcomeOf, type EvalValue, type Outcome } from './evaluate.logic.ts';
import { windowMs } from './alert-window.ts';
import { anomalousValue, judgeLatency, latencyRatioValue, type Baseline } from './latency.baseline.ts';

// Evaluates a type-checked alert expression for one subject binding against a data port. No I/O of
// its own: everything it reads comes through AlertDataPort, so it is table-tested with a fake port
// (api/test/expression-evaluator.test.ts) and the service plugs in the database.
// Every function of the language has an implementation in `implementations`, a
// Record<FunctionName, …>: a function added to the registry without one is a compile error.
// Units: durations are milliseconds, percentages are percentage points (5% is 5).

/** A monitor, service, SLO or dependency edge the expression is about (an edge's id is its dependency's). */
export interface Subject {
  kind: SubjectKind;
  id: string;
  name: string;
  /** A monitor's service name, an edge's dependent service's name (for instance labels), when the port knows it. */
  service?: string | undefined;
  /** An edge's target: the name of the service its dependent service depends on. */
  dependsOn?: string | undefined;
  /** The subject's tags (for instance labels), when the port knows them. */
  tags?: Record<string, string> | undefined;
}

/** A subject's state, and why it is unknown when no result says so. */
export interface StateReading {
  state: State;
  cause: SlotCause | null;
}

/** Where the evaluator reads states and measurements (the database in the service, a table in tests). */
export interface AlertDataPort {
  /**
   * The subject a constructor names within the rule's team; undefined when it is gone. `service`
   * qualifies a monitor's name; `dependsOn` names an edge's target (`name` is its dependent service).
   */
  subject(kind: SubjectKind, name: string, service?: string, dependsOn?: string): Promise<Subject | undefined>;
  /** The current state of a monitor, service or edge (in a region: the worst of its monitors' slots there); undefined when never evaluated. */
  state(subject: Subject, region?: string): Promise<StateReading | undefined>;
  /** Rollup totals of a monitor's (a service's or edge's: all its monitors') checks over the window ending now; undefined or 0 checks without data. */
  rollups(subject: Subject, windowMs: number, region?: string): Promise<RollupTotals | undefined>;
  /** Response time of the latest result (without region: the worst region's latest); undefined without results. */
  lastLatency(subject: Subject, region?: string): Promise<number | undefined>;
  /** A health metric of a monitor over the window ending now; undefined without samples. */
  metric(monitor: Subject, metric: string, windowMs: number, region?: string): Promise<MetricWindow | undefined>;
  /** The subject's latency baseline learnt from its history, leaving out the most recent `excludeRecentMs` (the window being judged). */
  latencyBaseline(subject: Subject, region: string | undefined, excludeRecentMs: number): Promise<Baseline>;
  /**
   * Reads ahead what evaluating many subjects (a selector's) will ask of their states, in a few
   * queries instead of a few per subject (optional: a port without it answers one by one).
   */
  prime?(subjects: readonly Subject[]): Promise<void>;
  /** An SLO's target and its counted/bad units over the last `windowMs`, or over its own objective window. */
  sloUsage(slo: Subject, span: number | 'objective'): Promise<{ targetPercent: number; usage: Usage | null } | undefined>;
}

export interface EvaluationContext {
  port: AlertDataPort;
  now: number;
  /** The subject a selector stands for in this instance (one instance per selected subject). */
  binding?: Subject | undefined;
}

/** A measured number an evaluation saw, for the instance's last value and notification text. */
export interface Measurement {
  expression: string;
  value: number | null;
}

export interface EvaluationResult {
  value: EvalValue;
  outcome: Outcome;
  /** The first measured number (the left side of the first comparison, typically). */
  measurements: Measurement[];
}

/** The window over which `metric(...)` compared on its own reads its latest value. */
export const metricLatestWindowMs = 5 * 60_000;
/** The window anomalous(x) compares with the baseline. */
export const anomalyWindowMs = 5 * 60_000;

type Val =
  | EvalValue
  | { kind: 'subject'; subject: Subject }
  | { kind: 'string'; value: string }
  | { kind: 'series'; monitor: Subject; metric: string; region: string | undefined };

type Args = { positional: Val[]; named: Record<string, string> };
type Impl = (args: Args, ctx: EvaluationContext, call: CallNode) => Promise<Val>;

const isEval = (v: Val): v is EvalValue => v.kind === 'bool' || v.kind === 'number' || v.kind === 'no_data' || v.kind === 'error';
const unknownInput = (v: Val): EvalValue | undefined => (v.kind === 'no_data' || v.kind === 'error' ? v : undefined);

function subjectArg(v: Val | undefined): Subject | EvalValue {
  if (!v) return evalError('a subject argument is missing');
  if (v.kind === 'subject') return v.subject;
  return unknownInput(v) ?? evalError(`expected a subject, got ${v.kind}`);
}

function windowArg(v: Val | undefined): number | EvalValue {
  if (v?.kind !== 'string') return evalError('expected a window string');
  const parsed = windowMs(v.value);
  return parsed.ok ? parsed.ms : evalError(parsed.message);
}

const isSubject = (v: Subject | EvalValue): v is Subject => 'id' in v;

function statePredicate(test: (r: StateReading) => boolean | 'unknown_input'): Impl {
  return async ({ positional, named }, ctx) => {
    const s = subjectArg(positional[0]);
    if (!isSubject(s)) return s;
    const reading = (await ctx.port.state(s, named.region)) ?? { state: 'unknown', cause: null };
    const verdict = test(reading);
    return verdict === 'unknown_input' ? noData('unknown_input') : bool(verdict);
  };
}

/** A state predicate that is undecided while the subject's state is unknown. */
const known = (state: State) => statePredicate((r) => (r.state === 'unknown' ? 'unknown_input' : r.state === state));

function fromRollups(measure: (t: RollupTotals) => number | undefined): Impl {
  return async ({ positional, named }, ctx) => {
    const s = subjectArg(positional[0]);
    if (!isSubject(s)) return s;
    const w = windowArg(positional[1]);
    if (typeof w !== 'number') return w;
    const totals = await ctx.port.rollups(s, w, named.region);
    if (!totals || totals.checks <= 0) return noData();
    const value = measure(totals);
    return value === undefined ? noData() : num(value);
  };
}

const quantile = (q: number) => (t: RollupTotals) => percentile(t.histogram, q, t.maxMs);

function seriesAggregate(pick: (w: MetricWindow) => number): Impl {
  return async ({ positional }, ctx) => {
    const series = positional[0];
    if (!series || series.kind !== 'series') return series && isEval(series) ? (unknownInput(series) ?? evalError('expected a metric')) : evalError('expected a metric');
    const w = windowArg(positional[1]);
    if (typeof w !== 'number') return w;
    const window = await ctx.port.metric(series.monitor, series.metric, w, series.region);
    return window && window.count > 0 ? num(pick(window)) : noData();
  };
}

async function anomalyVerdict(s: Subject, windowMs: number, region: string | undefined, ctx: EvaluationContext) {
  const [totals, baseline] = await Promise.all([ctx.port.rollups(s, windowMs, region), ctx.port.latencyBaseline(s, region, windowMs)]);
  const current = totals && totals.checks > 0 ? (percentile(totals.histogram, 0.95, totals.maxMs) ?? null) : null;
  return judgeLatency(current, baseline);
}

const constructor =
  (kind: SubjectKind): Impl =>
  async ({ positional, named }, ctx) => {
    const name = positional[0];
    if (name?.kind !== 'string') return evalError(`${kind}(…) takes a name`);
    const subject = await ctx.port.subject(kind, name.value, named.service);
    return subject ? { kind: 'subject', subject } : evalError(`${kind} "${name.value}" no longer exists in the rule's team`);
  };

/** `edge("from", "to")`: the dependency edge of the rule's team from one service to another. */
const edgeConstructor: Impl = async ({ positional }, ctx) => {
  const [from, to] = positional;
  if (from?.kind !== 'string' || to?.kind !== 'string') return evalError('edge(…) takes two service names');
  const subject = await ctx.port.subject('edge', from.value, undefined, to.value);
  return subject ? { kind: 'subject', subject } : evalError(`edge "${from.value}" → "${to.value}" no longer exists in the rule's team`);
};

const selector: Impl = async (_args, ctx, call) =>
  ctx.binding ? { kind: 'subject', subject: ctx.binding } : evalError(`${call.name}(…) has no subject bound; selectors are evaluated once per matching subject`);

/** One implementation per function of the language (a missing one does not compile). */
export const implementations: Record<FunctionName, Impl> = {
  monitor: constructor('monitor'),
  service: constructor('service'),
  slo: constructor('slo'),
  edge: edgeConstructor,
  monitors: selector,
  services: selector,
  edges: selector,
  up: known('up'),
  down: known('down'),
  degraded: known('degraded'),
  unknown: statePredicate((r) => r.state === 'unknown'),
  no_data: statePredicate((r) => r.state === 'unknown' && r.cause === 'no_data'),
  p50: fromRollups(quantile(0.5)),
  p95: fromRollups(quantile(0.95)),
  p99: fromRollups(quantile(0.99)),
  avg: async (args, ctx, call) => (args.positional[0]?.kind === 'series' ? seriesAggregate((w) => w.avg)(args, ctx, call) : fromRollups((t) => t.sumMs / t.checks)(args, ctx, call)),
  error_rate: fromRollups((t) => (100 * t.down) / t.checks),
  uptime: fromRollups((t) => (100 * (t.checks - t.down)) / t.checks),
  latency: async ({ positional, named }, ctx) => {
    const s = subjectArg(positional[0]);
    if (!isSubject(s)) return s;
    const ms = await ctx.port.lastLatency(s, named.region);
    return ms === undefined ? noData() : num(ms);
  },
  metric: async ({ positional, named }) => {
    const s = subjectArg(positional[0]);
    if (!isSubject(s)) return s;
    const name = positional[1];
    if (name?.kind !== 'string') return evalError('metric(…) takes a metric name');
    return { kind: 'series', monitor: s, metric: name.value, region: named.region };
  },
  max: seriesAggregate((w) => w.max),
  min: seriesAggregate((w) => w.min),
  last: seriesAggregate((w) => w.last),
  latency_ratio: async ({ positional, named }, ctx) => {
    const s = subjectArg(positional[0]);
    if (!isSubject(s)) return s;
    const w = windowArg(positional[1]);
    if (typeof w !== 'number') return w;
    return latencyRatioValue(await anomalyVerdict(s, w, named.region, ctx));
  },
  anomalous: async ({ positional, named }, ctx) => {
    const s = subjectArg(positional[0]);
    if (!isSubject(s)) return s;
    return anomalousValue(await anomalyVerdict(s, anomalyWindowMs, named.region, ctx));
  },
  burn_rate: async ({ positional }, ctx) => {
    const s = subjectArg(positional[0]);
    if (!isSubject(s)) return s;
    const w = windowArg(positional[1]);
    if (typeof w !== 'number') return w;
    const slo = await ctx.port.sloUsage(s, w);
    return slo ? burnRateValue(slo.targetPercent, slo.usage) : evalError(`SLO "${s.name}" no longer exists`);
  },
  budget_remaining: async ({ positional }, ctx) => {
    const s = subjectArg(positional[0]);
    if (!isSubject(s)) return s;
    const slo = await ctx.port.sloUsage(s, 'objective');
    return slo ? budgetRemainingValue(slo.targetPercent, slo.usage) : evalError(`SLO "${s.name}" no longer exists`);
  },
};

/** A number literal in the evaluator's units: durations in milliseconds, percentages in points. */
function literal(value: number, unit: string | null): EvalValue {
  const u = literalUnit(unit);
  if (!u) return evalError(`unknown unit "${unit}"`);
  return num(u.quantity === 'duration' ? value * u.ms : value);
}

/** Evaluates an expression (already type-checked) for one binding. A port that throws gives an error value, never a throw. */
export async function evaluateExpression(ast: ExpressionNode, text: string, ctx: EvaluationContext): Promise<EvaluationResult> {
  const measurements: Measurement[] = [];
  const source = (node: ExpressionNode) => text.slice(node.span.start.offset, node.span.end.offset);

  async function asValue(node: ExpressionNode): Promise<EvalValue> {
    const v = await evaluate(node);
    if (isEval(v)) return v;
    // A metric series compares as its latest value.
    if (v.kind === 'series') {
      const w = await ctx.port.metric(v.monitor, v.metric, metricLatestWindowMs, v.region);
      return w && w.count > 0 ? num(w.last) : noData();
    }
    return evalError(`${source(node)} is not a value`);
  }

  async function evaluate(node: ExpressionNode): Promise<Val> {
    switch (node.kind) {
      case 'logical': {
        const left = await asValue(node.left);
        // A known operand decides on its own: skip the other side's queries.
        if (left.kind === 'bool' && left.value === (node.op === 'or')) return left;
        const right = await asValue(node.right);
        return node.op === 'and' ? and(left, right) : or(left, right);
      }
      case 'not':
        return not(await asValue(node.operand));
      case 'compare': {
        const left = await asValue(node.left);
        const right = await asValue(node.right);
        for (const [side, value] of [[node.left, left], [node.right, right]] as const) {
          if (side.kind !== 'number') measurements.push({ expression: source(side), value: value.kind === 'number' ? value.value : null });
        }
        return compare(node.op, left, right);
      }
      case 'number':
        return literal(node.value, node.unit);
      case 'string':
        return { kind: 'string', value: node.value };
      case 'identifier':
        return evalError(`"${node.name}" is not a value`);
      case 'call': {
        const impl = (implementations as Record<string, Impl | undefined>)[node.name];
        if (!impl) return evalError(`unknown function ${node.name}`);
        const positional: Val[] = [];
        const named: Record<string, string> = {};
        for (const arg of node.args) {
          const v = await evaluate(arg.value);
          if (arg.kind === 'named') {
            if (v.kind === 'string') named[arg.name] = v.value;
          } else positional.push(v);
        }
        return impl({ positional, named }, ctx, node);
      }
    }
  }

  let value: EvalValue;
  try {
    value = await asValue(ast);
  } catch (error) {
    value = evalError(error instanceof Error ? error.message : String(error));
  }
  return { value, outcome: outcomeOf(value), measurements };
}
