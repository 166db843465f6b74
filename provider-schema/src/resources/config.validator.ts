import { BigDecimal, DynamicValue, isObjectValue, isUnknown, type ObjectValue, type Value } from '../codec/value.model.ts';
import { pointerToPath } from '../client/json-pointer.mapper.ts';
import type { Diagnostics } from '../engine/diagnostics.model.ts';
import type { CtyType } from '../codec/cty-type.model.ts';
import type { BlockJson } from '../schema/schema-document.model.ts';
import { deepWithoutNulls, emptyBlockListsAsNull } from './rest.resource.ts';
import type { FieldNameMap } from './field-names.map.ts';
import type { PharosResourceName } from './pharos.registry.ts';

const unknownMark = '\u0000unknown\u0000';

export interface ConfigValidatorOptions {
  readonly typeName: PharosResourceName;
  readonly fields: FieldNameMap;
  /** Wire type of the resource, so pointers map exactly to attribute paths. */
  readonly type: () => CtyType;
  readonly block: BlockJson;
  /** Attributes that are URL parts, not body fields. */
  readonly pathFields?: readonly string[];
}

/**
 * Validates a resource configuration at `terraform validate` / `plan` with the API's own
 * contract (JSON Schema + pure rules), so a bad URL or a timeout above the interval fails
 * before anything is applied, with the attribute path of the offending line. Values not
 * known yet (ids of resources to be created) are left out, and errors about them dropped.
 */
export function contractValidator(opts: ConfigValidatorOptions): (config: ObjectValue, diagnostics: Diagnostics) => Promise<void> {
  return async (config, diagnostics) => {
    const values = emptyBlockListsAsNull(opts.block, toJsonMarked(config) as Record<string, unknown>);
    for (const name of opts.pathFields ?? []) delete values[name];
    const doc = deepWithoutNulls(opts.fields.toRest(values)) as Record<string, unknown>;
    const unknownPointers: string[] = [];
    const known = dropMarked(doc, '', unknownPointers) as Record<string, unknown>;
    // Cross-field rules need the fields they compare; unknown references (ids) do not matter to them.
    const rulesAllowed = unknownPointers.every((p) => /^\/[a-z_]+_ids?$/.test(p));
    const { contractErrors } = await import('./contract.validation.ts');
    const under = (pointer: string, base: string) => pointer === base || pointer.startsWith(`${base}/`);
    const ignore = (pointer: string) => unknownPointers.some((u) => under(pointer, u));
    for (const e of contractErrors(opts.typeName, known, { rulesAllowed, ignore })) {
      const path = pointerToPath(opts.fields.pointerToTerraform(e.pointer), opts.type());
      const summary = `Invalid ${opts.typeName}`;
      if (path.length > 0) diagnostics.error(summary, e.message, path);
      else diagnostics.error(summary, e.message);
    }
  };
}

function toJsonMarked(value: Value): unknown {
  if (isUnknown(value)) return unknownMark;
  if (value instanceof BigDecimal) return Number(value.text);
  if (value instanceof DynamicValue) return toJsonMarked(value.value);
  if (Array.isArray(value)) return value.map(toJsonMarked);
  if (isObjectValue(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJsonMarked(v);
    return out;
  }
  return value;
}

/** Removes unknown marks (object fields deleted, list elements nulled to keep indexes), recording their pointers. */
function dropMarked(value: unknown, pointer: string, found: string[]): unknown {
  if (value === unknownMark) {
    found.push(pointer);
    return undefined;
  }
  if (Array.isArray(value)) return value.map((el, i) => dropMarked(el, `${pointer}/${i}`, found) ?? null);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const kept = dropMarked(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, found);
    if (kept !== undefined) out[k] = kept;
  }
  return out;
}
