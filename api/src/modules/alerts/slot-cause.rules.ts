import { analyzeAlertExpression, type ExpressionNode } from '../../contract/alert-expression/index.ts';
import type { Db } from '../../db/database.ts';
import type { AlertInstanceRepository } from './alert-instance.repository.ts';

// Which rules a slot's cause change (slot.cause_changed: a slot that stays unknown, now for no runner,
// no data or neither) can change. The cause is read by no_data(…) alone: every other function sees
// the same unknown state whatever its cause. Placing a fleet writes one such event per slot (20,000
// for 10,000 monitors in two regions); re-evaluating every rule over those monitors for each of them
// kept the evaluator minutes behind the state changes a page waits for.

/** Functions whose value depends on why a slot is unknown. */
const causeReaders: ReadonlySet<string> = new Set(['no_data']);

/** Whether an expression calls a function that reads a slot's cause. */
export function readsSlotCause(node: ExpressionNode): boolean {
  switch (node.kind) {
    case 'logical':
    case 'compare':
      return readsSlotCause(node.left) || readsSlotCause(node.right);
    case 'not':
      return readsSlotCause(node.operand);
    case 'call':
      return causeReaders.has(node.name) || node.args.some((a) => readsSlotCause(a.value));
    default:
      return false;
  }
}

/**
 * Per expression text, whether it reads a slot's cause; an expression that does not analyze counts
 * as reading it (its evaluation records the error, as it would have). Bounded like the evaluator's cache.
 */
export class SlotCauseReaders {
  private readonly memo = new Map<string, boolean>();

  reads(expression: string): boolean {
    let answer = this.memo.get(expression);
    if (answer === undefined) {
      const analyzed = analyzeAlertExpression(expression);
      answer = !analyzed.ok || readsSlotCause(analyzed.expression.ast);
      if (this.memo.size >= 10_000) this.memo.clear();
      this.memo.set(expression, answer);
    }
    return answer;
  }

  /**
   * Of the rules that name one of the monitors or select over monitors, those that read a slot's
   * cause: rules that name them (evaluated whole) and selector rules (evaluated for those monitors).
   * Three queries whatever the number of monitors.
   */
  async rulesFor(trx: Db, orgId: string, instances: AlertInstanceRepository, monitors: ReadonlyArray<{ type: 'monitor'; id: string }>): Promise<{ naming: string[]; selecting: string[] }> {
    if (monitors.length === 0) return { naming: [], selecting: [] };
    const [naming, selecting] = [await instances.rulesNaming(trx, orgId, monitors), await instances.rulesSelecting(trx, orgId, ['monitor'])];
    if (naming.length === 0 && selecting.length === 0) return { naming, selecting };
    const expressions = await instances.ruleExpressions(trx, orgId, [...new Set([...naming, ...selecting])]);
    const reading = (id: string) => {
      const text = expressions.get(id);
      return text !== undefined && this.reads(text);
    };
    return { naming: naming.filter(reading), selecting: selecting.filter(reading) };
  }
}
