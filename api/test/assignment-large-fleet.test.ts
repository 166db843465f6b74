import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { postgresSkip, startTestApi, type TestApi } from './support/harness.ts';
import { expectOk, unique } from './support/world.ts';
import { registerRunner } from './support/simulated-runner.ts';

// Placement of a fleet whose writes and reads outgrow one statement's bind parameters (PostgreSQL
// carries at most 65,535 per statement): monitors whose runners die and are replaced, so every slot
// is taken over (and asked for a check at once) in one plan. The monitors are copied in SQL from
// one created through the API.

type Runner = Awaited<ReturnType<typeof registerRunner>>;

/** A control plane on PostgreSQL with `monitors` monitors in `regions`, and the helpers the tests share. */
function largeFleet(monitors: number, regions: string[]) {
  const fleet = {
    api: undefined as unknown as TestApi,
    /** Slots owned per runner. */
    owners: async () => (await sql<{ runner_id: string; n: string }>`SELECT runner_id, count(*) AS n FROM slot_assignments GROUP BY runner_id`.execute(fleet.api.database.db)).rows,
    /**
     * A registration answers once placed or after a third of the lease: on a busy machine a large
     * plan may outlast that, so the runners poll (renewing their leases) until it is done.
     */
    placed: async (runners: Runner[], done: () => Promise<boolean>) => {
      const deadline = Date.now() + 120_000;
      do for (const r of runners) await fleet.poll(r);
      while (!(await done()) && Date.now() < deadline);
    },
    /**
     * One poll as a runner makes it: an answer of 503 (the pool's connections all taken while a plan
     * of this size runs on a busy machine) is retried after a pause, as its Retry-After asks.
     */
    poll: async (r: Runner) => {
      for (let attempt = 0; ; attempt++) {
        const res = await fleet.api.call('GET', `/v1/runner/assignments?runner_id=${r.id}&revision=${r.revision}&wait=0`, { token: r.token });
        if (res.status === 503 && attempt < 30) {
          await new Promise((resolve) => setTimeout(resolve, 1000));
          continue;
        }
        assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 500));
        r.revision = res.body.revision;
        return res.body;
      }
    },
    tokens: async () => {
      const tokens: string[] = [];
      for (const region of regions) tokens.push((await expectOk(fleet.api, 'POST', '/v1/runner-tokens', fleet.api.adminToken, { name: unique('rt'), region })).token as string);
      return tokens;
    },
    /** Every runner in `runners` lapses at once. */
    lapse: async (runners: Runner[]) => {
      await sql`UPDATE runners SET lease_expires_at = now() - interval '1 second' WHERE id IN (${sql.join(runners.map((r) => r.id))})`.execute(fleet.api.database.db);
    },
    unowned: async () => {
      const rows = await sql<{ n: string }>`SELECT count(*) AS n FROM monitors m CROSS JOIN unnest(${sql.val(regions)}::text[]) AS r(region)
                                            WHERE NOT EXISTS (SELECT 1 FROM slot_assignments s WHERE s.monitor_id = m.id AND s.region = r.region)`.execute(fleet.api.database.db);
      return Number(rows.rows[0]!.n);
    },
    confirmations: async () => (await sql<{ runner_id: string; n: string }>`SELECT runner_id, count(*) AS n FROM confirmation_requests GROUP BY runner_id`.execute(fleet.api.database.db)).rows.map((r) => [r.runner_id, Number(r.n)]),
  };
  before(async () => {
    fleet.api = await startTestApi({ backend: 'postgres', app: { sweepEveryMs: 600_000 } });
    const api = fleet.api;
    const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
    const service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('svc'), team_id: team })).id;
    const template = (await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { name: unique('m'), service_id: service, type: 'http', interval_seconds: 30, regions, http: { url: 'http://127.0.0.1:9/health' } })).id;
    await sql`INSERT INTO monitors (id, org_id, team_id, name, type, service_id, spec, secrets, created_at, updated_at, version)
              SELECT t.id || '_' || g, t.org_id, t.team_id, t.name || '-' || g, t.type, t.service_id, t.spec || jsonb_build_object('name', t.name || '-' || g), t.secrets, now(), now(), 1
              FROM monitors t CROSS JOIN generate_series(1, ${monitors - 1}) g WHERE t.id = ${template}`.execute(api.database.db);
  });
  after(async () => fleet.api?.close());
  return fleet;
}

describe('placement of 10,000 monitors × 2 regions on PostgreSQL', { skip: postgresSkip() }, () => {
  const monitors = 10_000;
  const regions = [unique('ra'), unique('rb')];
  const fleet = largeFleet(monitors, regions);

  test('every slot has an owner, also after every runner died and was replaced', async () => {
    const tokens = await fleet.tokens();
    const first = [];
    for (const token of tokens) first.push(await registerRunner(fleet.api, token));
    await fleet.placed(first, async () => (await fleet.owners()).map((o) => Number(o.n)).join() === `${monitors},${monitors}`);
    assert.deepEqual((await fleet.owners()).map((o) => Number(o.n)), [monitors, monitors]);

    // Both runners' leases lapse; their replacements take over every slot in one plan each.
    await fleet.lapse(first);
    const second = [];
    for (const token of tokens) second.push(await registerRunner(fleet.api, token));
    const ids = new Set(second.map((r) => r.id));
    // Done when both replacements own their region's slots (not when the first one's plan alone is in).
    await fleet.placed(second, async () => {
      const owners = await fleet.owners();
      return owners.length === 2 && owners.every((o) => ids.has(o.runner_id) && Number(o.n) === monitors);
    });
    for (const r of second) assert.ok(r.revision > 0);
    const byRunner = new Map((await fleet.owners()).map((o) => [o.runner_id, Number(o.n)]));
    assert.deepEqual([...byRunner.keys()].sort(), second.map((r) => r.id).sort(), 'the replacements own every slot');
    assert.deepEqual(second.map((r) => byRunner.get(r.id)), [monitors, monitors]);
    assert.equal(await fleet.unowned(), 0);
    // The first replacement's plan takes its region's 10,000 slots from a dead owner (never checked,
    // so overdue) and asks for a check of each (8 columns × 10,000 rows); the other region's slots
    // were left without an owner by that plan, so the second replacement takes unowned slots.
    assert.deepEqual(await fleet.confirmations(), [[second[0]!.id, monitors]]);
  });

  test('every runner lost with every slot up: one plan records 20,000 transitions to unknown (no_runner)', async () => {
    const db = fleet.api.database.db;
    await sql`INSERT INTO slot_states (org_id, monitor_id, region, state, since, successes, last_result_at)
              SELECT m.org_id, m.id, r.region, 'up', now() - interval '1 hour', 3, now() - interval '10 seconds'
              FROM monitors m CROSS JOIN unnest(${sql.val(regions)}::text[]) AS r(region)
              ON CONFLICT (monitor_id, region) DO UPDATE SET state = 'up', cause = NULL`.execute(db);
    await sql`UPDATE runners SET lease_expires_at = now() - interval '1 second'`.execute(db);
    // A runner of another region registers: its plan finds no live runner for any slot of the fleet.
    const elsewhere = (await expectOk(fleet.api, 'POST', '/v1/runner-tokens', fleet.api.adminToken, { name: unique('rt'), region: unique('rz') })).token as string;
    const lone = await registerRunner(fleet.api, elsewhere);
    const count = async (query: ReturnType<typeof sql<{ n: string }>>) => Number((await query.execute(db)).rows[0]!.n);
    const noRunner = () => count(sql<{ n: string }>`SELECT count(*) AS n FROM slot_states WHERE state = 'unknown' AND cause = 'no_runner'`);
    await fleet.placed([lone], async () => (await noRunner()) === 2 * monitors);
    assert.equal(await noRunner(), 2 * monitors);
    assert.equal(await count(sql<{ n: string }>`SELECT count(*) AS n FROM state_transitions WHERE subject_type = 'slot' AND from_state = 'up' AND to_state = 'unknown'`), 2 * monitors);
    assert.equal(Number((await fleet.owners()).length), 0, 'no slot has an owner');
  });
});

describe('a takeover of 66,000 slots in one plan on PostgreSQL', { skip: postgresSkip() }, () => {
  // More slots than one statement has bind parameters: the plan reads the last results of every
  // slot it takes from a dead runner, and the owner's next poll reads every taken monitor's spec.
  const monitors = 66_000;
  const fleet = largeFleet(monitors, [unique('rc')]);
  const ownsAll = (r: Runner) => async () => (await fleet.owners()).map((o) => `${o.runner_id}:${o.n}`).join() === `${r.id}:${monitors}`;

  test('a dead runner\'s replacement owns every slot and is asked to check each; a runner back hears of every slot in one answer', async () => {
    const [token] = await fleet.tokens();
    const a = await registerRunner(fleet.api, token!);
    await fleet.placed([a], ownsAll(a));
    await fleet.poll(a);

    await fleet.lapse([a]);
    const b = await registerRunner(fleet.api, token!);
    await fleet.placed([b], ownsAll(b));
    assert.equal(await fleet.unowned(), 0);
    assert.deepEqual(await fleet.confirmations(), [[b.id, monitors]]);

    // b dies; a comes back from its lapsed lease, from the revision it had: its answers are changes
    // since then, one of them every monitor it takes back.
    await fleet.lapse([b]);
    const taken = new Set<string>();
    const deadline = Date.now() + 120_000;
    while (taken.size < monitors && Date.now() < deadline) {
      const known = a.revision;
      const answer = await fleet.poll(a);
      assert.equal(answer.full, false, `revision ${known} is a's own: the answer is its changes since`);
      for (const m of answer.monitors) taken.add(m.id);
    }
    assert.equal(taken.size, monitors);
    assert.ok(await ownsAll(a)());
  });
});
