import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';

// The control plane serves the console's page at the console's paths (so a link or a reload lands
// on its view) with a strict Content-Security-Policy, serves the bundle, and leaves every other path
// to the API's JSON 404.

const skip = postgresSkip();
let api: TestApi;
before(async () => {
  if (skip) return;
  api = await startTestApi();
});
after(async () => api?.close());

const csp = (headers: Headers) => headers.get('content-security-policy') ?? '';

for (const path of ['/', '/incidents/x', '/map', '/monitors/mon_1']) {
  test(`${path} answers the console page with the CSP header`, { skip }, async () => {
    const res = await api.call('GET', path, { token: null });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(res.body, /<script type="module" src="\/console\/console\.js"><\/script>/);
    assert.doesNotMatch(res.body, /<script>(?!<)/, 'no inline script');
    const policy = csp(res.headers);
    assert.match(policy, /script-src 'self'(;|$)/, 'scripts from this server only');
    assert.match(policy, /connect-src 'self'/, 'data from this server only');
    assert.match(policy, /frame-ancestors 'none'/);
    assert.doesNotMatch(policy, /https?:/, 'no other host is allowed');
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
  });
}

test('the bundle and stylesheet are served by Pharos itself', { skip }, async () => {
  const js = await fetch(`${api.url}/console/console.js`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type') ?? '', /javascript/);
  const text = await js.text();
  assert.ok(text.length > 1000, 'the built bundle, not an empty file');
  assert.doesNotMatch(text, /https:\/\/(cdn|unpkg|fonts)\./, 'no asset from a CDN');
  const css = await fetch(`${api.url}/console/console.css`);
  assert.equal(css.status, 200);
  assert.match(css.headers.get('content-type') ?? '', /text\/css/);
});

test('an unknown path still answers the JSON 404 problem', { skip }, async () => {
  for (const path of ['/nope', '/console/nope.js', '/incidents/x/y']) {
    const res = await api.call('GET', path, { token: null });
    assert.equal(res.status, 404, path);
    assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/, path);
    assert.equal(res.body.code, 'not_found', path);
  }
});
