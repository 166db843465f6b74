import providerSchema from '../../schema/provider.schema.json' with { type: 'json' };
import { asSchemaFile, type SchemaFile } from '../schema/schema.loader.ts';

/**
 * The schema files bundled into the shipped provider. Static imports, because the bundle must
 * run without the repository; a test fails when this list and schema/*.json disagree.
 */
export function pharosSchemaFiles(): SchemaFile[] {
  return [asSchemaFile(providerSchema, 'provider.schema.json')];
}
