/**
 * Precompiles proto/*.proto into one protobufjs JSON descriptor so the provider never parses
 * .proto text at start-up (Terraform starts a fresh provider process per phase).
 * Usage: node --import tsx provider-schema/scripts/compile-proto.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const protoDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'proto');
const outFile = join(protoDir, 'generated', 'plugin.descriptor.json');

/** Renders the descriptor JSON for the .proto files in proto/. */
export function renderDescriptor(): string {
  const root = new protobuf.Root();
  root.loadSync([join(protoDir, 'tfplugin6.proto'), join(protoDir, 'go-plugin.proto')], { keepCase: true });
  root.resolveAll();
  return `${JSON.stringify(root.toJSON({ keepComments: false }), null, 1)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const fresh = renderDescriptor();
  if (process.argv.includes('--check')) {
    const current = readFileSync(outFile, 'utf8');
    if (current !== fresh) {
      console.error(`${outFile} is stale: run npm run -w provider-schema compile:proto`);
      process.exit(1);
    }
  } else {
    writeFileSync(outFile, fresh);
    console.log(`wrote ${outFile}`);
  }
}
