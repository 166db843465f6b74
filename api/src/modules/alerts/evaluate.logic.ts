// Pure three-valued logic for alert expressions: and / or / not and comparisons over values that may
// be missing (no_data) or failed (error). No I/O and no knowledge of the parser's AST, so any
// evaluator can call it node by node. Table-tested in api/test/evaluate-logic.test.ts.
//
// The logic is Kleene's strong three-valued logic with two flavours of "unknown":
// - a known operand decides an `and` / `or` on its own (`false and ?` is false, `true or ?` is true),
//   whatever the other operand is, no_data and error included;
// - otherwise the result is unknown: error when either operand is an error (an error must surface on
//   the rule's status rather than hide behind missing data), no_data otherwise;
// - `not no_data` stays no_data (as Datadog composites keep `!NoData` NoData); `not error` is error;
// - a comparison with an unknown operand is unknown (no_data, or error if either is an error).
// A type mismatch (a number where a boolean is expected, or the reverse) is an error value, not a
// throw: the type checker rules it out before a rule is stored, so reaching it means a bug, and the
// rule's status should say so instead of the evaluation crashing.

/** Why a value is missing: nothing was measured in the window, an input's state is unknown, or an anomaly baseline is still learning. */
export type NoDataReason = 'no_data' | 'unknown_input' | 'warming_up';

export type EvalValue =
  | { kind: 'bool'; value: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'no_data'; reason: NoDataReason }
  | { kind: 'error'; message: string };

/** The outcome of a whole rule condition, as the alert instance machine consumes it. */
export type Outcome = 'true' | 'false' | 'no_data' | 'error';

export const comparisonOperators = ['>', '>=', '<', '<=', '==', '!='] as const;
export type ComparisonOperator = (typeof comparisonOperators)[number];

/** A boolean value. */
export const bool = (value: boolean): EvalValue => ({ kind: 'bool', value });
/** A number; a non-finite one (NaN, ±Infinity) becomes an error, so no comparison ever sees it. */
export const num = (value: number): EvalValue => (Number.isFinite(value) ? { kind: 'number', value } : { kind: 'error', message: `the value ${value} is not a finite number` });
/** A missing value and why it is missing. */
export const noData = (reason: NoDataReason = 'no_data'): EvalValue => ({ kind: 'no_data', reason });
/** A failed evaluation and what failed. */
export const evalError = (message: string): EvalValue => ({ kind: 'error', message });

const isUnknown = (v: EvalValue) => v.kind === 'no_data' || v.kind === 'error';

function expectBool(v: EvalValue, where: string): EvalValue {
  return v.kind === 'number' ? evalError(`${where} expects a boolean but got the number ${v.value}`) : v;
}

/** The unknown of two unknown-or-known operands: the first error, else the first no_data. */
function unknownOf(a: EvalValue, b: EvalValue): EvalValue {
  if (a.kind === 'error') return a;
  if (b.kind === 'error') return b;
  return a.kind === 'no_data' ? a : b;
}

/** `a and b`: false when either is false, true when both are true, otherwise error or no_data. */
export function and(left: EvalValue, right: EvalValue): EvalValue {
  const a = expectBool(left, 'and');
  const b = expectBool(right, 'and');
  if ((a.kind === 'bool' && !a.value) || (b.kind === 'bool' && !b.value)) return bool(false);
  if (a.kind === 'bool' && b.kind === 'bool') return bool(true);
  return unknownOf(a, b);
}

/** `a or b`: true when either is true, false when both are false, otherwise error or no_data. */
export function or(left: EvalValue, right: EvalValue): EvalValue {
  const a = expectBool(left, 'or');
  const b = expectBool(right, 'or');
  if ((a.kind === 'bool' && a.value) || (b.kind === 'bool' && b.value)) return bool(true);
  if (a.kind === 'bool' && b.kind === 'bool') return bool(false);
  return unknownOf(a, b);
}

/** `not a`: the negation of a boolean; no_data and error pass through. */
export function not(operand: EvalValue): EvalValue {
  const a = expectBool(operand, 'not');
  return a.kind === 'bool' ? bool(!a.value) : a;
}

/** `a <op> b` over numbers; unknown operands give unknown, a boolean operand is an error. */
export function compare(op: ComparisonOperator, left: EvalValue, right: EvalValue): EvalValue {
  if (isUnknown(left) || isUnknown(right)) return unknownOf(left, right);
  if (left.kind !== 'number' || right.kind !== 'number') return evalError(`${op} compares numbers but got a ${left.kind === 'number' ? right.kind : left.kind}`);
  const a = left.value;
  const b = right.value;
  switch (op) {
    case '>':
      return bool(a > b);
    case '>=':
      return bool(a >= b);
    case '<':
      return bool(a < b);
    case '<=':
      return bool(a <= b);
    case '==':
      return bool(a === b);
    case '!=':
      return bool(a !== b);
  }
}

/** The outcome of a rule condition from its value; a number as a whole condition is an error. */
export function outcomeOf(value: EvalValue): Outcome {
  switch (value.kind) {
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'no_data':
      return 'no_data';
    case 'error':
    case 'number':
      return 'error';
  }
}

/** `and` over any number of operands (true for none), with the same short-circuit rules. */
export const all = (values: readonly EvalValue[]): EvalValue => values.reduce(and, bool(true));
/** `or` over any number of operands (false for none), with the same short-circuit rules. */
export const any = (values: readonly EvalValue[]): EvalValue => values.reduce(or, bool(false));
