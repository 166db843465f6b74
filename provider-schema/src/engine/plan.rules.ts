import { fromJson } from '../codec/json-state.codec.ts';
import { equalAsType } from '../codec/value-equality.rules.ts';
import { isObjectValue, isUnknown, unknownValue, type ObjectValue, type Value } from '../codec/value.model.ts';
import { attributeType, blockType, nestedStructures } from '../schema/block-type.mapper.ts';
import type { BlockJson, ResourceBehaviour } from '../schema/schema-document.model.ts';
import { dottedPath, type AttributePath } from './attribute-path.model.ts';
import { valueAt } from './block-value.rules.ts';

export interface PlanInput {
  readonly block: BlockJson;
  readonly behaviour: ResourceBehaviour;
  /** null on create. */
  readonly prior: ObjectValue | null;
  /** null on destroy. */
  readonly proposed: ObjectValue | null;
  readonly config: ObjectValue | null;
}

export interface PlanOutput {
  readonly planned: ObjectValue | null;
  readonly requiresReplace: AttributePath[];
  /** Top-level attributes and block types whose planned value differs from the prior state. */
  readonly changed: string[];
}

/**
 * The plan rules Terraform enforces (each one, broken, fails with "planned value … does not
 * match" or "inconsistent result after apply"):
 * - create / replace: computed attributes the config leaves null are unknown, or their default;
 * - update: values the config sets are planned as configured; computed values keep their prior
 *   value unless listed in unknown_on_update (then unknown, when anything else changes);
 * - Optional+Computed attributes with a default fall back to it when removed from the config;
 * - write-only attributes are always planned null;
 * - destroy: planned null.
 */
export function planChange(input: PlanInput): PlanOutput {
  const { block, behaviour, prior, proposed } = input;
  if (proposed === null) return { planned: null, requiresReplace: [], changed: [] };
  const config = input.config ?? proposed;
  const defaults = behaviour.defaults ?? {};
  if (prior === null) {
    return { planned: planNew(block, proposed, config, defaults), requiresReplace: [], changed: Object.keys(proposed) };
  }
  let planned = planExisting(block, prior, proposed, config, defaults);
  const type = blockType(block);
  const requiresReplace = (behaviour.replace_on_change ?? []).map(dottedPath).filter((path) => {
    const t = typeAt(type, path);
    return !equalAsType(t, valueAt(prior, path) ?? null, valueAt(planned, path) ?? null);
  });
  if (requiresReplace.length > 0) planned = planNew(block, proposed, config, defaults);
  let changed = changedNames(block, prior, planned);
  if (requiresReplace.length === 0 && changed.length > 0) {
    const volatile = (behaviour.unknown_on_update ?? []).filter((name) => block.attributes?.[name]?.computed);
    if (volatile.length > 0) {
      planned = { ...planned };
      for (const name of volatile) planned[name] = unknownValue;
      changed = changedNames(block, prior, planned);
    }
  }
  return { planned, requiresReplace, changed };
}

/** Names of top-level attributes / nested blocks whose values differ between two block values. */
export function changedNames(block: BlockJson, a: ObjectValue, b: ObjectValue): string[] {
  const type = blockType(block);
  const attrs = typeof type === 'string' || type[0] !== 'object' ? {} : type[1];
  return Object.entries(attrs)
    .filter(([name, t]) => !equalAsType(t, a[name] ?? null, b[name] ?? null))
    .map(([name]) => name);
}

type Defaults = Record<string, unknown>;

function planNew(block: BlockJson, proposed: ObjectValue, config: ObjectValue | null, defaults: Defaults): ObjectValue {
  const out: ObjectValue = { ...proposed };
  for (const [name, attr] of Object.entries(block.attributes ?? {})) {
    if (attr.write_only) out[name] = null;
    else if (attr.computed && (config?.[name] ?? null) === null) {
      out[name] = name in defaults ? fromJson(defaults[name], attributeType(attr), [name]) : unknownValue;
    }
  }
  forEachNested(block, proposed, config, (nested, p, c, _prior, name) => planNew(nested, p, c, nestedDefaults(defaults, name)), out);
  return out;
}

function planExisting(block: BlockJson, prior: ObjectValue, proposed: ObjectValue, config: ObjectValue | null, defaults: Defaults): ObjectValue {
  const out: ObjectValue = { ...proposed };
  for (const [name, attr] of Object.entries(block.attributes ?? {})) {
    if (attr.write_only) out[name] = null;
    else if (attr.computed && (config?.[name] ?? null) === null) {
      // Removing an attribute with a default from the config resets it to the default.
      if (name in defaults) out[name] = fromJson(defaults[name], attributeType(attr), [name]);
      else out[name] = proposed[name] ?? prior[name] ?? null;
    }
  }
  forEachNested(
    block,
    proposed,
    config,
    (nested, p, c, priorEl, name) => (priorEl ? planExisting(nested, priorEl, p, c, nestedDefaults(defaults, name)) : planNew(nested, p, c, nestedDefaults(defaults, name))),
    out,
    prior,
  );
  return out;
}

/** Walks nested blocks, pairing each proposed element with its config element and (when one exists) its prior element. */
function forEachNested(
  block: BlockJson,
  proposed: ObjectValue,
  config: ObjectValue | null,
  plan: (nested: BlockJson, p: ObjectValue, c: ObjectValue | null, prior: ObjectValue | null, name: string) => ObjectValue,
  out: ObjectValue,
  prior: ObjectValue | null = null,
): void {
  for (const nb of nestedStructures(block)) {
    const name = nb.name;
    // `out` already holds the attribute rules' result: a nested attribute planned unknown as a whole stays so.
    const p = out[name] ?? null;
    const c = config?.[name] ?? null;
    const pr = prior?.[name] ?? null;
    if (p === null || isUnknown(p)) continue;
    switch (nb.nesting_mode) {
      case 'single':
      case 'group':
        if (isObjectValue(p)) out[name] = plan(nb.block, p, asObject(c), asObject(pr), name);
        break;
      case 'list':
        if (Array.isArray(p)) out[name] = p.map((el, i) => (isObjectValue(el) ? plan(nb.block, el, asObject(elementAt(c, i)), asObject(elementAt(pr, i)), name) : el));
        break;
      case 'set':
        if (Array.isArray(p)) {
          const priorEls = Array.isArray(pr) ? pr.filter(isObjectValue) : [];
          out[name] = p.map((el, i) => {
            if (!isObjectValue(el)) return el;
            // Set elements have no identity: pair with the prior element equal in every configurable attribute.
            const match = priorEls.find((candidate) => sameConfigurable(nb.block, candidate, el)) ?? null;
            return plan(nb.block, el, asObject(elementAt(c, i)) ?? el, match, name);
          });
        }
        break;
      case 'map':
        if (isObjectValue(p)) {
          const m: ObjectValue = {};
          for (const [k, el] of Object.entries(p)) {
            m[k] = isObjectValue(el) ? plan(nb.block, el, asObject(isObjectValue(c) ? (c[k] ?? null) : null), asObject(isObjectValue(pr) ? (pr[k] ?? null) : null), name) : el;
          }
          out[name] = m;
        }
        break;
    }
  }
}

/** Defaults of a nested block's attributes: the dotted keys under `name.` ("http.method" → "method" inside http). */
function nestedDefaults(defaults: Defaults, name: string): Defaults {
  const prefix = `${name}.`;
  const out: Defaults = {};
  for (const [key, value] of Object.entries(defaults)) if (key.startsWith(prefix)) out[key.slice(prefix.length)] = value;
  return out;
}

function sameConfigurable(block: BlockJson, a: ObjectValue, b: ObjectValue): boolean {
  return Object.entries(block.attributes ?? {}).every(
    ([name, attr]) => (attr.computed && !attr.optional) || equalAsType(attributeType(attr), a[name] ?? null, b[name] ?? null),
  );
}

function elementAt(v: Value, i: number): Value {
  return Array.isArray(v) ? (v[i] ?? null) : null;
}

function asObject(v: Value | undefined): ObjectValue | null {
  return isObjectValue(v) ? v : null;
}

function typeAt(type: ReturnType<typeof blockType>, path: AttributePath): ReturnType<typeof blockType> {
  let t = type;
  for (const step of path) {
    if (typeof t === 'string') return 'dynamic';
    if (t[0] === 'object' && 'attribute' in step) t = t[1][step.attribute] ?? 'dynamic';
    else if ((t[0] === 'list' || t[0] === 'set' || t[0] === 'map') && !('attribute' in step)) t = t[1];
    else return 'dynamic';
  }
  return t;
}
