// Label and field selectors as kube-apiserver parses them (k8s.io/apimachinery/pkg/labels and
// pkg/fields): requirements joined by commas, a comma inside `in (…)`/`notin (…)` belongs to the set.

/** A selector string the server rejects; answered 400 BadRequest like the real server. */
export class SelectorError extends Error {}

type LabelRequirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export type Labels = Record<string, string> | undefined;
export type LabelSelector = (labels: Labels) => boolean;
export type FieldSelector = (object: unknown) => boolean;

const keyPattern = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const valuePattern = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/** Splits on commas outside parentheses. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim());
}

function checkKey(key: string, requirement: string): string {
  if (!keyPattern.test(key)) throw new SelectorError(`unable to parse requirement: invalid label key "${key}" in "${requirement}": name part must consist of alphanumeric characters, '-', '_' or '.'`);
  return key;
}

function checkValue(value: string, requirement: string): string {
  if (!valuePattern.test(value)) throw new SelectorError(`unable to parse requirement: invalid label value "${value}" in "${requirement}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'`);
  return value;
}

function parseLabelRequirement(text: string): LabelRequirement {
  const set = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(text);
  if (set) {
    const values = set[3]!.split(',').map((v) => checkValue(v.trim(), text));
    return { key: checkKey(set[1]!, text), op: set[2] as 'in' | 'notin', values };
  }
  const cmp = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(text);
  if (cmp) return { key: checkKey(cmp[1]!, text), op: cmp[2] === '!=' ? 'neq' : 'eq', value: checkValue(cmp[3]!, text) };
  if (text.startsWith('!')) return { key: checkKey(text.slice(1).trim(), text), op: 'notexists' };
  if (/^\S+$/.test(text)) return { key: checkKey(text, text), op: 'exists' };
  throw new SelectorError(`unable to parse requirement: found '${text}', expected: '=', '!=', '==', 'in', notin'`);
}

function matchesRequirement(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  switch (r.op) {
    case 'eq':
      return has && value === r.value;
    case 'neq':
      return !has || value !== r.value;
    case 'in':
      return has && r.values.includes(value!);
    case 'notin':
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case 'notexists':
      return !has;
  }
}

/** Parses a labelSelector query value; an empty selector matches everything. */
export function parseLabelSelector(selector: string | null): LabelSelector {
  if (!selector || !selector.trim()) return () => true;
  const requirements = splitRequirements(selector).map((text) => {
    if (!text) throw new SelectorError(`unable to parse requirement: found '', expected: identifier in "${selector}"`);
    return parseLabelRequirement(text);
  });
  return (labels) => requirements.every((r) => matchesRequirement(r, labels ?? {}));
}

function fieldValue(object: unknown, path: string): string {
  let current: unknown = object;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[part];
  }
  return current === undefined || current === null ? '' : String(current);
}

/** Parses a fieldSelector query value against the fields a resource supports. */
export function parseFieldSelector(selector: string | null, supported: readonly string[]): FieldSelector {
  if (!selector || !selector.trim()) return () => true;
  const terms = splitRequirements(selector).map((text) => {
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(text);
    if (!m) throw new SelectorError(`invalid selector: '${selector}'; can't understand '${text}'`);
    const field = m[1]!;
    if (!supported.includes(field)) throw new SelectorError(`field label not supported: ${field}`);
    return { field, negate: m[2] === '!=', value: m[3]!.trim() };
  });
  return (object) => terms.every((t) => (fieldValue(object, t.field) === t.value) !== t.negate);
}
