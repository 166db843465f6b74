import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';
import { pollRunner, registerRunner } from './support/simulated-runner.ts';

// GET /v1/status and GET /v1/dependency-graph with limit and cursor: the pages, followed by
// next_cursor, hold exactly what the unpaged answer holds, in the same order, each item once; the
// summaries of every status page count the whole board; a team member pages through their own view
// only; a damaged cursor is a 400 problem.

describe('paged /v1/status and /v1/dependency-graph', { skip: postgresSkip() }, () => {
  let api: TestApi;
  let viewer: string;
  const teams: string[] = [];
  const services: string[] = [];

  const get = async (path: string, token?: string) => {
    const res = await api.call('GET', path, token ? { token } : {});
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  /** Follows next_cursor from the first page; returns every page. */
  const pages = async (path: string, limit: number, token?: string) => {
    const all: any[] = [];
    let cursor: string | undefined;
    const sep = path.includes('?') ? '&' : '?';
    do {
      const page = await get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
      all.push(page);
      cursor = page.next_cursor;
      assert.ok(all.length <= 20, 'paging ends');
    } while (cursor);
    return all;
  };

  before(async () => {
    api = await startTestApi({ backend: 'postgres', app: { runner: { leaseSeconds: 600 } } });
    for (let t = 0; t < 2; t++) teams.push((await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique(`team${t}`) })).id);
    // Seven services alternating between the teams, each with two monitors; a chain of edges plus one cross edge.
    for (let i = 0; i < 7; i++) {
      const id = (await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: `svc-${i}-${unique('s')}`, team_id: teams[i % 2] })).id as string;
      services.push(id);
      for (let m = 0; m < 2; m++) await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { ...bodies.monitor(id), regions: ['paged-a', 'paged-b'] });
    }
    for (let i = 1; i < 7; i++) await expectOk(api, 'POST', `/v1/services/${services[i]}/dependencies`, api.adminToken, { depends_on_service_id: services[i - 1] });
    await expectOk(api, 'POST', `/v1/services/${services[6]}/dependencies`, api.adminToken, { depends_on_service_id: services[0] });
    // Slots with states, so each monitor's regions are on the board.
    for (const region of ['paged-a', 'paged-b']) await pollRunner(api, await registerRunner(api, (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token));
    await api.app.settle();
    viewer = (await expectOk(api, 'POST', '/v1/tokens', api.adminToken, { name: unique('viewer'), role: 'viewer', team_id: teams[1] })).token;
  });
  after(async () => api?.close());

  test('status pages concatenate to the whole board; each page carries the whole board\'s summaries', async () => {
    const whole = await get('/v1/status');
    assert.equal(whole.services.length, 7);
    assert.equal(whole.next_cursor, undefined, 'the unpaged board has no cursor');
    assert.ok(whole.services.every((s: any) => s.monitors.length === 2 && s.monitors.every((m: any) => m.regions.length === 2)), 'every monitor with both regions');
    for (const limit of [1, 3, 7, 50]) {
      const all = await pages('/v1/status', limit);
      assert.equal(all.length, Math.ceil(7 / limit), `limit ${limit}: page count`);
      assert.deepEqual(all.flatMap((p) => p.services), whole.services, `limit ${limit}: the same services, monitors and regions, in order`);
      assert.deepEqual(all.flatMap((p) => p.edges).map((e: any) => e.id).sort(), whole.edges.map((e: any) => e.id).sort(), `limit ${limit}: every edge exactly once`);
      for (const p of all) {
        assert.deepEqual(p.summary, whole.summary, 'summary of the whole board');
        assert.deepEqual(p.edge_summary, whole.edge_summary, 'edge summary of the whole board');
        const ids = new Set(p.services.map((s: any) => s.id));
        assert.ok(p.edges.every((e: any) => ids.has(e.service_id)), 'a page\'s edges leave its own services');
      }
    }
  });

  test('a team member pages through their own board only', async () => {
    const whole = await get('/v1/status', viewer);
    assert.equal(whole.services.length, 3);
    const all = await pages('/v1/status', 2, viewer);
    assert.deepEqual(all.flatMap((p) => p.services), whole.services);
    assert.ok(all.every((p) => p.services.every((s: any) => s.team_id === teams[1])));
    assert.deepEqual(all[0].summary, whole.summary);
    const team = await pages(`/v1/status?team_id=${teams[0]}`, 3);
    assert.deepEqual(team.flatMap((p) => p.services).map((s: any) => s.id), (await get(`/v1/status?team_id=${teams[0]}`)).services.map((s: any) => s.id));
  });

  test('graph pages concatenate to the whole graph, each edge on the page of its dependent service', async () => {
    for (const [query, token] of [['', undefined], [`?team=${teams[0]}`, undefined], ['', viewer]] as const) {
      const whole = await get(`/v1/dependency-graph${query}`, token);
      assert.ok(whole.nodes.length >= 3 && whole.edges.length >= 3, 'a graph worth paging');
      for (const limit of [1, 2, 5]) {
        const all = await pages(`/v1/dependency-graph${query}`, limit, token);
        assert.equal(all.length, Math.ceil(whole.nodes.length / limit), `${query} limit ${limit}: page count`);
        assert.deepEqual(all.flatMap((p) => p.nodes), whole.nodes, `${query} limit ${limit}: the same nodes in order`);
        assert.deepEqual(all.flatMap((p) => p.edges).sort((a: any, b: any) => a.id.localeCompare(b.id)), [...whole.edges].sort((a: any, b: any) => a.id.localeCompare(b.id)), `${query} limit ${limit}: every edge once`);
        for (const p of all) {
          const ids = new Set(p.nodes.map((n: any) => n.id));
          assert.ok(p.edges.every((e: any) => ids.has(e.service_id)));
        }
      }
    }
  });

  test('a damaged cursor or a bad limit is a problem, not a page', async () => {
    for (const path of ['/v1/status', '/v1/dependency-graph']) {
      const damaged = await api.call('GET', `${path}?limit=2&cursor=not-a-cursor`);
      assert.equal(damaged.status, 400, JSON.stringify(damaged.body));
      assert.equal(damaged.body.code, 'bad_request');
      const zero = await api.call('GET', `${path}?limit=0`);
      assert.equal(zero.status, 422);
      assert.equal(zero.body.code, 'validation_failed');
    }
    const noBar = await api.call('GET', `/v1/dependency-graph?limit=2&cursor=${Buffer.from('v1:nobar').toString('base64url')}`);
    assert.equal(noBar.status, 400);
  });
});
