import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alertmanagerAlerts, namesIn, pharosAlerts, pharosPageStatus, render, standardWebhookValid, summarize } from '../bench/alerting.pages.ts';
import { startReceiver } from '../bench/alerting.receiver.ts';

// The pieces of `npm run bench:alerting` that decide its figures: which page is about which flip and
// whether it fires or resolves, the signature check, the config templates, the summary.

test('Alertmanager webhook bodies give each alert its status and instance; anything else gives none', () => {
  const body = JSON.stringify({
    version: '4', status: 'resolved', receiver: 'bench', groupKey: '{}:{alertname="TargetDown", instance="http://127.0.0.1:1/flip/0"}',
    alerts: [
      { status: 'resolved', labels: { alertname: 'TargetDown', instance: 'http://127.0.0.1:1/flip/0' }, startsAt: '2026-12-01T12:00:00Z', endsAt: '2026-12-01T12:00:30Z' },
      { status: 'firing', labels: { alertname: 'TargetDown', instance: 'http://127.0.0.1:1/flip/1' } },
      { status: 'odd', labels: { instance: 'x' } },
      { status: 'firing', labels: {} },
    ],
  });
  assert.deepEqual(alertmanagerAlerts(body), [
    { status: 'resolved', instance: 'http://127.0.0.1:1/flip/0' },
    { status: 'firing', instance: 'http://127.0.0.1:1/flip/1' },
  ]);
  for (const bad of ['', 'not json', '{"alerts": 3}', 'null', '[]']) assert.deepEqual(alertmanagerAlerts(bad), [], bad);
});

test('a Pharos page is firing or resolved by its status-like fields, resolution first', () => {
  const cases: Array<[unknown, 'firing' | 'resolved' | undefined]> = [
    [{ type: 'alert.firing', data: {} }, 'firing'],
    [{ type: 'alert.resolved', data: {} }, 'resolved'],
    [{ type: 'alert.state_changed', data: { from: 'firing', to: 'resolved' } }, 'resolved'],
    [{ type: 'alert.state_changed', data: { from: 'pending', to: 'firing' } }, 'firing'],
    [{ data: { alerts: [{ status: 'firing', labels: { note: 'resolved' } }] } }, 'firing'],
    [{ event_action: 'trigger' }, 'firing'],
    [{ event_action: 'resolve' }, 'resolved'],
    [{ data: { state: 'confirmed' } }, undefined],
    [{ message: 'resolved', summary: 'firing' }, undefined],
    [{ send_resolved: true }, undefined],
  ];
  for (const [body, expected] of cases) assert.equal(pharosPageStatus(JSON.stringify(body)), expected, JSON.stringify(body));
  assert.equal(pharosPageStatus('not json'), undefined);
});

test('a Pharos webhook body names its alerts in data.alerts, each with its own state', () => {
  const body = JSON.stringify({
    type: 'alert.resolved', timestamp: '2026-12-01T12:00:00.000Z',
    data: {
      version: '1', status: 'resolved', group_labels: { alertname: 'default-f01' },
      alerts: [
        { rule_name: 'default-f01', state: 'resolved', labels: { alertname: 'default-f01', monitor: 'm-default-f01' } },
        { rule_name: 'default-f02', state: 'firing', labels: { alertname: 'default-f02' } },
        { labels: { alertname: 'default-f03' }, state: 'firing' },
        { rule_name: 'default-f04', state: 'pending' },
        null,
      ],
    },
  });
  assert.deepEqual(pharosAlerts(body, ['default-f01', 'default-f02', 'default-f03', 'default-f04']), [
    { name: 'default-f01', status: 'resolved' },
    { name: 'default-f02', status: 'firing' },
    { name: 'default-f03', status: 'firing' },
  ]);
  assert.deepEqual(pharosAlerts(body, ['fast-f01']), []);
  // A body without data.alerts: the names it carries, with the body's status.
  assert.deepEqual(pharosAlerts(JSON.stringify({ status: 'firing', rule: 'fast-f01' }), ['fast-f01', 'fast-f02']), [{ name: 'fast-f01', status: 'firing' }]);
  assert.deepEqual(pharosAlerts('null', ['fast-f01']), []);
});

test('a page belongs to the alert names it carries as whole JSON strings', () => {
  const body = JSON.stringify({ data: { labels: { alertname: 'default-f10', monitor: 'm-default-f01' } } });
  assert.deepEqual(namesIn(body, ['default-f01', 'default-f1', 'default-f10']), ['default-f10']);
});

test('Standard Webhooks signatures: the specification\'s example verifies, a changed byte or key does not', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const body = '{"test": 2432232314}';
  const headers = { 'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'webhook-timestamp': '1614265330', 'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' };
  assert.equal(standardWebhookValid(secret, headers, body), true);
  assert.equal(standardWebhookValid(secret, { ...headers, 'webhook-signature': `v1,bm90IGl0 ${headers['webhook-signature']}` }, body), true, 'any listed signature may match');
  assert.equal(standardWebhookValid(secret, headers, body.replace('2', '3')), false);
  assert.equal(standardWebhookValid(secret, { ...headers, 'webhook-timestamp': '1614265331' }, body), false);
  assert.equal(standardWebhookValid('whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', headers, body), false);
  assert.equal(standardWebhookValid(secret, { ...headers, 'webhook-signature': 'v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' }, body), false);
  assert.equal(standardWebhookValid(secret, { 'webhook-id': headers['webhook-id'] }, body), false);
});

test('summaries count flips without a page in "of" only', () => {
  assert.deepEqual(summarize([3000, NaN, 1000, 2000, 5000]), { n: 4, of: 5, median: 2000, p90: 5000, max: 5000 });
  const none = summarize([NaN, NaN]);
  assert.equal(none.n, 0);
  assert.equal(none.of, 2);
  assert.ok(Number.isNaN(none.median) && Number.isNaN(none.max));
});

test('every config template renders with the bench\'s values, and a missing value is an error', () => {
  const dir = join(import.meta.dirname, '..', 'bench', 'alerting');
  const values = {
    RULES_FILE: '"/tmp/rules.yml"', ALERTMANAGERS: '["127.0.0.1:9093"]', TARGETS: '["http://127.0.0.1:1/flip/0"]', BLACKBOX: '127.0.0.1:9115', WEBHOOK_URL: '"http://127.0.0.1:2/am/default"',
  };
  const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));
  assert.deepEqual(files.sort(), ['alertmanager.default.yml', 'alertmanager.tuned.yml', 'blackbox.yml', 'prometheus.yml', 'rules.yml']);
  for (const f of files) assert.doesNotMatch(render(readFileSync(join(dir, f), 'utf8'), values), /\{\{/, f);
  assert.throws(() => render('url: {{WEBHOOK_URL}}', {}), /\{\{WEBHOOK_URL\}\} has no value/);
  // With the stack installed, its own checkers accept the rendered files.
  const promtool = spawnSync('promtool', ['--version']).status === 0;
  const amtool = spawnSync('amtool', ['--version']).status === 0;
  if (!promtool && !amtool) return;
  const tmp = mkdtempSync(join(tmpdir(), 'bench-alerting-test-'));
  try {
    const write = (name: string, extra: Record<string, string> = {}) => {
      const path = join(tmp, name);
      writeFileSync(path, render(readFileSync(join(dir, name), 'utf8'), { ...values, ...extra }));
      return path;
    };
    if (promtool) {
      const rules = write('rules.yml');
      const check = spawnSync('promtool', ['check', 'config', write('prometheus.yml', { RULES_FILE: JSON.stringify(rules) })], { encoding: 'utf8' });
      assert.equal(check.status, 0, check.stdout + check.stderr);
    }
    if (amtool) {
      for (const name of ['alertmanager.default.yml', 'alertmanager.tuned.yml']) {
        const check = spawnSync('amtool', ['check-config', write(name)], { encoding: 'utf8' });
        assert.equal(check.status, 0, check.stdout + check.stderr);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('the receiver keeps each POST with its path, arrival time and webhook headers, and refuses other methods', async () => {
  const receiver = await startReceiver();
  try {
    const before = Date.now();
    const res = await fetch(`${receiver.origin}/pharos/default?x=1`, { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1', 'webhook-timestamp': '1', 'webhook-signature': 'v1,abc' }, body: '{"type":"alert.firing"}' });
    assert.equal(res.status, 200);
    assert.equal((await fetch(`${receiver.origin}/pharos/default`)).status, 405);
    const [page, ...rest] = receiver.pages('/pharos/default');
    assert.equal(rest.length, 0);
    assert.equal(page!.body, '{"type":"alert.firing"}');
    assert.equal(page!.headers['webhook-id'], 'msg_1');
    assert.equal(page!.headers['webhook-signature'], 'v1,abc');
    assert.ok(page!.at >= before && page!.at <= Date.now());
    assert.deepEqual(receiver.pages('/am/default'), []);
    assert.equal(receiver.refused(), 1);
  } finally {
    await receiver.close();
  }
});
