import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCtyType } from '../codec/cty-type.model.ts';
import { attributeType } from './block-type.mapper.ts';
import {
  providerAddress,
  type BehaviourDocument,
  type ResourceBehaviour,
  type SchemaDocument,
  type SchemaJson,
} from './schema-document.model.ts';

/** Everything the engine needs to know about the provider's types, merged from all schema files. */
export interface ProviderSchemaSet {
  readonly provider: SchemaJson;
  readonly resources: ReadonlyMap<string, SchemaJson>;
  readonly dataSources: ReadonlyMap<string, SchemaJson>;
  readonly behaviours: ReadonlyMap<string, ResourceBehaviour>;
}

export type SchemaFile = SchemaDocument | BehaviourDocument;

const emptyProvider: SchemaJson = { version: 0, block: {} };

/**
 * Merges schema documents (one per resource is fine) and behaviour side-tables into one set.
 * A type defined twice is an error: two files silently disagreeing would be worse.
 */
export function mergeSchemaFiles(files: readonly SchemaFile[]): ProviderSchemaSet {
  let provider: SchemaJson | undefined;
  const resources = new Map<string, SchemaJson>();
  const dataSources = new Map<string, SchemaJson>();
  const behaviours = new Map<string, ResourceBehaviour>();
  const addAll = (target: Map<string, SchemaJson>, from: Record<string, SchemaJson> | undefined, what: string) => {
    for (const [name, schema] of Object.entries(from ?? {})) {
      if (target.has(name)) throw new Error(`${what} ${name} is defined in more than one schema file`);
      target.set(name, schema);
    }
  };
  for (const file of files) {
    if ('resource_behaviours' in file) {
      for (const [name, behaviour] of Object.entries(file.resource_behaviours)) {
        if (behaviours.has(name)) throw new Error(`behaviour of ${name} is defined twice`);
        behaviours.set(name, behaviour);
      }
      continue;
    }
    const schemas = file.provider_schemas[providerAddress];
    if (!schemas) throw new Error(`schema document has no entry for ${providerAddress}`);
    if (schemas.provider && Object.keys(schemas.provider.block).length > 0) {
      if (provider) throw new Error('the provider configuration block is defined in more than one schema file');
      provider = schemas.provider;
    }
    addAll(resources, schemas.resource_schemas, 'resource');
    addAll(dataSources, schemas.data_source_schemas, 'data source');
  }
  for (const name of behaviours.keys()) {
    if (!resources.has(name)) throw new Error(`behaviour side-table names ${name}, which has no resource schema`);
  }
  return { provider: provider ?? emptyProvider, resources, dataSources, behaviours };
}

/** Reads every *.json file of a directory (sorted, for stable errors) as schema files. */
export function loadSchemaDirectory(dir: string): SchemaFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => asSchemaFile(JSON.parse(readFileSync(join(dir, f), 'utf8')), f));
}

/** Renders a merged set back into one `terraform providers schema -json` document (for docs and bindings). */
export function toSchemaDocument(set: ProviderSchemaSet): SchemaDocument {
  return {
    format_version: '1.0',
    provider_schemas: {
      [providerAddress]: {
        provider: set.provider,
        resource_schemas: Object.fromEntries(set.resources),
        data_source_schemas: Object.fromEntries(set.dataSources),
      },
    },
  };
}

/**
 * Accepts parsed JSON (an imported schema file) as a SchemaFile after checking its shape and
 * every attribute type, so a typo in schema/*.json fails at start-up with the attribute named.
 */
export function asSchemaFile(json: unknown, name = 'schema file'): SchemaFile {
  if (!json || typeof json !== 'object') throw new Error(`${name}: not a JSON object`);
  if ('resource_behaviours' in json) return json as BehaviourDocument;
  if (!('provider_schemas' in json)) throw new Error(`${name}: neither provider_schemas nor resource_behaviours at the top level`);
  const doc = json as SchemaDocument;
  for (const schemas of Object.values(doc.provider_schemas)) {
    const all: [string, SchemaJson | undefined][] = [
      ['provider', schemas.provider],
      ...Object.entries(schemas.resource_schemas ?? {}),
      ...Object.entries(schemas.data_source_schemas ?? {}),
    ];
    for (const [type, schema] of all) if (schema) checkBlock(schema.block, `${name}: ${type}`);
  }
  return doc;
}

function checkBlock(block: SchemaJson['block'], where: string): void {
  for (const [attrName, attr] of Object.entries(block.attributes ?? {})) {
    try {
      attributeType(attr);
      if (attr.type !== undefined) parseCtyType(attr.type);
    } catch (err) {
      throw new Error(`${where}.${attrName}: ${(err as Error).message}`);
    }
  }
  for (const [blockName, nested] of Object.entries(block.block_types ?? {})) checkBlock(nested.block, `${where}.${blockName}`);
}
