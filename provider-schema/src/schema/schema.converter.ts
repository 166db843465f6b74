import { attributeType } from './block-type.mapper.ts';
import type { AttributeJson, BlockJson, DescriptionKind, NestedTypeJson, SchemaJson } from './schema-document.model.ts';

/** The protobuf shape of tfplugin6.Schema as proto-loader serialises it (keepCase, enums as strings). */
export interface ProtoSchema {
  version: number;
  block: ProtoBlock;
}

export interface ProtoBlock {
  version: number;
  attributes: ProtoAttribute[];
  block_types: ProtoNestedBlock[];
  description: string;
  description_kind: 'PLAIN' | 'MARKDOWN';
  deprecated: boolean;
}

export interface ProtoAttribute {
  name: string;
  type?: Buffer;
  nested_type?: ProtoObject;
  description: string;
  description_kind: 'PLAIN' | 'MARKDOWN';
  required: boolean;
  optional: boolean;
  computed: boolean;
  sensitive: boolean;
  deprecated: boolean;
  write_only: boolean;
}

export interface ProtoObject {
  attributes: ProtoAttribute[];
  nesting: 'SINGLE' | 'LIST' | 'SET' | 'MAP';
}

export interface ProtoNestedBlock {
  type_name: string;
  block: ProtoBlock;
  nesting: 'SINGLE' | 'LIST' | 'SET' | 'MAP' | 'GROUP';
  min_items: number;
  max_items: number;
}

/** Converts one schema in `terraform providers schema -json` shape into tfplugin6.Schema. */
export function toProtoSchema(schema: SchemaJson): ProtoSchema {
  return { version: schema.version, block: toProtoBlock(schema.block, schema.version) };
}

function toProtoBlock(block: BlockJson, version: number): ProtoBlock {
  return {
    version,
    attributes: Object.entries(block.attributes ?? {}).map(([name, attr]) => toProtoAttribute(name, attr)),
    block_types: Object.entries(block.block_types ?? {}).map(([name, nested]) => ({
      type_name: name,
      // Nested blocks carry version 0: only the top-level block version is meaningful.
      block: toProtoBlock(nested.block, 0),
      nesting: nested.nesting_mode.toUpperCase() as ProtoNestedBlock['nesting'],
      min_items: nested.min_items ?? 0,
      max_items: nested.max_items ?? 0,
    })),
    description: block.description ?? '',
    description_kind: kind(block.description_kind),
    deprecated: block.deprecated ?? false,
  };
}

function toProtoAttribute(name: string, attr: AttributeJson): ProtoAttribute {
  const base = {
    name,
    description: attr.description ?? '',
    description_kind: kind(attr.description_kind),
    required: attr.required ?? false,
    optional: attr.optional ?? false,
    computed: attr.computed ?? false,
    sensitive: attr.sensitive ?? false,
    deprecated: attr.deprecated ?? false,
    write_only: attr.write_only ?? false,
  };
  // Exactly one of type / nested_type may be set on the wire.
  if (attr.nested_type) return { ...base, nested_type: toProtoObject(attr.nested_type) };
  return { ...base, type: Buffer.from(JSON.stringify(attributeType(attr))) };
}

function toProtoObject(nested: NestedTypeJson): ProtoObject {
  return {
    attributes: Object.entries(nested.attributes).map(([name, attr]) => toProtoAttribute(name, attr)),
    nesting: nested.nesting_mode.toUpperCase() as ProtoObject['nesting'],
  };
}

function kind(k: DescriptionKind | undefined): 'PLAIN' | 'MARKDOWN' {
  return k === 'markdown' ? 'MARKDOWN' : 'PLAIN';
}
