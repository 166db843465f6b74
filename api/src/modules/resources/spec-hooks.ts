import type { FieldError } from '../../contract/errors.ts';
import { compileSafeRegex } from '../../contract/safe-regex.ts';

/** Field error when `doc[field]` names a regular expression that does not compile. */
export function regexFieldError(pattern: string, pointer: string): FieldError | undefined {
  const compiled = compileSafeRegex(`^(?:${pattern})$`);
  return compiled.ok ? undefined : { pointer, message: `Not a valid RE2 regular expression: ${compiled.error}.` };
}

/**
 * Errors for a document whose `type` selects exactly one sibling configuration object
 * (channels: type "slack" needs "slack" and no other type's object).
 */
export function siblingErrors(doc: Record<string, unknown>, types: readonly string[], noun: string): FieldError[] {
  const type = String(doc.type);
  const errors: FieldError[] = [];
  if (doc[type] === undefined) errors.push({ pointer: `/${type}`, message: `A "${type}" ${noun} needs its "${type}" configuration block.` });
  for (const other of types) {
    if (other !== type && doc[other] !== undefined) errors.push({ pointer: `/${other}`, message: `"${other}" belongs to type "${other}"; remove it or set type = "${other}".` });
  }
  return errors;
}
