import type { CtyType } from '../codec/cty-type.model.ts';
import type { AttributeJson, BlockJson, NestedBlockJson, NestedTypeJson } from './schema-document.model.ts';

/** The object type a block's values have on the wire: attributes plus nested blocks. */
export function blockType(block: BlockJson): CtyType {
  const attrs: Record<string, CtyType> = {};
  for (const [name, attr] of Object.entries(block.attributes ?? {})) attrs[name] = attributeType(attr);
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const inner = blockType(nested.block);
    switch (nested.nesting_mode) {
      case 'single':
      case 'group':
        attrs[name] = inner;
        break;
      case 'list':
        attrs[name] = ['list', inner];
        break;
      case 'set':
        attrs[name] = ['set', inner];
        break;
      case 'map':
        attrs[name] = ['map', inner];
        break;
    }
  }
  return ['object', attrs];
}

/** The type of one attribute, including protocol-6 nested attribute types. */
export function attributeType(attr: AttributeJson): CtyType {
  if (attr.nested_type) return nestedObjectType(attr.nested_type);
  if (attr.type === undefined) throw new TypeError('attribute has neither type nor nested_type');
  return attr.type;
}

function nestedObjectType(nested: NestedTypeJson): CtyType {
  const attrs: Record<string, CtyType> = {};
  for (const [name, attr] of Object.entries(nested.attributes)) attrs[name] = attributeType(attr);
  const object: CtyType = ['object', attrs];
  return nested.nesting_mode === 'single' ? object : [nested.nesting_mode, object];
}

/** A nested block, or an attribute with a nested type, seen as the same kind of structure. */
export interface NestedStructure {
  readonly name: string;
  readonly nesting_mode: NestedBlockJson['nesting_mode'];
  readonly block: BlockJson;
  /** True for protocol-6 nested attributes: the whole value may be null, and it may itself be computed. */
  readonly isAttribute: boolean;
}

/**
 * Nested blocks and nested-type attributes of a block. The plan and apply rules recurse into
 * both alike, so computed attributes inside `http = { … }` behave like those inside `http { … }`.
 */
export function nestedStructures(block: BlockJson): NestedStructure[] {
  const out: NestedStructure[] = Object.entries(block.block_types ?? {}).map(([name, nb]) => ({ name, nesting_mode: nb.nesting_mode, block: nb.block, isAttribute: false }));
  for (const [name, attr] of Object.entries(block.attributes ?? {})) {
    if (attr.nested_type) out.push({ name, nesting_mode: attr.nested_type.nesting_mode, block: { attributes: attr.nested_type.attributes }, isAttribute: true });
  }
  return out;
}
