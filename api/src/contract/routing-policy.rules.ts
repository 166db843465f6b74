import type { RoutingPolicyInput } from './alerting.schema.ts';
import type { FieldError } from './errors.ts';
import { matcherErrors, scopeErrors } from './matcher.rules.ts';

const zero = /^(0+(ms|s|m|h|d))+$/;

/** Cross-field errors of a routing policy document (the API checks them on write, the provider at plan). */
export function routingPolicyErrors(doc: Partial<RoutingPolicyInput>): FieldError[] {
  const errors: FieldError[] = [...scopeErrors(doc, 'routing policy'), ...matcherErrors(doc.matchers)];
  for (const field of ['group_interval', 'repeat_interval'] as const) {
    const value = doc[field];
    if (value !== undefined && zero.test(value)) errors.push({ pointer: `/${field}`, message: `${field} must be longer than zero, e.g. "5m".` });
  }
  const groupBy = doc.group_by ?? [];
  if (groupBy.includes('...') && groupBy.length > 1) errors.push({ pointer: '/group_by', message: '"..." groups by every label; list it alone, or list the labels without it.' });
  return errors;
}
