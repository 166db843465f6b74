// The syntax tree of an alert expression, as the generated parser builds it (alert-expression.peggy).
// Every node carries the span of source text it was parsed from.

/** A place in the expression text: 0-based offset, 1-based line and column. */
export interface Position {
  offset: number;
  line: number;
  column: number;
}

/** The source text a node covers, from start (inclusive) to end (exclusive). */
export interface Span {
  start: Position;
  end: Position;
}

export type ComparisonOperator = '>' | '>=' | '<' | '<=' | '==' | '!=';

/** `a and b`, `a or b` (left-associative). */
export interface LogicalNode {
  kind: 'logical';
  op: 'and' | 'or';
  left: ExpressionNode;
  right: ExpressionNode;
  span: Span;
}

/** `not a`. */
export interface NotNode {
  kind: 'not';
  operand: ExpressionNode;
  span: Span;
}

/** `a > b` and the other comparisons; they do not chain (`a > b > c` does not parse). */
export interface CompareNode {
  kind: 'compare';
  op: ComparisonOperator;
  left: ExpressionNode;
  right: ExpressionNode;
  span: Span;
}

/** `f(a, b, name="x")`. */
export interface CallNode {
  kind: 'call';
  name: string;
  nameSpan: Span;
  args: ArgumentNode[];
  span: Span;
}

export interface PositionalArgument {
  kind: 'positional';
  value: ExpressionNode;
  span: Span;
}

export interface NamedArgument {
  kind: 'named';
  name: string;
  nameSpan: Span;
  value: ExpressionNode;
  span: Span;
}

export type ArgumentNode = PositionalArgument | NamedArgument;

/** `2000`, `2s`, `500ms`, `80%`; `unit` is whatever letters followed the digits (the checker judges them). */
export interface NumberNode {
  kind: 'number';
  value: number;
  unit: string | null;
  text: string;
  span: Span;
}

/** `"order-processing"` (escapes: \" and \\). */
export interface StringNode {
  kind: 'string';
  value: string;
  span: Span;
}

/** A bare name that is not a call, e.g. `inventory` where `service("inventory")` was meant. */
export interface IdentifierNode {
  kind: 'identifier';
  name: string;
  span: Span;
}

export type ExpressionNode = LogicalNode | NotNode | CompareNode | CallNode | NumberNode | StringNode | IdentifierNode;
