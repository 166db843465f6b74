import type { ProviderSchemaSet } from '../schema/schema.loader.ts';
import type { DataSourceHandler, ResourceHandler } from './resource.handler.ts';

/**
 * All handlers of the provider, keyed by Terraform type name. With R/D set to the union of
 * type names from the schema, a resource without a handler (or a handler filed under the
 * wrong name) is a compile error; `registryProblems` checks the same at start-up.
 */
export interface HandlerRegistry<C, R extends string = string, D extends string = string> {
  readonly resources: { readonly [K in R]: ResourceHandler<C> & { readonly typeName: K } };
  readonly dataSources: { readonly [K in D]: DataSourceHandler<C> & { readonly typeName: K } };
}

/** Identity function that makes TypeScript check the registry against the given name unions. */
export function defineRegistry<C, R extends string, D extends string>(registry: HandlerRegistry<C, R, D>): HandlerRegistry<C, R, D> {
  return registry;
}

/** Mismatches between schema files and handlers, as sentences; empty when they agree. */
export function registryProblems(registry: HandlerRegistry<unknown>, schemas: ProviderSchemaSet): string[] {
  const problems: string[] = [];
  const compare = (kind: string, handlers: Record<string, { typeName: string }>, names: Iterable<string>) => {
    const schemaNames = new Set(names);
    for (const [key, handler] of Object.entries(handlers)) {
      if (handler.typeName !== key) problems.push(`${kind} handler filed as ${key} calls itself ${handler.typeName}`);
      if (!schemaNames.has(key)) problems.push(`${kind} ${key} has a handler but no schema`);
    }
    for (const name of schemaNames) if (!(name in handlers)) problems.push(`${kind} ${name} has a schema but no handler`);
  };
  compare('resource', registry.resources, schemas.resources.keys());
  compare('data source', registry.dataSources, schemas.dataSources.keys());
  return problems;
}
