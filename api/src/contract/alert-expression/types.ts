import type { SubjectKind } from './subject-kinds.ts';

/**
 * Quantities a comparison can hold. A bare number literal (`2000`) takes the unit of the other
 * side: milliseconds next to a duration, percentage points next to a percentage.
 */
export type Quantity = 'number' | 'duration' | 'percent';

/** The type of an expression node. */
export type ExpressionType =
  | { t: 'bool' }
  | { t: 'quantity'; unit: Quantity; bare?: boolean }
  | { t: 'string' }
  /** A health metric's series (`metric(...)`); compares as its last value, aggregates over windows. */
  | { t: 'series' }
  /** One subject (`monitor("x")`) or, with many, a selector's subjects (`monitors(tag="tier:1")`). */
  | { t: 'subject'; kind: SubjectKind; many: boolean };

export const bool: ExpressionType = { t: 'bool' };
export const quantity = (unit: Quantity): ExpressionType => ({ t: 'quantity', unit });

const quantityWords: Record<Quantity, string> = { number: 'a number', duration: 'a duration', percent: 'a percentage' };

/** The type in words, for messages: "true or false", "a duration", "a monitor", "many services". */
export function describeType(type: ExpressionType): string {
  switch (type.t) {
    case 'bool':
      return 'true or false';
    case 'quantity':
      return type.bare ? 'a number' : quantityWords[type.unit];
    case 'string':
      return 'a string';
    case 'series':
      return 'a metric series';
    case 'subject':
      return type.many ? `many ${type.kind === 'slo' ? 'SLOs' : `${type.kind}s`}` : type.kind === 'slo' ? 'an SLO' : type.kind === 'edge' ? 'an edge' : `a ${type.kind}`;
  }
}
