import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../scripts/build-app.ts';

const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The synthesized example: its stack directory and the parsed cdk.tf.json. */
export interface SynthesizedExample {
  readonly stackDir: string;
  readonly config: CdkTfJson;
}

export interface CdkTfJson {
  terraform: { required_providers: Record<string, { source: string; version?: string }>; backend?: Record<string, unknown> };
  provider: Record<string, Record<string, unknown>[]>;
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, unknown>;
}

/**
 * Compiles the example with tsconfig.app.json into `<root>/dist` and runs it as a user would
 * (`node main.js <outdir>`); NODE_PATH lets the compiled files outside the repository find cdktf.
 */
export async function synthesizeExample(root: string): Promise<SynthesizedExample> {
  const dist = buildApp(join(root, 'dist'));
  const outdir = join(root, 'cdktf.out');
  await new Promise<void>((done, fail) => {
    const child = spawn(process.execPath, [join(dist, 'examples', 'fleet', 'main.js'), outdir], {
      cwd: root,
      env: { PATH: process.env.PATH, NODE_PATH: join(repoDir, 'node_modules'), CHECKPOINT_DISABLE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done() : fail(new Error(`synth exited ${code}:\n${output}`))));
  });
  const stackDir = join(outdir, 'stacks', 'fleet');
  return { stackDir, config: JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as CdkTfJson };
}
