import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

// `npm start`: the control plane with its embedded database (unless DATABASE_URL is set) on
// http://localhost:8080. Each component runs in its own process with its own composition root.

const root = join(import.meta.dirname, '..');
const children: ChildProcess[] = [];
let stopping = false;

function start(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, entry)], { cwd: root, env: { ...process.env, ...env }, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(`pharos: ${name} exited (${signal ?? code}); stopping.\n`);
    stop(code ?? 1);
  });
  children.push(child);
  return child;
}

function stop(code: number): void {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 200).unref();
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined))).then(() => process.exit(code));
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

start('control plane', 'api/src/main.ts', { PORT: process.env.PORT ?? '8080' });
