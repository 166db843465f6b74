import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { monotonicFactory } from 'ulid';
import { newId } from '../src/shared/ids.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { expectOk, unique } from './support/world.ts';
import { pollRunner, registerRunner, type SimulatedRunner } from './support/simulated-runner.ts';

// The public status page on a real PostgreSQL with real check results from simulated runners in two
// regions: what it shows (component statuses, uptime days, incidents with public notes only,
// maintenance), what it must never show (every internal string is seeded distinctively and searched
// for in the HTML and the JSON), and that an internal page and an unknown slug answer the same 404.

const ulid = monotonicFactory();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const H = 3_600_000;

describe('public status pages', { skip: postgresSkip() }, () => {
  let api: TestApi;
  const regions = [unique('east'), unique('west')];
  const runners: SimulatedRunner[] = [];
  const secret = {
    team: unique('team-zircon-internal'),
    otherTeam: unique('team-obsidian-internal'),
    checkout: unique('svc-cobalt-checkout-internal'),
    payments: unique('svc-magenta-payments-internal'),
    search: unique('svc-umber-search-internal'),
    statusApi: unique('svc-taupe-statusapi-internal'),
    hidden: unique('svc-vermilion-ledger-hidden'),
    monitorCheckout: unique('mon-probe-checkout-secret'),
    monitorPayments: unique('mon-probe-payments-secret'),
    monitorSearch: unique('mon-probe-search-secret'),
    monitorHidden: unique('mon-probe-ledger-secret'),
    host: 'checkout-backend.corp-internal-7q.example',
    errorMessage: unique('ECONNREFUSED-upstream-pool-exhausted'),
    errorCode: 'pool_exhausted_7q',
    incidentTitle: unique('INTERNAL-db-failover-omega'),
    privateNote: unique('PRIVATE-rotated-the-primary-password'),
    windowName: unique('MW-secret-kernel-patch'),
    pageName: unique('page-internal-name-quasar'),
    pageDescription: unique('page-internal-description-nebula'),
    internalTitle: unique('Internal-only ops board'),
  };
  const publicNote = 'We have found the cause and are rerouting traffic.';
  const statusCode = 418;
  const incidentNumber = 7331;
  const ids = {} as Record<'team' | 'otherTeam' | 'checkout' | 'payments' | 'search' | 'statusApi' | 'hidden' | 'open' | 'resolved' | 'hiddenIncident' | 'page' | 'internalPage', string>;
  const monitors = {} as Record<'checkout' | 'payments' | 'search' | 'hidden', string>;
  const slug = unique('acme');
  const internalSlug = unique('ops');
  let viewerOther: string;

  const push = async (monitorId: string, region: string, status: 'up' | 'down', at: Date) => {
    const r = runners[regions.indexOf(region)]!;
    const failing = status === 'down' ? { status_code: statusCode, error: { code: secret.errorCode, message: `${secret.errorMessage} at https://${secret.host}:8443/health` } } : { status_code: 200 };
    const res = await api.call('POST', '/v1/runner/results', { token: r.token, body: { runner_id: r.id, results: [{ id: `res_${ulid()}`, monitor_id: monitorId, region, started_at: at.toISOString(), status, duration_ms: 12, ...failing }] } });
    assert.equal(res.body.accepted?.length, 1, JSON.stringify(res.body));
  };
  const monitorBody = (service: string, name: string) => ({
    name, service_id: service, type: 'http', interval_seconds: 300, timeout_seconds: 1, failure_threshold: 1, recovery_threshold: 1, regions,
    http: { url: `https://${secret.host}:8443/health?token=abc` }, assertions: [{ source: 'status_code', operator: 'equals', target: '200' }],
  });
  const insertIncident = async (f: { number: number; state: 'investigating' | 'identified' | 'resolved'; serviceIds: string[]; startedAgo: number; resolvedAgo?: number }) => {
    const id = newId('incident');
    const now = Date.now();
    await api.database.db.insertInto('incidents').values({
      id, org_id: api.orgId, number: f.number, title: secret.incidentTitle, state: f.state, severity: 'critical', team_id: ids.team,
      // Only the open one names a root cause: open incidents sharing one are merged by the correlator.
      root_cause: f.state === 'identified' ? JSON.stringify({ node: `service:${ids.hidden}`, kind: 'service', id: ids.hidden, name: secret.hidden }) : null, candidates: JSON.stringify([]), impacted: JSON.stringify([]),
      evidence: JSON.stringify([{ monitor_id: monitors.checkout, region: regions[0], state: 'down', status_code: statusCode, error: secret.errorMessage }]),
      service_ids: f.serviceIds, team_ids: [ids.team], opened_at: new Date(now - f.startedAgo), first_failure_at: new Date(now - f.startedAgo), last_alert_at: new Date(now - f.startedAgo),
      resolved_at: f.resolvedAgo === undefined ? null : new Date(now - f.resolvedAgo), auto_resolve: false, updated_at: new Date(now - f.startedAgo),
    }).execute();
    return id;
  };
  const publicPage = () => api.call('GET', `/status/${slug}`, { token: null });
  const publicJson = (headers: Record<string, string> = {}) => api.call('GET', `/status/${slug}/summary.json`, { token: null, headers });
  const textOf = async (path: string) => (await fetch(`${api.url}${path}`)).text();

  before(async () => {
    api = await startTestApi({ backend: 'postgres', app: { runner: { leaseSeconds: 600 } } });
    const admin = api.adminToken;
    ids.team = (await expectOk(api, 'POST', '/v1/teams', admin, { name: secret.team })).id;
    ids.otherTeam = (await expectOk(api, 'POST', '/v1/teams', admin, { name: secret.otherTeam })).id;
    viewerOther = (await expectOk(api, 'POST', '/v1/tokens', admin, { name: unique('viewer'), role: 'viewer', team_id: ids.otherTeam })).token;
    for (const key of ['checkout', 'payments', 'search', 'statusApi', 'hidden'] as const) ids[key] = (await expectOk(api, 'POST', '/v1/services', admin, { name: secret[key], team_id: ids.team })).id;
    for (const [key, name] of [['checkout', secret.monitorCheckout], ['payments', secret.monitorPayments], ['search', secret.monitorSearch], ['hidden', secret.monitorHidden]] as const) {
      monitors[key] = (await expectOk(api, 'POST', '/v1/monitors', admin, monitorBody(ids[key], name))).id;
    }
    for (const region of regions) {
      const r = await registerRunner(api, (await expectOk(api, 'POST', '/v1/runner-tokens', admin, { name: unique('rt'), region, labels: {} })).token as string);
      await pollRunner(api, r);
      runners.push(r);
    }
    await api.app.settle();
    const t0 = Date.now();
    for (const m of Object.values(monitors)) for (const region of regions) await push(m, region, 'up', new Date(t0 - 2000));
    // Checkout fails in one region of two (partial outage), payments in both (major outage); search stays up; the hidden service fails everywhere.
    await push(monitors.checkout, regions[0]!, 'down', new Date(t0 - 1000));
    for (const region of regions) await push(monitors.payments, region, 'down', new Date(t0 - 1000));
    for (const region of regions) await push(monitors.hidden, region, 'down', new Date(t0 - 1000));

    // Maintenance: one in progress over statusApi, one in two days over search, one over the hidden service only.
    const day = 86_400_000;
    await expectOk(api, 'POST', '/v1/maintenance-windows', admin, { name: secret.windowName, team_id: ids.team, service_ids: [ids.statusApi], starts_at: new Date(t0 - H).toISOString(), ends_at: new Date(t0 + H).toISOString() });
    await expectOk(api, 'POST', '/v1/maintenance-windows', admin, { name: `${secret.windowName}-2`, team_id: ids.team, service_ids: [ids.search], starts_at: new Date(t0 + 2 * day).toISOString(), ends_at: new Date(t0 + 2 * day + 2 * H).toISOString() });
    await expectOk(api, 'POST', '/v1/maintenance-windows', admin, { name: `${secret.windowName}-3`, team_id: ids.team, service_ids: [ids.hidden], starts_at: new Date(t0 + day).toISOString(), ends_at: new Date(t0 + day + H).toISOString() });

    // Incidents: one open over checkout and the hidden service, one resolved yesterday over payments, one over the hidden service only.
    ids.open = await insertIncident({ number: incidentNumber, state: 'identified', serviceIds: [ids.hidden, ids.checkout], startedAgo: 30 * 60_000 });
    ids.resolved = await insertIncident({ number: incidentNumber + 1, state: 'resolved', serviceIds: [ids.payments], startedAgo: 26 * H, resolvedAgo: 25 * H });
    ids.hiddenIncident = await insertIncident({ number: incidentNumber + 2, state: 'investigating', serviceIds: [ids.hidden], startedAgo: H });
    const note = (incident: string, text: string, isPublic?: boolean) =>
      expectOk(api, 'POST', `/v1/incidents/${incident}/notes`, admin, { text, ...(isPublic === undefined ? {} : { public: isPublic }) });
    await note(ids.open, secret.privateNote);
    await note(ids.open, `${secret.privateNote}-explicit`, false);
    await note(ids.open, publicNote, true);
    await note(ids.resolved, 'Payments are back; the provider fixed their side.', true);
    await note(ids.hiddenIncident, 'A public note of an incident not on the page.', true);

    const components = [
      { service_id: ids.checkout, display_name: 'Checkout', group: 'Storefront' },
      { service_id: ids.payments, display_name: 'Payments', group: 'Storefront', description: 'Card and wallet payments' },
      { service_id: ids.search, display_name: 'Search' },
      { service_id: ids.statusApi, display_name: 'Public API' },
    ];
    ids.page = (await expectOk(api, 'POST', '/v1/status-pages', admin, {
      name: secret.pageName, description: secret.pageDescription, team_id: ids.team, title: 'Acme status', slug, visibility: 'public', components, history_days: 30,
      custom_text: 'Status of Acme\'s shop.\nQuestions: <support@acme.example> & "friends"',
    })).id;
    ids.internalPage = (await expectOk(api, 'POST', '/v1/status-pages', admin, { name: unique('internal'), team_id: ids.team, title: secret.internalTitle, slug: internalSlug, visibility: 'internal', components })).id;
  });
  after(async () => api?.close());

  test('POST …/notes takes public (default false) and the timeline shows it as payload.public', async () => {
    const detail = (await api.call('GET', `/v1/incidents/${ids.open}`)).body;
    const notes = detail.timeline.filter((e: { kind: string }) => e.kind === 'note').map((e: { payload: { text: string; public: boolean } }) => [e.payload.text, e.payload.public]);
    assert.deepEqual(notes, [[secret.privateNote, false], [`${secret.privateNote}-explicit`, false], [publicNote, true]]);
    const bad = await api.call('POST', `/v1/incidents/${ids.open}/notes`, { body: { text: 'x', public: 'yes' } });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.errors[0].pointer, '/public');
    const after = (await api.call('GET', `/v1/incidents/${ids.open}`)).body;
    assert.equal(after.timeline.filter((e: { kind: string }) => e.kind === 'note').length, 3, 'a refused note writes nothing');
  });

  test('summary.json: component statuses, the overall indicator, uptime days, incidents with public notes only, maintenance', async () => {
    const res = await publicJson();
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const s = res.body;
    assert.deepEqual(s.page.title, 'Acme status');
    assert.equal(s.page.slug, slug);
    assert.equal(s.page.history_days, 30);
    assert.ok(Math.abs(Date.parse(s.page.updated_at) - Date.now()) < 60_000);
    assert.deepEqual(s.groups.map((g: { name: string | null; components: Array<{ name: string; status: string }> }) => [g.name, g.components.map((c) => [c.name, c.status])]), [
      ['Storefront', [['Checkout', 'partial_outage'], ['Payments', 'major_outage']]],
      [null, [['Search', 'operational'], ['Public API', 'under_maintenance']]],
    ]);
    assert.deepEqual(s.status, { indicator: 'major_outage', description: 'Major outage' });
    const [checkout, payments] = s.groups[0].components;
    const search = s.groups[1].components[0];
    assert.equal(payments.description, 'Card and wallet payments');
    for (const c of [checkout, payments, search]) {
      assert.equal(c.days.length, 30, 'one day per history day');
      assert.equal(c.days.at(-1).date, new Date().toISOString().slice(0, 10), 'the last day is today (UTC)');
      assert.equal(c.days[0].uptime_ratio, null, 'before the service existed nothing was observed');
      assert.equal(c.days[0].status, 'unknown');
    }
    assert.equal(search.days.at(-1).uptime_ratio, 1);
    assert.equal(search.days.at(-1).status, 'operational');
    assert.equal(search.uptime_ratio, 1);
    const today = payments.days.at(-1);
    assert.ok(today.uptime_ratio < 1 && today.downtime_seconds > 0, JSON.stringify(today));
    assert.match(today.status, /^(partial|major)_outage$/);
    assert.ok(payments.uptime_ratio < 1);

    assert.equal(s.incidents.open.length, 1, 'the incident of the hidden service alone is not on the page');
    const open = s.incidents.open[0];
    assert.deepEqual(open.components, ['Checkout']);
    assert.equal(open.title, 'Partial outage: Checkout');
    assert.equal(open.state, 'identified');
    assert.equal(open.resolved_at, null);
    assert.deepEqual(open.updates.map((u: { text: string }) => u.text), [publicNote]);
    assert.match(open.id, /^inc_/);
    assert.equal(s.incidents.recent.length, 1);
    assert.deepEqual(s.incidents.recent[0].components, ['Payments']);
    assert.equal(s.incidents.recent[0].state, 'resolved');
    assert.deepEqual(s.incidents.recent[0].updates.map((u: { text: string }) => u.text), ['Payments are back; the provider fixed their side.']);

    assert.deepEqual(s.maintenance.map((m: { components: string[]; in_progress: boolean }) => [m.components, m.in_progress]), [[['Public API'], true], [['Search'], false]]);
  });

  test('the HTML page shows the title, custom text with its line break, banner, components with bars, incidents, maintenance and last update', async () => {
    const res = await publicPage();
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    const html = await textOf(`/status/${slug}`);
    assert.match(html, /<h1>Acme status<\/h1>/);
    assert.match(html, /Status of Acme's shop.\nQuestions: &lt;support@acme.example> &amp; &quot;friends&quot;/, 'custom text escaped, its line break kept');
    assert.ok(!html.includes('<support@'), 'no unescaped text');
    assert.match(html, /class="sp-banner sp-s-major_outage"[^>]*>.*Major outage/);
    for (const word of ['Checkout', 'Payments', 'Search', 'Public API', 'Storefront', 'Partial outage', 'Major outage', 'Operational', 'Under maintenance', publicNote, 'Last updated']) assert.ok(html.includes(word), `shows ${word}`);
    assert.equal((html.match(/class="sp-day /g) ?? []).length, 4 * 30, 'a bar of 30 days per component');
    assert.match(html, /title="\d{4}-\d{2}-\d{2}: (no data|[\d.]+ % uptime)[^"]*"/, 'each day has a label with date, uptime and status');
    assert.match(html, /<link rel="stylesheet" href="\/status-assets\/status.css"\/>/);
    assert.ok(!/<script/i.test(html), 'no script on the page');
    assert.ok(!/style="/.test(html), 'no inline styles');
    const css = await fetch(`${api.url}/status-assets/status.css`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
    assert.match(await css.text(), /\.sp-bars/);
  });

  test('THE LEAK TEST: the HTML and the JSON contain no internal name, monitor, URL, error, team, incident id or number, private note or other service', async () => {
    const html = await textOf(`/status/${slug}`);
    const json = await textOf(`/status/${slug}/summary.json`);
    const internal = JSON.stringify((await api.call('GET', `/v1/status-pages/${ids.page}/summary`)).body);
    const forbidden = [
      secret.team, secret.otherTeam, secret.checkout, secret.payments, secret.search, secret.statusApi, secret.hidden,
      secret.monitorCheckout, secret.monitorPayments, secret.monitorSearch, secret.monitorHidden, secret.host, 'corp-internal', '8443', secret.errorMessage, secret.errorCode, 'ECONNREFUSED',
      secret.incidentTitle, secret.privateNote, secret.windowName, secret.pageName, secret.pageDescription, secret.internalTitle,
      'A public note of an incident not on the page.',
      ids.team, ids.otherTeam, ids.checkout, ids.payments, ids.search, ids.statusApi, ids.hidden, ids.open, ids.resolved, ids.hiddenIncident, ids.page, ids.internalPage, ...Object.values(monitors), ...regions, ...runners.map((r) => r.id),
      'service_id', 'team', 'region', 'error',
    ];
    for (const [what, body] of [['HTML', html], ['summary.json', json], ['internal summary', internal]] as const) {
      const lower = body.toLowerCase();
      for (const s of forbidden) assert.ok(!lower.includes(s.toLowerCase()), `${what} leaks "${s}"`);
      for (const n of [statusCode, incidentNumber, incidentNumber + 1, incidentNumber + 2]) assert.ok(!new RegExp(`(?<![\\d.])${n}(?!\\d)`).test(body), `${what} leaks the number ${n}`);
    }
  });

  test('an internal page and an unknown slug answer the same 404, as HTML for the page and problem+json for summary.json', async () => {
    const pageOf = async (s: string) => {
      const res = await fetch(`${api.url}/status/${s}`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
      return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
    };
    const internalPage = await pageOf(internalSlug);
    const unknownPage = await pageOf(unique('nope'));
    assert.equal(internalPage.status, 404);
    assert.match(internalPage.type ?? '', /^text\/html/);
    assert.deepEqual(internalPage, unknownPage);
    assert.deepEqual(await pageOf('Not A Slug!'), unknownPage, 'an address that cannot be a slug answers the same');
    assert.ok(!internalPage.body.includes(secret.internalTitle));

    const jsonOf = async (s: string) => {
      const res = await api.call('GET', `/status/${s}/summary.json`, { token: null });
      const { instance: _i, request_id: _r, ...rest } = res.body;
      return { status: res.status, type: res.headers.get('content-type'), body: rest, cors: res.headers.get('access-control-allow-origin') };
    };
    // An API client (no text/html in Accept) gets the page's 404 as problem+json, the same for both.
    const pageProblem = async (s: string) => {
      const res = await api.call('GET', `/status/${s}`, { token: null });
      return { status: res.status, type: res.headers.get('content-type'), code: res.body.code, detail: res.body.detail };
    };
    assert.deepEqual(await pageProblem(internalSlug), { status: 404, type: 'application/problem+json; charset=utf-8', code: 'not_found', detail: (await pageProblem(unique('nope'))).detail });

    const internalJson = await jsonOf(internalSlug);
    assert.equal(internalJson.status, 404);
    assert.equal(internalJson.type, 'application/problem+json; charset=utf-8');
    assert.equal(internalJson.body.code, 'not_found');
    assert.deepEqual(internalJson, await jsonOf(unique('nope')));

    // The internal page is read through the API by those who may read its team.
    const inside = await api.call('GET', `/v1/status-pages/${ids.internalPage}/summary`);
    assert.equal(inside.status, 200);
    assert.equal(inside.body.page.title, secret.internalTitle);
    assert.equal((await api.call('GET', `/v1/status-pages/${ids.internalPage}/summary`, { token: viewerOther })).status, 404);
    assert.equal((await api.call('GET', `/v1/status-pages/${ids.internalPage}/summary`, { token: null })).status, 401);
  });

  test('summary.json headers: public cache for 30 s, an ETag (If-None-Match answers 304), CORS open; no token needed', async () => {
    const first = await publicJson();
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('cache-control'), 'public, max-age=30');
    assert.equal(first.headers.get('access-control-allow-origin'), '*');
    assert.match(first.headers.get('content-type') ?? '', /^application\/json/);
    const etag = first.headers.get('etag');
    assert.match(etag ?? '', /^"[\w-]+"$/);
    const again = await publicJson({ 'If-None-Match': etag! });
    assert.equal(again.status, 304, 'the summary is cached, so the same ETag answers 304');
    const other = await publicJson({ 'If-None-Match': '"something-else"' });
    assert.equal(other.status, 200);
  });

  test('a computed summary is served for a few seconds, then computed again', async (t) => {
    const first = (await publicJson()).body.page.updated_at;
    const cached: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      assert.equal((await publicJson()).body.page.updated_at, first, 'served from the cache');
      cached.push(performance.now() - started);
    }
    await sleep(10_500);
    const started = performance.now();
    const later = (await publicJson()).body.page.updated_at;
    const computed = performance.now() - started;
    assert.ok(Date.parse(later) > Date.parse(first), 'computed again after the cache time');
    cached.sort((a, b) => a - b);
    const pageTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const begun = performance.now();
      assert.equal((await fetch(`${api.url}/status/${slug}`).then((r) => r.text())).length > 0, true);
      pageTimes.push(performance.now() - begun);
    }
    t.diagnostic(`/status/{slug} HTML: first render ${pageTimes[0]!.toFixed(1)} ms, then ${pageTimes.slice(1).map((x) => x.toFixed(1)).join(', ')} ms (rendered once per computed summary)`);
    t.diagnostic(`summary.json of a 4-component page: computed ${computed.toFixed(1)} ms; from the cache median ${cached[10]!.toFixed(1)} ms, max ${cached[19]!.toFixed(1)} ms`);
  });

  test('the routes are in /openapi.json', async () => {
    const doc = (await api.call('GET', '/openapi.json', { token: null })).body;
    assert.ok(doc.paths['/status/{slug}']?.get);
    assert.ok(doc.paths['/status/{slug}/summary.json']?.get);
    assert.ok(doc.paths['/v1/status-pages/{id}/summary']?.get);
  });
});
