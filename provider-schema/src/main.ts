// Composition root of the shipped terraform-provider-pharos (bundled by scripts/build-provider.ts).
import packageJson from '../package.json' with { type: 'json' };
import { serveProvider } from './provider.composition.ts';
import { createPharosRegistry } from './resources/pharos.registry.ts';
import { pharosSchemaFiles } from './resources/pharos.schemas.ts';
import { mergeSchemaFiles } from './schema/schema.loader.ts';

const schemaFiles = pharosSchemaFiles();
serveProvider({
  version: packageJson.version,
  schemaFiles,
  registry: createPharosRegistry(mergeSchemaFiles(schemaFiles)),
}).catch((err: unknown) => {
  process.stderr.write(`[ERROR] pharos: provider failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
