import type { ExpressionNode, Position, Span } from './ast.ts';
import { AlertExpressionError } from './expression-error.ts';
import { parse as generatedParse, SyntaxError as GeneratedSyntaxError } from './alert-expression.parser.generated.ts';

/** Longest expression accepted (the contract's maxLength of `expression`). */
export const maxExpressionLength = 4096;
/** Deepest nesting of parentheses and calls; deeper text is refused before parsing (recursion depth). */
export const maxNesting = 32;

interface Expectation {
  type: 'literal' | 'class' | 'any' | 'end' | 'other';
  text?: string;
  description?: string;
}

interface GeneratedError {
  message: string;
  expected: Expectation[] | null;
  found: string | null;
  location: { start: Position; end: Position };
}

/** The position of `offset` in `text` (1-based line and column). */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      column = 1;
    } else column++;
  }
  return { offset, line, column };
}

const spanAt = (text: string, offset: number, length = 1): Span => ({ start: positionAt(text, offset), end: positionAt(text, Math.min(text.length, offset + length)) });

/** The first place where parentheses nest deeper than the limit, outside string literals. */
function tooDeep(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '(') {
      if (++depth > maxNesting) return i;
    } else if (c === ')') depth = Math.max(0, depth - 1);
  }
  return undefined;
}

function describeExpectation(e: Expectation): string | undefined {
  if (e.type === 'literal') return `"${e.text}"`;
  if (e.type === 'end') return 'the end of the expression';
  if (e.type === 'other') return e.description === 'whitespace' ? undefined : e.description;
  return undefined;
}

function orList(items: string[]): string {
  if (items.length <= 1) return items[0] ?? 'something else';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** A peggy failure in words: what was found, what could stand there, and a hint for common slips. */
function syntaxMessage(text: string, error: GeneratedError): string {
  const expected = [...new Set((error.expected ?? []).map(describeExpectation).filter((d): d is string => d !== undefined))];
  if (error.expected === null) return error.message; // raised by the grammar's own error() with a tailored message
  const found = error.found === null ? 'the end of the expression' : `"${error.found}"`;
  const at = error.location.start.offset;
  const rest = text.slice(at);
  let hint = '';
  if (text.trim() === '') return 'The expression is empty: write a condition, e.g. down(service("checkout")).';
  if (error.found === null && expected.includes('")"')) hint = ' A "(" is never closed: add ")".';
  else if (/^=[^=]/.test(rest) && expected.some((e) => e.startsWith('comparison'))) hint = ' To compare, write "==".';
  else if (/^(&&|\|\|)/.test(rest)) hint = ` Write "${rest.startsWith('&&') ? 'and' : 'or'}" instead of "${rest.slice(0, 2)}".`;
  else if (/^!/.test(rest)) hint = ' Write "not" instead of "!".';
  else if (/^[<>]/.test(rest)) hint = ' Comparisons do not chain: join two comparisons with "and".';
  return `expected ${orList(expected)} but found ${found}.${hint}`;
}

/**
 * Parses an alert expression into its syntax tree. Throws AlertExpressionError (and nothing else)
 * when the text does not parse; the problem's span says where.
 */
export function parseAlertExpression(text: string): ExpressionNode {
  if (text.length > maxExpressionLength) {
    throw new AlertExpressionError([{ stage: 'syntax', message: `The expression is ${text.length} characters long; at most ${maxExpressionLength} are allowed. Split it into several rules.`, span: spanAt(text, maxExpressionLength) }]);
  }
  const deep = tooDeep(text);
  if (deep !== undefined) {
    throw new AlertExpressionError([{ stage: 'syntax', message: `Parentheses and calls nest more than ${maxNesting} deep here; simplify the expression.`, span: spanAt(text, deep) }]);
  }
  try {
    return generatedParse(text, {}) as ExpressionNode;
  } catch (error) {
    if (error instanceof GeneratedSyntaxError) {
      const e = error as unknown as GeneratedError;
      const span = { start: e.location.start, end: e.location.end };
      throw new AlertExpressionError([{ stage: 'syntax', message: syntaxMessage(text, e), span }]);
    }
    // `not not not …` without parentheses can still recurse deeply; report it like deep nesting.
    if (error instanceof RangeError) {
      throw new AlertExpressionError([{ stage: 'syntax', message: 'The expression nests too deeply to parse; simplify it.', span: spanAt(text, 0) }]);
    }
    throw error;
  }
}
