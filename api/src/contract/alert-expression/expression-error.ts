import type { Span } from './ast.ts';

/** One thing wrong with an expression: where, and what to write instead. */
export interface ExpressionProblem {
  /** "syntax" when the text does not parse, "type" when it parses but does not make sense. */
  stage: 'syntax' | 'type';
  message: string;
  span: Span;
}

/** The only error the parser throws: the text is not an alert expression. */
export class AlertExpressionError extends Error {
  readonly code = 'alert_expression_invalid';
  constructor(readonly problems: readonly [ExpressionProblem, ...ExpressionProblem[]]) {
    super(problems.map(describeProblem).join(' '));
    this.name = 'AlertExpressionError';
  }
}

/** "line 1, column 12: <message>". */
export function describeProblem(problem: ExpressionProblem): string {
  return `line ${problem.span.start.line}, column ${problem.span.start.column}: ${problem.message}`;
}
