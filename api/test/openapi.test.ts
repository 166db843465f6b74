import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { startTestApi, postgresSkip, testSecretBox, type TestApi } from './support/harness.ts';
import { toExpressPath } from '../src/http/express-adapter.ts';
import { createApp } from '../src/app.ts';
import { consolePaths } from '../src/web/console/routes.ts';

interface Layerish { stack?: Array<{ route?: { path: string | string[]; methods: Record<string, boolean> }; handle?: Layerish }> }

function servedRoutes(router: Layerish): string[] {
  const out: string[] = [];
  for (const layer of router.stack ?? []) {
    if (layer.route) {
      for (const path of [layer.route.path].flat()) for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') out.push(`${m} ${path}`);
    } else if (layer.handle?.stack) out.push(...servedRoutes(layer.handle));
  }
  return out;
}

let api: TestApi;
const skip = postgresSkip();
before(async () => {
  if (!skip) api = await startTestApi();
});
after(async () => api?.close());

const methods = ['get', 'post', 'put', 'patch', 'delete'];

test('/openapi.json documents exactly the routes the server answers', { skip }, async () => {
  const res = await api.call('GET', '/openapi.json', { token: null });
  assert.equal(res.status, 200);
  const doc = res.body;
  assert.equal(doc.openapi, '3.1.0');
  const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) => Object.keys(ops).filter((m) => methods.includes(m)).map((m) => `${m} ${path}`));
  assert.ok(documented.length > 60);
  // Every documented operation exists: calling it never answers "no such route" (404 with our message) or 405.
  for (const op of documented) {
    const [method, path] = op.split(' ');
    const concrete = path!.replace(/\{\w+\}/g, 'x_00000000000000000000000000');
    const r = await api.call(method!.toUpperCase(), concrete, { body: ['post', 'put', 'patch'].includes(method!) ? {} : undefined });
    assert.notEqual(r.status, 405, `${op} is documented but the method is not served`);
    assert.ok(!(r.status === 404 && /^No route/.test(r.body?.detail ?? '')), `${op} is documented but not served`);
  }
  // Every route express serves (read from its router table, not from ours) is documented.
  const app = createApp({ database: api.database, secrets: testSecretBox(), logger: { info() {}, warn() {}, error() {} } as never });
  const served = servedRoutes((app.express as unknown as { router: Layerish }).router).filter((r) => !r.includes(' /docs') && !r.includes(' /favicon.') && !r.includes(' /console/'))
    // The console's pages are HTML for people (one page, many paths), not API operations.
    .filter((r) => !(consolePaths as readonly string[]).includes(r.replace(/^get /, '')));
  const documentedExpress = documented.map((op) => { const [m, p] = op.split(' '); return `${m} ${toExpressPath(p!)}`; });
  assert.deepEqual(served.filter((r) => !documentedExpress.includes(r)), [], 'served but not documented');
  const ids = new Set<string>();
  for (const op of documented) {
    const [method, path] = op.split(' ');
    const operation = doc.paths[path!][method!];
    assert.ok(operation.operationId && !ids.has(operation.operationId), `${op} has a unique operationId`);
    ids.add(operation.operationId);
    assert.ok(operation.responses.default, `${op} documents its errors`);
    assert.ok(toExpressPath(path!).startsWith('/'));
  }
});

test('each documented request and response schema compiles', { skip }, async () => {
  const doc = (await api.call('GET', '/openapi.json', { token: null })).body;
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  let count = 0;
  for (const ops of Object.values(doc.paths as Record<string, Record<string, any>>)) {
    for (const op of Object.values(ops)) {
      const schemas = [
        ...Object.values(op.requestBody?.content ?? {}).map((c: any) => c.schema),
        ...Object.values(op.responses as Record<string, any>).flatMap((r) => Object.values(r.content ?? {}).map((c: any) => c.schema)),
      ].filter((s) => s && !s.$ref);
      for (const schema of schemas) {
        ajv.compile(schema);
        count++;
      }
    }
  }
  assert.ok(count > 100);
});

test('/docs serves an interactive reference without any external asset', { skip }, async () => {
  const page = await fetch(`${api.url}/docs`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.ok(!/https?:\/\//.test(html), 'no CDN links');
  const bundle = await fetch(`${api.url}/docs/assets/swagger-ui-bundle.js`);
  assert.equal(bundle.status, 200);
});
