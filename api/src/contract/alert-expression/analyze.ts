import type { FieldError } from '../errors.ts';
import type { ExpressionNode } from './ast.ts';
import { AlertExpressionError, describeProblem, type ExpressionProblem } from './expression-error.ts';
import { parseAlertExpression } from './parser.ts';
import { typecheck, type SelectorReference, type SubjectReference } from './typecheck.ts';

/** A valid rule expression: its tree, what it names, and whether it fans out over a selector. */
export interface AnalyzedExpression {
  ast: ExpressionNode;
  /** Subjects named one by one, each with its span (for name resolution and the 409 on delete). */
  subjects: SubjectReference[];
  /** The selector the rule fans out over; null when the rule has one alert instance. */
  selector: SelectorReference | null;
  /** "one": one alert instance; "per_subject": one per subject the selector matches. */
  instances: 'one' | 'per_subject';
}

export type AnalysisResult = { ok: true; expression: AnalyzedExpression } | { ok: false; problems: ExpressionProblem[] };

/** Parses and type-checks an alert expression; never throws for bad text. */
export function analyzeAlertExpression(text: string): AnalysisResult {
  let ast: ExpressionNode;
  try {
    ast = parseAlertExpression(text);
  } catch (error) {
    if (error instanceof AlertExpressionError) return { ok: false, problems: [...error.problems] };
    throw error;
  }
  const checked = typecheck(ast, text);
  if (checked.problems.length) return { ok: false, problems: checked.problems };
  return { ok: true, expression: { ast, subjects: checked.subjects, selector: checked.selector, instances: checked.selector ? 'per_subject' : 'one' } };
}

/** The names a valid expression references, grouped for resolution; throws AlertExpressionError for an invalid one. */
export function ruleReferences(text: string): { subjects: SubjectReference[]; selector: SelectorReference | null } {
  const result = analyzeAlertExpression(text);
  if (!result.ok) throw new AlertExpressionError(result.problems as [ExpressionProblem, ...ExpressionProblem[]]);
  return { subjects: result.expression.subjects, selector: result.expression.selector };
}

/** One problem of an expression as a field error at `pointer`, with its line and column. */
export const problemFieldError = (p: ExpressionProblem, pointer = '/expression'): FieldError => ({ pointer, message: describeProblem(p), line: p.span.start.line, column: p.span.start.column });

/** Field errors of an expression at `pointer` (default /expression), each with its line and column. */
export function alertExpressionErrors(text: string, pointer = '/expression'): FieldError[] {
  const result = analyzeAlertExpression(text);
  if (result.ok) return [];
  return result.problems.map((p) => problemFieldError(p, pointer));
}
