import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultBindingsDir, generateBindings } from '../scripts/generate-bindings.ts';

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

test('committed bindings equal a fresh generation from provider-schema/schema (run `npm run generate:bindings`)', async () => {
  const fresh = mkdtempSync(join(tmpdir(), 'pharos-bindings-'));
  try {
    await generateBindings({ outDir: fresh });
    const expected = files(fresh);
    assert.deepEqual(files(defaultBindingsDir), expected, 'generated file list differs');
    for (const file of expected) {
      assert.equal(readFileSync(join(defaultBindingsDir, file), 'utf8'), readFileSync(join(fresh, file), 'utf8'), `${file} is stale`);
    }
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
});
