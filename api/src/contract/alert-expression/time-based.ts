import type { ExpressionNode } from './ast.ts';
import { lookupFunction, type Family } from './functions.ts';

/** Function families whose value moves with time alone (a window slides, a metric ages, a baseline learns). */
const timeFamilies: ReadonlySet<Family> = new Set(['window', 'metric', 'anomaly', 'slo']);

/**
 * Whether an expression's value can change without any state changing: it uses a window, a health
 * metric, an anomaly baseline or an SLO figure. Rules over states only change with state
 * transitions, which reach the evaluator as events.
 */
export function isTimeBased(node: ExpressionNode): boolean {
  switch (node.kind) {
    case 'logical':
    case 'compare':
      return isTimeBased(node.left) || isTimeBased(node.right);
    case 'not':
      return isTimeBased(node.operand);
    case 'call': {
      const family = lookupFunction(node.name)?.family;
      return (family !== undefined && timeFamilies.has(family)) || node.args.some((a) => isTimeBased(a.value));
    }
    default:
      return false;
  }
}
