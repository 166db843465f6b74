import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertExpressionErrors, analyzeAlertExpression, functionNames, functions, parseAlertExpression, parseWindow, type ExpressionNode } from '../src/contract/alert-expression/index.ts';

// The canonical rules of issue 8 and DESIGN.md: each parses, type-checks and names what it should.
const canonical: Array<[string, string[], string | null]> = [
  ['down(service("order-processing")) or p95(service("inventory"), "5m") > 2000', ['service:order-processing', 'service:inventory'], null],
  ['metric(monitor("api-health"), "utilization_pct") > 80', ['monitor:api-health'], null],
  ['metric(monitor("api-health"), "wait_count") > 0', ['monitor:api-health'], null],
  ['burn_rate(slo("checkout-availability"),"1h") > 14.4 and burn_rate(slo("checkout-availability"),"5m") > 14.4', ['slo:checkout-availability', 'slo:checkout-availability'], null],
  ['latency_ratio(monitor("inventory-api"), "5m") > 3', ['monitor:inventory-api'], null],
  ['down(monitors(tag="tier:1"))', [], 'monitors(tag="tier:1")'],
  ['p95(monitor("x"), "5m", region="us-east-1") > 500ms', ['monitor:x'], null],
  ['down(service("order-processing")) or p95(monitor("inventory-api"), "5m") > 2000', ['service:order-processing', 'monitor:inventory-api'], null],
  ['max(metric(monitor("api-health"), "utilization_pct"), "1m") > 80', ['monitor:api-health'], null],
  ['avg(metric(monitor("api-health"), "wait_count"), "5m") > 2 or avg(monitor("api-health"), "5m") > 1s', ['monitor:api-health', 'monitor:api-health'], null],
  ['not (up(monitor("a", service="checkout")) and uptime(monitor("a", service="checkout"), "1h") >= 99.9%)', ['monitor:a', 'monitor:a'], null],
  ['error_rate(services(team="fulfillment"), "5m") > 5% and not no_data(services(team="fulfillment"))', [], 'services(team="fulfillment")'],
  ['down(monitors(type="http", service="checkout", tag="tier:1"))', ['service:checkout'], 'monitors(service="checkout", tag="tier:1", type="http")'],
  ['budget_remaining(slo("checkout-availability")) < 25 or anomalous(monitor("inventory-api"))', ['slo:checkout-availability', 'monitor:inventory-api'], null],
  ['latency(monitor("x")) > 2s and latency(monitor("x")) < 10000', ['monitor:x', 'monitor:x'], null],
  ['unknown(service("a"))\n  or degraded(service("a"))', ['service:a', 'service:a'], null],
  ['p99(monitor("x"), "30d") != 1.5h', ['monitor:x'], null],
];

for (const [text, subjects, selector] of canonical) {
  test(`valid: ${text}`, () => {
    const result = analyzeAlertExpression(text);
    assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.problems));
    assert.deepEqual(result.expression.subjects.map((s) => `${s.kind}:${s.name}`), subjects);
    assert.equal(result.expression.selector?.text ?? null, selector);
    assert.equal(result.expression.instances, selector ? 'per_subject' : 'one');
  });
}

test('every function of the registry has an example that type-checks', () => {
  for (const name of functionNames) {
    const example = functions[name].example;
    assert.deepEqual(alertExpressionErrors(example), [], `${name}: ${example}`);
    assert.ok(example.includes(`${name}(`), `${name}'s example uses it`);
  }
});

test('a monitor named with service= carries the service, so same-named monitors of two services are told apart', () => {
  const result = analyzeAlertExpression('down(monitor("health", service="checkout"))');
  assert.ok(result.ok);
  assert.deepEqual(result.expression.subjects.map((s) => ({ kind: s.kind, name: s.name, service: s.service })), [{ kind: 'monitor', name: 'health', service: 'checkout' }]);
});

/** Every node of a tree with its span. */
function* nodes(node: ExpressionNode): Generator<ExpressionNode> {
  yield node;
  if (node.kind === 'logical' || node.kind === 'compare') {
    yield* nodes(node.left);
    yield* nodes(node.right);
  } else if (node.kind === 'not') yield* nodes(node.operand);
  else if (node.kind === 'call') for (const a of node.args) yield* nodes(a.value);
}

test('every node carries offset, line and column, and its span covers its own text', () => {
  const text = 'down(service("order-processing"))\n  or p95(service("inventory"), "5m") > 2000';
  const ast = parseAlertExpression(text);
  const all = [...nodes(ast)];
  assert.equal(all.length, 10);
  for (const n of all) {
    for (const p of [n.span.start, n.span.end]) assert.ok(p.offset >= 0 && p.line >= 1 && p.column >= 1);
  }
  const p95 = all.find((n) => n.kind === 'call' && n.name === 'p95')!;
  assert.deepEqual(p95.span.start, { offset: 39, line: 2, column: 6 });
  assert.equal(text.slice(p95.span.start.offset, p95.span.end.offset), 'p95(service("inventory"), "5m")');
  const number = all.find((n) => n.kind === 'number')!;
  assert.equal(text.slice(number.span.start.offset, number.span.end.offset), '2000');
  assert.deepEqual(number.span.start, { offset: 73, line: 2, column: 40 });
  assert.equal(ast.kind, 'logical');
});

test('precedence: not binds tighter than and, and tighter than or; comparisons bind tighter than not', () => {
  const ast = parseAlertExpression('not down(monitor("a")) or up(monitor("b")) and p95(monitor("c"), "5m") > 2');
  assert.equal(ast.kind, 'logical');
  if (ast.kind !== 'logical') return;
  assert.equal(ast.op, 'or');
  assert.equal(ast.left.kind, 'not');
  assert.equal(ast.right.kind, 'logical');
  const negated = parseAlertExpression('not p95(monitor("c"), "5m") > 2');
  assert.equal(negated.kind === 'not' && negated.operand.kind, 'compare');
});

test('windows: whole minutes, hours or days from 1m to 30d', () => {
  assert.deepEqual(parseWindow('5m'), { ok: true, minutes: 5 });
  assert.deepEqual(parseWindow('1h'), { ok: true, minutes: 60 });
  assert.deepEqual(parseWindow('30d'), { ok: true, minutes: 43200 });
  for (const bad of ['0m', '30s', '31d', '5', '1h30m', '5M', '', ' 5m']) assert.equal(parseWindow(bad).ok, false, bad);
});

// Bad inputs: [text, line, column, message]. Each is refused with one problem at that place.
const bad: Array<[string, number, number, RegExp]> = [
  ['this is not an expression', 1, 6, /expected .* but found "i"/],
  ['', 1, 1, /The expression is empty: write a condition, e\.g\. down\(service\("checkout"\)\)/],
  ['down(', 1, 6, /found the end of the expression\. A "\(" is never closed: add "\)"/],
  ['down(service("x")', 1, 18, /A "\(" is never closed/],
  ['down(service("x")))', 1, 19, /expected .* but found "\)"/],
  ['p95(monitor("x"), "5m") > 1 > 2', 1, 29, /Comparisons do not chain: join two comparisons with "and"/],
  ['p95(monitor("x"), "5m") = 2', 1, 25, /To compare, write "=="/],
  ['down(monitor("a")) && down(monitor("b"))', 1, 20, /Write "and" instead of "&&"/],
  ['down(monitor("a")) || down(monitor("b"))', 1, 20, /Write "or" instead of "\|\|"/],
  ['!down(monitor("a"))', 1, 1, /Write "not" instead of "!"/],
  ["down(service('x'))", 1, 14, /Strings use double quotes/],
  ['down(service("x))', 1, 14, /This string is never closed: end it with a double quote/],
  ['down(service("a\\x"))', 1, 16, /Unknown escape in a string/],
  ['p96(monitor("x"), "5m") > 1', 1, 1, /^line 1, column 1: Unknown function "p96"\. Did you mean p95 or p99\?/],
  ['dwon(service("x"))', 1, 1, /Unknown function "dwon"\. Did you mean down\?/],
  ['frobnicate(service("x"))', 1, 1, /Unknown function "frobnicate"\. The functions are listed in docs\/alert-language\.md/],
  ['p95(monitor("x")) > 1', 1, 1, /p95 takes a monitor, service or edge and a window like "5m".*\(2 arguments, not 1\)/],
  ['p95(monitor("x"), 5m) > 1', 1, 19, /second argument of p95 must be a window like "5m"; 5m is a duration\. Write the window as a string: "5m"/],
  ['p95("x", "5m") > 2', 1, 5, /first argument of p95 must be a monitor, service or edge; "x" is a string\. Wrap the name: monitor\("x"\)/],
  ['burn_rate(monitor("x"), "1h") > 2', 1, 11, /first argument of burn_rate must be an SLO; monitor\("x"\) is a monitor/],
  ['metric(service("a"), "x") > 1', 1, 8, /first argument of metric must be a monitor; service\("a"\) is a service/],
  ['max(monitor("a"), "1m") > 1', 1, 5, /first argument of max must be a metric/],
  ['p95(monitor("x"), "30s") > 1s', 1, 19, /"30s" is not a window: rollups are per minute, so the shortest window is "1m"/],
  ['p95(monitor("x"), "60d") > 1', 1, 19, /"60d" is longer than the longest window, "30d"/],
  ['p95(monitor("x"), "five") > 1', 1, 19, /"five" is not a window\. Windows are whole minutes, hours or days/],
  ['p95(monitor("x"), "5m")', 1, 1, /A rule must be true or false; p95\(monitor\("x"\), "5m"\) is a duration\. Compare it, e\.g\. p95\(monitor\("x"\), "5m"\) > 2s/],
  ['monitor("x")', 1, 1, /A rule must be true or false; monitor\("x"\) is a monitor\. Ask something about it, e\.g\. down\(monitor\("x"\)\)/],
  ['"checkout"', 1, 1, /A rule must be true or false; "checkout" is a string/],
  ['down(service("x")) > 3', 1, 1, /">" compares numbers, durations or percentages; down\(service\("x"\)\) is true or false\. It is already a condition/],
  ['p95(monitor("x"), "5m") > 5%', 1, 27, /is a duration and 5% is a percentage; they cannot be compared\. Write a duration such as 2s or 500ms instead of 5%/],
  ['latency_ratio(monitor("x"), "5m") > 2s', 1, 37, /is a number and 2s is a duration; they cannot be compared\. Write a plain number such as 2 instead of 2s/],
  ['error_rate(monitor("x"), "5m") > 1s', 1, 34, /is a percentage and 1s is a duration; .*Write a percentage such as 5% \(or 5\) instead of 1s/],
  ['p95(monitor("x"), "5m") > 5min', 1, 27, /Unknown unit "min" in 5min: use ms, s, m, h or d for durations/],
  ['down(inventory)', 1, 6, /"inventory" is not a value or function\. Names of monitors, services and SLOs are strings: write service\("inventory"\)/],
  ['down(p95)', 1, 6, /p95 is a function: call it, e\.g\. p95\(service\("inventory"\), "5m"\) > 2000/],
  ['down(true)', 1, 6, /The language has no true/],
  ['down(monitor("x")) and 5', 1, 24, /"and" takes conditions that are true or false; 5 is a number\.$/],
  ['not p95(monitor("x"), "5m")', 1, 5, /"not" takes conditions that are true or false; p95\(monitor\("x"\), "5m"\) is a duration/],
  ['p95(monitor("x"), "5m", regio="x") > 1', 1, 25, /p95 has no argument "regio"\. Did you mean region=\? It takes region=\./],
  ['burn_rate(slo("s"), "1h", region="us-east-1") > 1', 1, 27, /burn_rate has no argument "region"\. It takes no named arguments\./],
  ['p95(monitor("x"), "5m", region="US East") > 1', 1, 32, /"US East" is not a region name/],
  ['p95(monitor("x"), "5m", region=us) > 1', 1, 32, /region= takes a string, e\.g\. region="us-east-1"/],
  ['p95(monitor("x"), region="us-east-1", "5m") > 1', 1, 39, /Positional arguments come before named ones in p95\(…\): move "5m" before region="us-east-1"/],
  ['p95(monitor("x"), "5m", region="a", region="b") > 1', 1, 37, /region= is given twice in p95\(…\); give it once/],
  ['down(service("a b"))', 1, 14, /must be a service name as a string: "a b" is not a name/],
  ['metric(monitor("api-health"), "Utilization %") > 80', 1, 31, /must be a metric name as a string: "Utilization %" is not a metric name: 1 to 63 lower-case letters/],
  ['down(monitor(x))', 1, 14, /"x" is not a value or function/],
  ['down(monitors("x"))', 1, 6, /monitors takes named filters only \(tag=, service=, type=, team=\)/],
  ['down(monitors(tag="tier"))', 1, 19, /"tier" is not a tag filter: write "key:value", e\.g\. tag="tier:1"/],
  ['down(monitors(type="ftp"))', 1, 20, /"ftp" is not a check type; use one of "http", "tcp"/],
  ['down(services(kind="weird"))', 1, 20, /"weird" is not a service kind; use "internal" or "external"/],
  ['down(services(colour="red"))', 1, 15, /services has no argument "colour"\. It takes tag=, kind=, team=/],
  ['down(monitors(tag="a:1")) and up(services(tag="b:2"))', 1, 34, /A rule fans out over one selector .*uses monitors\(tag="a:1"\) and services\(tag="b:2"\)\. Use the same selector everywhere, or write two rules/],
  ['down(service("x"))\n  or p9(service("y"), "5m") > 1', 2, 6, /Unknown function "p9"\. Did you mean p95 or p99\?/],
  ['('.repeat(40) + 'down(service("x"))' + ')'.repeat(40), 1, 33, /nest more than 32 deep here; simplify the expression/],
  ['down(service("x")) or '.repeat(200) + 'down(service("x"))', 1, 4097, /at most 4096 are allowed/],
];

for (const [text, line, column, message] of bad) {
  test(`refused: ${JSON.stringify(text.length > 80 ? `${text.slice(0, 60)}…` : text)}`, () => {
    const errors = alertExpressionErrors(text);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    const [e] = errors;
    assert.equal(e!.pointer, '/expression');
    assert.deepEqual([e!.line, e!.column], [line, column], e!.message);
    assert.match(e!.message, new RegExp(`^line ${line}, column ${column}: `));
    assert.match(e!.message, message);
  });
}

test('independent type errors are all reported, each at its own place', () => {
  const errors = alertExpressionErrors('p96(monitor("x"), "5m") > 1 or p95(monitor("y"), "30s") > 1s');
  assert.deepEqual(errors.map((e) => e.column), [1, 50]);
});
