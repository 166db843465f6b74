import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

test('every workspace type-checks under strict TypeScript', { timeout: 300_000 }, () => {
  const root = join(import.meta.dirname, '..', '..');
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/typecheck.ts')], { cwd: root, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stdout + result.stderr);
});
