import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { embeddedKeyFile } from '../../api/src/crypto/key-source.ts';
import { createServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The README's first command as a new user runs it: npm start with the embedded database, the
// printed admin token, a few resources created over HTTP, a restart, and everything still there.

const root = join(import.meta.dirname, '..', '..');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

function startPharos(env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/start.ts')], { cwd: root, env: { ...process.env, ...env, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in 60 s:\n${text}`)), 60_000);
    const check = () => {
      if (text.includes('Pharos control plane:')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.on('exit', () => reject(new Error(`exited early:\n${text}`)));
  });
  return { child, output: () => text, ready };
}

/** npm start relays its children's output line by line: the lines after "Pharos control plane:" may come later. */
async function waitForOutput(output: () => string, pattern: RegExp, ms = 15_000): Promise<RegExpExecArray | null> {
  const deadline = Date.now() + ms;
  for (;;) {
    const match = pattern.exec(output());
    if (match || Date.now() > deadline) return match;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  child.kill('SIGTERM');
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

test('npm start: embedded database, printed admin token, data survives a restart', { timeout: 180_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pharos-start-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started: ChildProcess[] = [];
  const authorizations: string[] = [];
  const target = createHttpServer((req, res) => {
    authorizations.push(String(req.headers.authorization));
    res.setHeader('content-type', 'application/json').end('{"status":"healthy"}');
  });
  try {
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const targetAddress = target.address();
    const targetUrl = `http://127.0.0.1:${typeof targetAddress === 'object' && targetAddress ? targetAddress.port : 0}/health`;
    const first = startPharos({ PORT: String(port), PHAROS_DATA_DIR: dataDir, PHAROS_ADMIN_TOKEN: '', PHAROS_RUNNER_METRICS_PORT: '0' });
    started.push(first.child);
    await first.ready;
    const token = (await waitForOutput(first.output, /Admin token \(shown once, store it now\): (phs_\S+)/))?.[1];
    assert.ok(token, `the admin token is printed:\n${first.output()}`);
    assert.match(first.output(), new RegExp(`localhost:${port}/docs`));
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
      return { status: res.status, body: (await res.json()) as any };
    };
    const team = await call('POST', '/v1/teams', { name: 'fulfillment' });
    assert.equal(team.status, 201);
    const svc = await call('POST', '/v1/services', { name: 'shipping', team_id: team.body.id });
    const ext = await call('POST', '/v1/services', { name: 'carrier', team_id: team.body.id, kind: 'external' });
    const dep = await call('POST', `/v1/services/${svc.body.id}/dependencies`, { depends_on_service_id: ext.body.id });
    const mon = await call('POST', '/v1/monitors', {
      name: 'health', service_id: svc.body.id, type: 'http', interval_seconds: 5, timeout_seconds: 2, http: { url: targetUrl, secret_headers: { Authorization: 'Bearer start-secret' } },
      assertions: [{ source: 'json_body', path: '$.status', operator: 'equals', target: 'healthy' }],
    });
    assert.deepEqual([svc.status, ext.status, dep.status, mon.status], [201, 201, 201, 201]);
    // The local runner started by npm start picks the monitor up and checks it.
    const deadline = Date.now() + 30_000;
    let state = 'unknown';
    while (Date.now() < deadline && state !== 'up') {
      await new Promise((r) => setTimeout(r, 500));
      state = (await call('GET', `/v1/monitors/${mon.body.id}/state`)).body.state;
    }
    assert.equal(state, 'up', `the local runner checked the monitor:\n${first.output().slice(-3000)}`);
    const results = await call('GET', `/v1/monitors/${mon.body.id}/results`);
    assert.equal(results.body.items[0].region, 'local');
    assert.match(results.body.items[0].trace_id, /^[0-9a-f]{32}$/);
    assert.ok(authorizations.includes('Bearer start-secret'), 'the runner sent the (encrypted at rest) secret header');
    // The key that encrypts secrets at rest was created beside the data directory, readable by its owner only.
    const keyFile = embeddedKeyFile(dataDir);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.ok(first.output().includes(`Secret key:     ${keyFile} (created now`), 'the banner says where the key is');
    const key = readFileSync(keyFile, 'utf8');
    assert.ok(!first.output().includes(key.trim().split('\n').at(-1)!.split(':')[1]!), 'the key itself is never printed');
    assert.equal(await stop(first.child), 0, 'a clean shutdown');

    const second = startPharos({ PORT: String(port), PHAROS_DATA_DIR: dataDir, PHAROS_ADMIN_TOKEN: '', PHAROS_RUNNER_METRICS_PORT: '0' });
    started.push(second.child);
    await second.ready;
    assert.ok(!second.output().includes('Admin token (shown once'), 'no new token on restart');
    const monitors = await call('GET', '/v1/monitors');
    assert.equal(monitors.status, 200, 'the first token still works');
    assert.deepEqual(monitors.body.items.map((m: { id: string }) => m.id), [mon.body.id]);
    const deps = await call('GET', `/v1/services/${svc.body.id}/dependencies`);
    assert.equal(deps.body.items[0].depends_on_service_id, ext.body.id);
    // The restart reused the key file: the stored secret header still decrypts and is sent.
    assert.equal(readFileSync(keyFile, 'utf8'), key);
    authorizations.length = 0;
    const resent = Date.now() + 30_000;
    while (Date.now() < resent && !authorizations.includes('Bearer start-secret')) await new Promise((r) => setTimeout(r, 250));
    assert.ok(authorizations.includes('Bearer start-secret'), `after the restart the runner still sends the secret header:\n${second.output().slice(-3000)}`);
  } finally {
    await Promise.all(started.map(stop));
    target.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(embeddedKeyFile(dataDir), { force: true });
  }
});
