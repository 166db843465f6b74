import { fromJson } from '../codec/json-state.codec.ts';
import { isObjectValue, isUnknown, type ObjectValue, type Value } from '../codec/value.model.ts';
import { blockType } from '../schema/block-type.mapper.ts';
import type { BlockJson } from '../schema/schema-document.model.ts';
import type { AttributePath } from './attribute-path.model.ts';

/**
 * Makes a value a complete block value: every attribute and nested block present (Terraform
 * rejects objects with missing keys), null collections of nested blocks as empty collections
 * (Terraform never has null list/set/map blocks), write-only attributes null (never stored).
 */
export function conformBlock(block: BlockJson, value: ObjectValue | null): ObjectValue {
  const out: ObjectValue = {};
  for (const [name, attr] of Object.entries(block.attributes ?? {})) {
    out[name] = attr.write_only ? null : (value?.[name] ?? null);
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const v = value?.[name] ?? null;
    switch (nested.nesting_mode) {
      case 'single':
      case 'group':
        out[name] = isObjectValue(v) ? conformBlock(nested.block, v) : nested.nesting_mode === 'group' ? conformBlock(nested.block, null) : v;
        break;
      case 'list':
      case 'set':
        out[name] = Array.isArray(v) ? v.map((el) => (isObjectValue(el) ? conformBlock(nested.block, el) : el)) : isUnknown(v) ? v : [];
        break;
      case 'map': {
        if (isObjectValue(v)) {
          const m: ObjectValue = {};
          for (const [k, el] of Object.entries(v)) m[k] = isObjectValue(el) ? conformBlock(nested.block, el) : el;
          out[name] = m;
        } else out[name] = isUnknown(v) ? v : {};
        break;
      }
    }
  }
  return out;
}

/** Converts a handler's JSON (the API's view) into a complete block value; unknown fields are ignored. */
export function blockFromJson(block: BlockJson, json: Record<string, unknown>): ObjectValue {
  return conformBlock(block, fromJson(json, blockType(block), []) as ObjectValue);
}

/** Reads the value at a path of attribute/key/index steps; undefined when the path leads nowhere. */
export function valueAt(value: Value, path: AttributePath): Value | undefined {
  let cur: Value | undefined = value;
  for (const step of path) {
    if (cur === null || cur === undefined || isUnknown(cur)) return cur;
    if ('index' in step) cur = Array.isArray(cur) ? cur[step.index] : undefined;
    else if (isObjectValue(cur)) cur = cur['attribute' in step ? step.attribute : step.key];
    else return undefined;
  }
  return cur;
}
