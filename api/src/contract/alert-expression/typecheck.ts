import { checkTypes, metricNamePattern } from '../monitor.schema.ts';
import type { ArgumentNode, CallNode, ExpressionNode, Span } from './ast.ts';
import type { ExpressionProblem } from './expression-error.ts';
import { functionNames, lookupFunction, type FunctionSpec, type NamedValue, type Param, type Signature } from './functions.ts';
import { subjectKinds, type SubjectKind } from './subject-kinds.ts';
import { closestNames, didYouMean } from './suggest.ts';
import { bool, describeType, type ExpressionType } from './types.ts';
import { literalUnit, parseWindow } from './windows.ts';

/** A subject the rule names: `monitor("api-health")`, `service("checkout")`, `slo("…")`, `edge("a", "b")`. */
export interface SubjectReference {
  kind: SubjectKind;
  /** The subject's name; for an edge, its dependent service's name. */
  name: string;
  /** For monitors: the `service=` that tells apart same-named monitors of two services. */
  service?: string;
  /** For edges: the name of the service the dependent service depends on. */
  dependsOn?: string;
  span: Span;
}

/** A selector the rule fans out over, e.g. `monitors(tag="tier:1")`, with its filters. */
export interface SelectorReference {
  kind: SubjectKind;
  filters: Record<string, string>;
  /** The selector's canonical text, e.g. `monitors(tag="tier:1")`. */
  text: string;
  span: Span;
}

/** What the checker found out about a valid expression. */
export interface TypeCheckResult {
  problems: ExpressionProblem[];
  /** Subjects named one by one, in source order (duplicates kept, each with its span). */
  subjects: SubjectReference[];
  /** The selector the rule fans out over (one alert instance per matching subject), or null for one instance. */
  selector: SelectorReference | null;
}

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const regionPattern = /^[a-z0-9][a-z0-9-]*$/;
const ordinal = ['first', 'second', 'third', 'fourth', 'fifth'];

const namedValueCheck: Record<NamedValue, (value: string) => string | undefined> = {
  region: (v) => (regionPattern.test(v) && v.length <= 64 ? undefined : `"${v}" is not a region name: lower-case letters, digits and "-", e.g. "us-east-1".`),
  name: (v) => (namePattern.test(v) && v.length <= 100 ? undefined : `"${v}" is not a name: names are letters, digits, ".", "-" and "_", starting with a letter or digit.`),
  metric: (v) => (new RegExp(metricNamePattern).test(v) ? undefined : `"${v}" is not a metric name: 1 to 63 lower-case letters, digits and "_", starting with a letter, as in the monitor's metrics list.`),
  tag: (v) => (/^[^:]+:.*$/.test(v) ? undefined : `"${v}" is not a tag filter: write "key:value", e.g. tag="tier:1".`),
  check_type: (v) => ((checkTypes as readonly string[]).includes(v) ? undefined : `"${v}" is not a check type; use one of ${checkTypes.map((t) => `"${t}"`).join(', ')}.`),
  service_kind: (v) => (v === 'internal' || v === 'external' ? undefined : `"${v}" is not a service kind; use "internal" or "external".`),
};

function paramWords(param: Param): string {
  switch (param.kind) {
    case 'subject': {
      const kinds = param.of.map((k) => subjectKinds[k].label);
      const first = kinds[0]!;
      const article = first === 'SLO' || first === 'edge' ? 'an' : 'a';
      return kinds.length === 1 ? `${article} ${first}` : `${article} ${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]}`;
    }
    case 'window':
      return 'a window like "5m"';
    case 'name':
      return `a ${param.what} as a string`;
    case 'series':
      return 'a metric, metric(monitor("…"), "name")';
  }
}

function accepts(param: Param, type: ExpressionType): boolean {
  switch (param.kind) {
    case 'subject':
      return type.t === 'subject' && param.of.includes(type.kind) && !(param.one && type.many);
    case 'window':
    case 'name':
      return type.t === 'string';
    case 'series':
      return type.t === 'series';
  }
}

/** Type-checks a parsed expression: every problem with its span, the subjects it names and its selector. */
export function typecheck(ast: ExpressionNode, text: string): TypeCheckResult {
  const problems: ExpressionProblem[] = [];
  const subjects: SubjectReference[] = [];
  const selectors: SelectorReference[] = [];
  const source = (node: { span: Span }) => text.slice(node.span.start.offset, node.span.end.offset);
  const report = (span: Span, message: string) => problems.push({ stage: 'type', message, span });

  const conditionHint = (node: ExpressionNode, type: ExpressionType): string => {
    if (node.kind === 'number') return '';
    if (type.t === 'quantity' || type.t === 'series') return ` Compare it, e.g. ${source(node)} > ${type.t === 'quantity' && type.unit === 'duration' ? '2s' : type.t === 'quantity' && type.unit === 'percent' ? '5%' : '80'}.`;
    if (type.t === 'subject') return ` Ask something about it, e.g. down(${source(node)}).`;
    return '';
  };

  function check(node: ExpressionNode): ExpressionType | undefined {
    switch (node.kind) {
      case 'logical':
      case 'not': {
        const operands = node.kind === 'logical' ? [node.left, node.right] : [node.operand];
        for (const operand of operands) {
          const type = check(operand);
          if (type && type.t !== 'bool') report(operand.span, `"${node.kind === 'logical' ? node.op : 'not'}" takes conditions that are true or false; ${source(operand)} is ${describeType(type)}.${conditionHint(operand, type)}`);
        }
        return bool;
      }
      case 'compare':
        return checkComparison(node.left, node.right, node.op);
      case 'number': {
        const unit = literalUnit(node.unit);
        if (!unit) {
          report(node.span, `Unknown unit "${node.unit}" in ${node.text}: use ms, s, m, h or d for durations (e.g. 500ms, 2s) and % for percentages (e.g. 5%), or no unit.`);
          return undefined;
        }
        return unit.quantity === 'number' ? { t: 'quantity', unit: 'number', bare: true } : { t: 'quantity', unit: unit.quantity };
      }
      case 'string':
        return { t: 'string' };
      case 'identifier': {
        const fn = lookupFunction(node.name);
        if (fn) report(node.span, `${node.name} is a function: call it, e.g. ${fn.example}.`);
        else if (node.name === 'true' || node.name === 'false') report(node.span, `The language has no ${node.name}; write a condition such as down(service("checkout")).`);
        else {
          const close = closestNames(node.name, functionNames);
          report(node.span, `"${node.name}" is not a value or function.${close.length ? didYouMean(close, false) : ''} Names of monitors, services and SLOs are strings: write service("${node.name}") or monitor("${node.name}").`);
        }
        return undefined;
      }
      case 'call':
        return checkCall(node);
    }
  }

  function checkComparison(left: ExpressionNode, right: ExpressionNode, op: string): ExpressionType {
    const sides = [left, right].map((node) => {
      const type = check(node);
      if (!type) return undefined;
      if (type.t === 'series') return { t: 'quantity', unit: 'number' } satisfies ExpressionType as ExpressionType;
      if (type.t !== 'quantity') {
        const hint = type.t === 'bool' ? ` It is already a condition: use it without "${op}", or join conditions with "and" / "or".` : type.t === 'string' ? ' Strings are names and windows inside calls, e.g. p95(monitor("api"), "5m") > 2s.' : conditionHint(node, type);
        report(node.span, `"${op}" compares numbers, durations or percentages; ${source(node)} is ${describeType(type)}.${hint}`);
        return undefined;
      }
      return type;
    });
    const [l, r] = sides;
    if (l?.t === 'quantity' && r?.t === 'quantity' && !l.bare && !r.bare && l.unit !== r.unit) {
      const literal = right.kind === 'number' ? right : left.kind === 'number' ? left : undefined;
      const measured = literal === right ? l : r;
      const fix = literal ? ` Write ${measured.unit === 'duration' ? `a duration such as 2s or 500ms` : measured.unit === 'percent' ? `a percentage such as 5% (or 5)` : `a plain number such as ${literal.value}`} instead of ${literal.text}.` : '';
      report(literal?.span ?? right.span, `${source(left)} is ${describeType(l)} and ${source(right)} is ${describeType(r)}; they cannot be compared.${fix}`);
    }
    return bool;
  }

  function checkCall(node: CallNode): ExpressionType | undefined {
    const spec = lookupFunction(node.name);
    if (!spec) {
      const close = closestNames(node.name, functionNames);
      report(node.nameSpan, `Unknown function "${node.name}".${close.length ? didYouMean(close, false) : ' The functions are listed in docs/alert-language.md.'}`);
      node.args.forEach((a) => check(a.value));
      return undefined;
    }
    const positional = node.args.filter((a) => a.kind === 'positional');
    const named = node.args.filter((a) => a.kind === 'named');
    const firstNamed = node.args.findIndex((a) => a.kind === 'named');
    const misplaced = node.args.find((a, i) => a.kind === 'positional' && firstNamed >= 0 && i > firstNamed);
    if (misplaced) report(misplaced.span, `Positional arguments come before named ones in ${node.name}(…): move ${source(misplaced)} before ${source(node.args[firstNamed]!)}.`);
    const types = positional.map((a) => check(a.value));
    if (types.some((t) => t === undefined)) return spec.signatures.length === 1 ? spec.signatures[0]!.returns : undefined;
    const signature = chooseSignature(node, spec, positional, types as ExpressionType[]);
    if (!signature) return undefined;
    const before = problems.length;
    signature.params.forEach((param, i) => checkLiteral(node, param, positional[i]!, i));
    const filters = checkNamed(node, spec, signature, named);
    if (problems.length === before) record(node, spec, positional, filters);
    return signature.returns;
  }

  function chooseSignature(node: CallNode, spec: FunctionSpec, positional: ArgumentNode[], types: ExpressionType[]): Signature | undefined {
    const fitting = spec.signatures.find((s) => s.params.length === types.length && s.params.every((p, i) => accepts(p, types[i]!)));
    if (fitting) return fitting;
    const sameArity = spec.signatures.filter((s) => s.params.length === types.length);
    if (sameArity.length === 1) {
      const signature = sameArity[0]!;
      const i = signature.params.findIndex((p, j) => !accepts(p, types[j]!));
      const arg = positional[i]!;
      const param = signature.params[i]!;
      report(arg.span, `The ${ordinal[i] ?? `#${i + 1}`} argument of ${node.name} must be ${paramWords(param)}; ${source(arg)} is ${describeType(types[i]!)}.${mismatchHint(param, arg.value)} ${spec.usage}.`);
      return undefined;
    }
    const counts = [...new Set(spec.signatures.map((s) => s.params.length))];
    report(node.span, `${spec.usage}${counts.length === 1 && counts[0] !== types.length ? ` (${counts[0]} argument${counts[0] === 1 ? '' : 's'}, not ${types.length})` : ''}.`);
    return undefined;
  }

  function mismatchHint(param: Param, value: ExpressionNode): string {
    if (param.kind === 'window' && value.kind === 'number') return ` Write the window as a string: "${value.text}".`;
    if (param.kind === 'subject' && value.kind === 'string') {
      const kind = param.of[0]!;
      return ` Wrap the name: ${subjectKinds[kind].constructor}("${value.value}").`;
    }
    if (param.kind === 'name' && value.kind === 'identifier') return ` Quote it: "${value.name}".`;
    return '';
  }

  function checkLiteral(node: CallNode, param: Param, arg: ArgumentNode, i: number): void {
    if (arg.value.kind !== 'string') return;
    const value = arg.value.value;
    if (param.kind === 'window') {
      const window = parseWindow(value);
      if (!window.ok) report(arg.value.span, window.message);
    } else if (param.kind === 'name') {
      const problem = namedValueCheck[param.value](value);
      if (problem) report(arg.value.span, `The ${ordinal[i] ?? `#${i + 1}`} argument of ${node.name} must be ${paramWords(param)}: ${problem}`);
    }
  }

  function checkNamed(node: CallNode, spec: FunctionSpec, signature: Signature, named: ArgumentNode[]): Record<string, string> {
    const filters: Record<string, string> = {};
    const allowed = Object.keys(signature.named);
    for (const arg of named) {
      if (arg.kind !== 'named') continue;
      const param = signature.named[arg.name];
      if (!param) {
        const close = closestNames(arg.name, allowed);
        const takes = allowed.length ? ` It takes ${allowed.map((n) => `${n}=`).join(', ')}.` : ' It takes no named arguments.';
        report(arg.nameSpan, `${node.name} has no argument "${arg.name}".${close.length ? didYouMean(close.map((c) => `${c}=`), false) : ''}${takes}`);
        continue;
      }
      if (Object.hasOwn(filters, arg.name)) {
        report(arg.span, `${arg.name}= is given twice in ${node.name}(…); give it once.`);
        continue;
      }
      if (arg.value.kind !== 'string') {
        report(arg.value.span, `${arg.name}= takes a string, e.g. ${arg.name}="${param.value === 'region' ? 'us-east-1' : param.value === 'tag' ? 'tier:1' : param.value === 'check_type' ? 'http' : param.value === 'service_kind' ? 'internal' : 'name'}". ${param.description}`);
        continue;
      }
      const problem = namedValueCheck[param.value](arg.value.value);
      if (problem) report(arg.value.span, problem);
      else filters[arg.name] = arg.value.value;
    }
    return filters;
  }

  function record(node: CallNode, spec: FunctionSpec, positional: ArgumentNode[], filters: Record<string, string>): void {
    if (!spec.subject) return;
    if (spec.family === 'subject') {
      const name = positional[0]?.value;
      if (name?.kind !== 'string') return;
      if (spec.subject === 'edge') {
        const to = positional[1]?.value;
        if (to?.kind !== 'string') return;
        if (to.value === name.value) {
          report(node.span, `${source(node)} names an edge from a service to itself; a service cannot depend on itself. Name the dependent service first and the service it depends on second, e.g. edge("${name.value}", "shipping-integration").`);
          return;
        }
        subjects.push({ kind: 'edge', name: name.value, dependsOn: to.value, span: node.span });
        return;
      }
      subjects.push({ kind: spec.subject, name: name.value, ...(filters.service !== undefined ? { service: filters.service } : {}), span: node.span });
      return;
    }
    const keys = Object.keys(filters).sort();
    const canonical: Record<string, string> = {};
    for (const k of keys) canonical[k] = filters[k]!;
    const text = `${node.name}(${keys.map((k) => `${k}=${JSON.stringify(filters[k])}`).join(', ')})`;
    selectors.push({ kind: spec.subject, filters: canonical, text, span: node.span });
    // The service a monitors(service=…) selector names is a reference like service("…"); the
    // services of edges(from=…, to=…) are resolved among the team's edges (selector.filters).
    if (filters.service !== undefined) subjects.push({ kind: 'service', name: filters.service, span: node.span });
  }

  const type = check(ast);
  if (type && type.t !== 'bool') {
    report(ast.span, `A rule must be true or false; ${source(ast)} is ${describeType(type)}.${conditionHint(ast, type)}`);
  }
  const distinct = new Map<string, SelectorReference>();
  for (const s of selectors) if (!distinct.has(s.text)) distinct.set(s.text, s);
  const [first, second] = [...distinct.values()];
  if (first && second) {
    report(second.span, `A rule fans out over one selector (one alert instance per subject); this one uses ${first.text} and ${second.text}. Use the same selector everywhere, or write two rules.`);
  }
  return { problems, subjects, selector: first ?? null };
}

// Usage lines start with the function's name, which keeps its case.
