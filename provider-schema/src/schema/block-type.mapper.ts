import type { CtyType } from '../codec/cty-type.model.ts';
import type { AttributeJson, BlockJson, NestedTypeJson } from './schema-document.model.ts';

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
