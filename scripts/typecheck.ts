import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

// Type-checks every workspace with its own tsconfig (strict, no emit). Exit code 1 on any error.
const root = join(import.meta.dirname, '..');
const projects = ['api', 'api/src/web/console', 'runner', 'provider-schema', 'cdktf-bindings', 'scripts'].filter((p) => existsSync(join(root, p, 'tsconfig.json')));
let failed = false;
for (const project of projects) {
  const result = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project, '--noEmit'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    failed = true;
    process.stdout.write(`${project}:\n${result.stdout}${result.stderr}`);
  }
}
if (!failed) process.stdout.write(`typecheck ok: ${projects.join(', ')}\n`);
process.exit(failed ? 1 : 0);
