/**
 * Prints the provider's merged schema (schema/*.json) as one `terraform providers schema -json`
 * document, e.g. for @cdktf/provider-generator or documentation generators.
 * Usage: npm run -s -w provider-schema schema:json > pharos.schema.json
 */
import { pharosSchemaFiles } from '../src/resources/pharos.schemas.ts';
import { mergeSchemaFiles, toSchemaDocument } from '../src/schema/schema.loader.ts';

process.stdout.write(`${JSON.stringify(toSchemaDocument(mergeSchemaFiles(pharosSchemaFiles())), null, 2)}\n`);
