import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { formatIncidents, type IncidentRecord } from '../demo/incidents.view.ts';
import { freePort } from './support/processes.ts';

// `npm run demo -- incidents`: the lines it prints for open and resolved incidents, and its errors.
// Against real incidents on the demo fleet it runs in scripts/test/reference-outage.test.ts.
// Run with: npm test -- scripts/test/demo-incidents.test.ts

const root = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);
const teams = new Map([['team_f', 'fulfillment'], ['team_p', 'platform']]);

const cut: IncidentRecord = {
  id: 'inc_2', number: 2, state: 'identified', team_id: 'team_f', title: 'fulfillment-api cannot reach shipping-integration (shipping-integration is up from local, remote)',
  root_cause: { kind: 'edge', name: 'fulfillment-api → shipping-integration', reason: 'edge_target_healthy' },
  impacted: [{ kind: 'service', name: 'fulfillment-api' }],
  alerts: [
    { state: 'firing', notification: 'held', rule_name: 'fulfillment-service-unhealthy' },
    { state: 'firing', notification: 'sent', rule_name: 'fulfillment-path-blocked' },
  ],
  opened_at: '2026-12-01T16:20:03.512Z', resolved_at: null,
};
const resolved: IncidentRecord = {
  id: 'inc_1', number: 1, state: 'resolved', team_id: 'team_p', title: 'customer-profile is down',
  root_cause: { kind: 'service', name: 'customer-profile', reason: 'dependencies_healthy' },
  impacted: [{ name: 'identity' }, { name: 'cart' }],
  alerts: [
    { state: 'resolved', notification: 'sent', rule_name: 'platform-service-unhealthy' },
    { state: 'resolved', notification: 'released', rule_name: 'checkout-service-unhealthy' },
    { state: 'resolved', notification: 'held', rule_name: 'platform-service-unhealthy' },
  ],
  opened_at: '2026-12-01T16:10:00.000Z', resolved_at: '2026-12-01T16:11:42.900Z',
};

test('open incidents first, then the resolved ones: number, state, title, owner, root cause, impacted, pages sent (released count) and held, times', () => {
  assert.equal(formatIncidents([cut, resolved], teams), [
    'Open incidents (1):',
    '#2  IDENTIFIED  fulfillment-api cannot reach shipping-integration (shipping-integration is up from local, remote)',
    '    owner fulfillment; root cause: edge fulfillment-api → shipping-integration (edge_target_healthy)',
    '    impacted: fulfillment-api',
    '    alerts: 2 (2 firing); pages sent 1, held 1',
    '    opened 16:20:03Z, still open',
    '',
    'Recently resolved (1):',
    '#1  RESOLVED  customer-profile is down',
    '    owner platform; root cause: service customer-profile (dependencies_healthy)',
    '    impacted: identity, cart',
    '    alerts: 3 (0 firing); pages sent 2, held 1',
    '    opened 16:10:00Z, resolved 16:11:42Z',
  ].join('\n'));
});

test('no root cause yet, no owner, nothing impacted; nothing open; no incidents at all', () => {
  const young: IncidentRecord = { ...cut, state: 'investigating', team_id: null, root_cause: null, impacted: [], alerts: [{ state: 'firing', notification: 'sent', rule_name: 'r' }] };
  assert.match(formatIncidents([young], teams), /owner no team yet; root cause: not named yet\n {4}impacted: nothing else\n {4}alerts: 1 \(1 firing\); pages sent 1, held 0/);
  assert.match(formatIncidents([resolved], teams), /^No open incidents\.\n\nRecently resolved \(1\):/);
  assert.match(formatIncidents([], teams), /^No incidents yet/);
});

test('the CLI says what is missing: no token, or no API at the URL', async () => {
  const cli = (env: Record<string, string>) => run(process.execPath, ['--import', 'tsx', join(root, 'scripts/demo.ts'), 'incidents'], { cwd: root, env: { ...process.env, ...env } }).then(() => assert.fail('succeeded'), (e: { code: number; stderr: string }) => e);
  const noToken = await cli({ PHAROS_TOKEN: '' });
  assert.equal(noToken.code, 1);
  assert.match(noToken.stderr, /PHAROS_TOKEN is not set/);
  const noApi = await cli({ PHAROS_TOKEN: 'phs_x', PHAROS_API_URL: `http://127.0.0.1:${await freePort()}` });
  assert.equal(noApi.code, 1);
  assert.match(noApi.stderr, /The Pharos API at http:\/\/127\.0\.0\.1:\d+ is not reachable .*npm start/);
});
