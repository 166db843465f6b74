import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { consoleDistDir } from '../src/web/console.build.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';

// The console's scripts and stylesheets go out compressed (brotli or gzip, made at build time) to
// browsers that accept it, byte-identical once decoded; the icon browsers ask for is served.

const skip = postgresSkip();
let api: TestApi;
before(async () => {
  if (!skip) api = await startTestApi();
});
after(async () => api?.close());

function get(path: string, acceptEncoding?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${api.url}${path}`, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('scripts and stylesheets: brotli or gzip as accepted, identity otherwise, the same bytes once decoded', { skip }, async () => {
  const build = JSON.parse(readFileSync(join(consoleDistDir, 'build.json'), 'utf8')) as { files: Array<{ name: string }> };
  const chunk = build.files.map((f) => f.name).find((n) => n.startsWith('chunks/') && n.endsWith('.js'))!;
  for (const path of ['console.js', 'console.css', chunk]) {
    const plain = readFileSync(join(consoleDistDir, path));
    const br = await get(`/console/${path}`, 'gzip, deflate, br');
    assert.equal(br.status, 200, path);
    assert.equal(br.headers['content-encoding'], 'br', path);
    assert.equal(br.headers.vary, 'Accept-Encoding');
    assert.match(String(br.headers['content-type']), path.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
    assert.match(String(br.headers['content-security-policy']), /script-src 'self'/);
    assert.ok(br.body.length < plain.length / 2, `${path}: ${br.body.length} of ${plain.length} bytes`);
    assert.deepEqual(brotliDecompressSync(br.body), plain, path);
    const gz = await get(`/console/${path}`, 'gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip', path);
    assert.deepEqual(gunzipSync(gz.body), plain, path);
    const identity = await get(`/console/${path}`);
    assert.equal(identity.headers['content-encoding'], undefined, path);
    assert.deepEqual(identity.body, plain, path);
    assert.match(String((path.startsWith('chunks/') ? br : identity).headers['cache-control']), path.startsWith('chunks/') ? /immutable/ : /no-cache|max-age=0/);
  }
  assert.equal((await get('/console/../package.json', 'br')).status, 404, 'no way out of the bundle directory');
  assert.equal((await get('/console/nope.js', 'br')).status, 404);
});

test('the icon: linked from the console page, served at /favicon.svg and /favicon.ico', { skip }, async () => {
  const page = await get('/');
  assert.match(page.body.toString(), /<link rel="icon" href="\/favicon\.svg" type="image\/svg\+xml">/);
  for (const path of ['/favicon.svg', '/favicon.ico']) {
    const icon = await get(path);
    assert.equal(icon.status, 200);
    assert.equal(icon.headers['content-type'], 'image/svg+xml; charset=utf-8');
    assert.match(icon.body.toString(), /^<svg /);
  }
});
