import type { FieldError } from './errors.ts';

/**
 * Alert rule message templates: text with `{{variable}}` tags, nothing else. The engine is
 * logic-less on purpose (no sections, partials, helpers or expressions): a template can only copy
 * values of the alert into the text, so a rule author cannot run code or loop in the notifier, and
 * every mistake is found when the rule is written (with its line and column), not at page time.
 * Written here rather than taken from mustache because Pharos needs exactly this subset, errors
 * with positions for a plan-time diagnostic, and a closed set of variable names; mustache's
 * sections, partials and lambdas would each have to be found and refused.
 */

/** Variables a message may use; `labels.<key>` reads one label of the alert. */
export const templateVariables = ['labels', 'value', 'runbook_url', 'severity', 'alertname', 'state', 'starts_at'] as const;
export type TemplateVariable = (typeof templateVariables)[number];

/** Values a template is rendered with. */
export interface MessageVars {
  labels: Readonly<Record<string, string>>;
  value: number | null;
  runbook_url: string | null;
  severity: string;
  alertname: string;
  state: string;
  starts_at: string | null;
}

export interface TemplatePosition {
  /** 0-based offset into the template text. */
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units as JavaScript counts them. */
  column: number;
}

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'variable'; root: TemplateVariable; key: string | null; at: TemplatePosition };

export interface TemplateProblem {
  message: string;
  at: TemplatePosition;
}

export type ParsedTemplate = { ok: true; parts: TemplatePart[] } | { ok: false; problems: TemplateProblem[] };

const labelKeyPattern = /^[A-Za-z0-9_.:/-]{1,63}$/;
const isVariable = (name: string): name is TemplateVariable => (templateVariables as readonly string[]).includes(name);
const variableList = templateVariables.map((v) => (v === 'labels' ? '{{labels.<key>}}' : `{{${v}}}`)).join(', ');

function positionOf(text: string, offset: number): TemplatePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { offset, line, column: offset - lineStart + 1 };
}

/** What a tag's inner text names, or why it names nothing. */
function readTag(inner: string): { root: TemplateVariable; key: string | null } | string {
  const name = inner.trim();
  if (name === '') return `An empty tag "{{}}" names no variable; use one of ${variableList}.`;
  const dot = name.indexOf('.');
  const root = dot === -1 ? name : name.slice(0, dot);
  const key = dot === -1 ? null : name.slice(dot + 1);
  if (!isVariable(root)) return `Unknown variable "${root}" in "{{${name}}}"; use one of ${variableList}.`;
  if (root === 'labels') {
    if (key === null || key === '') return `"{{${name}}}" needs a label key, e.g. {{labels.service}}.`;
    if (!labelKeyPattern.test(key)) return `"${key}" in "{{${name}}}" is not a label key: keys are 1 to 63 letters, digits and "_ . : / -".`;
    return { root, key };
  }
  if (key !== null) return `"{{${name}}}": ${root} has no fields; write {{${root}}}.`;
  return { root, key: null };
}

/** Parses a template into text and variable parts, or lists every problem with its position. */
export function parseMessageTemplate(text: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  const problems: TemplateProblem[] = [];
  let cursor = 0;
  while (cursor < text.length) {
    const open = text.indexOf('{{', cursor);
    if (open === -1) break;
    if (open > cursor) parts.push({ kind: 'text', text: text.slice(cursor, open) });
    const close = text.indexOf('}}', open + 2);
    const nextOpen = text.indexOf('{{', open + 2);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      problems.push({ message: 'This "{{" is never closed; end the tag with "}}".', at: positionOf(text, open) });
      cursor = close === -1 ? text.length : nextOpen;
      continue;
    }
    const tag = readTag(text.slice(open + 2, close));
    const at = positionOf(text, open);
    if (typeof tag === 'string') problems.push({ message: tag, at });
    else parts.push({ kind: 'variable', root: tag.root, key: tag.key, at });
    cursor = close + 2;
  }
  if (cursor < text.length) parts.push({ kind: 'text', text: text.slice(cursor) });
  return problems.length ? { ok: false, problems } : { ok: true, parts };
}

/** Field errors of a template (empty when it is valid), with line and column, for a 422 or a plan diagnostic. */
export function messageTemplateErrors(text: string, pointer = '/message'): FieldError[] {
  const parsed = parseMessageTemplate(text);
  if (parsed.ok) return [];
  return parsed.problems.map((p) => ({ pointer, message: `line ${p.at.line}, column ${p.at.column}: ${p.message}`, line: p.at.line, column: p.at.column }));
}

/** A measured value as a message shows it: integers as they are, others with at most 3 decimals. */
export function formatValue(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '';
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
}

function valueOf(part: Extract<TemplatePart, { kind: 'variable' }>, vars: MessageVars): string {
  switch (part.root) {
    case 'labels':
      return vars.labels[part.key ?? ''] ?? '';
    case 'value':
      return formatValue(vars.value);
    case 'runbook_url':
      return vars.runbook_url ?? '';
    case 'starts_at':
      return vars.starts_at ?? '';
    default:
      return vars[part.root];
  }
}

/**
 * Renders a template; a missing label renders empty. Never throws: a template that does not parse
 * (stored before validation existed) is returned as written, so a page still goes out.
 */
export function renderMessage(template: string, vars: MessageVars): string {
  const parsed = parseMessageTemplate(template);
  if (!parsed.ok) return template;
  return parsed.parts.map((part) => (part.kind === 'text' ? part.text : valueOf(part, vars))).join('');
}
