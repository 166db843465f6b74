import { equalAsType } from '../codec/value-equality.rules.ts';
import { isObjectValue, isUnknown, isWhollyKnown, type ObjectValue, type Value } from '../codec/value.model.ts';
import { attributeType, nestedStructures } from '../schema/block-type.mapper.ts';
import type { BlockJson, ResourceBehaviour } from '../schema/schema-document.model.ts';
import { attributePath, type AttributePath, type PathStep } from './attribute-path.model.ts';

/** Called when the API answered something else than a value the plan promised. */
export type DriftReporter = (path: AttributePath, planned: Value, actual: Value) => void;

/**
 * The state apply returns: every value known in the plan is kept exactly (Terraform fails the
 * apply otherwise), unknown planned values are filled from the API's answer, write-only values
 * are dropped. A different API value for a known planned one goes to `drift` (the next refresh
 * shows it as a change), not into the state.
 */
export function reconcileApplied(block: BlockJson, planned: ObjectValue, api: ObjectValue, drift: DriftReporter, at: PathStep[] = []): ObjectValue {
  const out: ObjectValue = {};
  for (const [name, attr] of Object.entries(block.attributes ?? {})) {
    const p = planned[name] ?? null;
    const a = api[name] ?? null;
    if (attr.write_only) out[name] = null;
    else if (attr.nested_type && p !== null && !isUnknown(p) && !isWhollyKnown(p)) continue; // partly known: recursed below
    else if (isWhollyKnown(p)) {
      if (a !== null && !equalAsType(attributeType(attr), p, a)) drift(attributePath(...at, name), p, a);
      out[name] = p;
    } else out[name] = a;
  }
  for (const nb of nestedStructures(block)) {
    const name = nb.name;
    const p = planned[name] ?? null;
    const a = api[name] ?? null;
    const path = [...at, { attribute: name }];
    // Nested attributes that were wholly known (or unknown as a whole) were settled above.
    if (nb.isAttribute && (p === null || isUnknown(p) || isWhollyKnown(p))) continue;
    if (p === null) {
      out[name] = nb.nesting_mode === 'single' ? null : p;
      continue;
    }
    if (isUnknown(p)) {
      out[name] = a;
      continue;
    }
    switch (nb.nesting_mode) {
      case 'single':
      case 'group':
        out[name] = isObjectValue(p) ? reconcileApplied(nb.block, p, isObjectValue(a) ? a : {}, drift, path) : p;
        break;
      case 'list':
        out[name] = Array.isArray(p)
          ? p.map((el, i) => (isObjectValue(el) ? reconcileApplied(nb.block, el, objectAt(a, i), drift, [...path, { index: i }]) : el))
          : p;
        break;
      case 'set': {
        const apiEls = Array.isArray(a) ? a.filter(isObjectValue) : [];
        out[name] = Array.isArray(p)
          ? p.map((el) => {
              if (!isObjectValue(el) || isWhollyKnown(el)) return el;
              // Pair the planned element with the API element that agrees on everything known.
              const match = apiEls.find((candidate) => agreesOnKnown(nb.block, el, candidate)) ?? {};
              return reconcileApplied(nb.block, el, match, drift, path);
            })
          : p;
        break;
      }
      case 'map': {
        if (!isObjectValue(p)) {
          out[name] = p;
          break;
        }
        const m: ObjectValue = {};
        for (const [k, el] of Object.entries(p)) {
          m[k] = isObjectValue(el) ? reconcileApplied(nb.block, el, isObjectValue(a) && isObjectValue(a[k]) ? a[k] : {}, drift, [...path, { key: k }]) : el;
        }
        out[name] = m;
        break;
      }
    }
  }
  return out;
}

/**
 * Keeps secrets stable across reads: attributes the API never returns (listed in
 * preserve_on_read, plus every sensitive non-computed attribute, also inside single nested
 * blocks such as `slack { webhook_url }` and list blocks such as `step { secret_headers }`) keep
 * their prior value when the read reports null, so a write-only secret does not show up as a
 * change on every plan.
 */
export function preserveOnRead(block: BlockJson, behaviour: ResourceBehaviour, prior: ObjectValue | null, read: ObjectValue): ObjectValue {
  if (!prior) return read;
  return preserveIn(block, behaviour.preserve_on_read ?? [], prior, read);
}

function preserveIn(block: BlockJson, listed: readonly string[], prior: ObjectValue, read: ObjectValue): ObjectValue {
  const names = new Set(listed.filter((p) => !p.includes('.')));
  for (const [name, attr] of Object.entries(block.attributes ?? {})) if (attr.sensitive && !attr.computed && !attr.write_only) names.add(name);
  const out = { ...read };
  for (const name of names) if ((out[name] ?? null) === null && (prior[name] ?? null) !== null) out[name] = prior[name] ?? null;
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const r = out[name];
    const p = prior[name];
    const inner = listed.filter((l) => l.startsWith(`${name}.`)).map((l) => l.slice(name.length + 1));
    if (nested.nesting_mode === 'list' && Array.isArray(r) && Array.isArray(p)) {
      out[name] = r.map((el, i) => {
        const before = priorElement(p, el, i);
        return isObjectValue(el) && before ? preserveIn(nested.block, inner, before, el) : el;
      });
      continue;
    }
    if ((nested.nesting_mode !== 'single' && nested.nesting_mode !== 'group') || !isObjectValue(r) || !isObjectValue(p)) continue;
    out[name] = preserveIn(nested.block, inner, p, r);
  }
  return out;
}

// The prior element a read list element stands for: the one of the same name when elements are
// named (steps), so a list reordered outside Terraform does not hand one step's secret to another.
function priorElement(prior: readonly Value[], read: Value, index: number): ObjectValue | undefined {
  const name = isObjectValue(read) ? read['name'] : undefined;
  if (typeof name === 'string') return prior.filter(isObjectValue).find((p) => p['name'] === name);
  const el = prior[index];
  return isObjectValue(el) ? el : undefined;
}

/** Replaces any remaining unknown with null: state Terraform stores must be wholly known. */
export function withoutUnknowns<T extends Value>(value: T): T {
  if (isUnknown(value)) return null as T;
  if (Array.isArray(value)) return value.map(withoutUnknowns) as T;
  if (isObjectValue(value)) {
    const out: ObjectValue = {};
    for (const [k, v] of Object.entries(value)) out[k] = withoutUnknowns(v);
    return out as T;
  }
  return value;
}

function objectAt(v: Value, i: number): ObjectValue {
  const el = Array.isArray(v) ? v[i] : undefined;
  return isObjectValue(el) ? el : {};
}

function agreesOnKnown(block: BlockJson, planned: ObjectValue, api: ObjectValue): boolean {
  return Object.entries(block.attributes ?? {}).every(([name, attr]) => {
    const p = planned[name] ?? null;
    return !isWhollyKnown(p) || attr.write_only || equalAsType(attributeType(attr), p, api[name] ?? null);
  });
}
