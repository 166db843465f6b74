import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MonitorInput } from '../src/contract/monitor.schema.ts';
import { heartbeatAllowanceSeconds, monitorFacts, monitorSpec, type MonitorSpec } from '../src/modules/monitors/monitor-spec.ts';

const defaults: MonitorSpec = {
  enabled: true, intervalSeconds: 60, timeoutSeconds: 10, regions: [], runFrom: { labels: {} }, failureThreshold: 2, recoveryThreshold: 1,
  minFailedRegions: 1, degradedThresholdMs: undefined, heartbeat: undefined,
};

const cases: Array<{ name: string; stored: unknown; want: Partial<MonitorSpec> }> = [
  { name: 'an empty spec gets every default', stored: {}, want: {} },
  { name: 'a missing column (null) reads as an empty spec', stored: null, want: {} },
  { name: 'stored values win over defaults', stored: { enabled: false, interval_seconds: 30, timeout_seconds: 2.5, failure_threshold: 3, recovery_threshold: 2, min_failed_regions: 2, degraded_threshold_ms: 800 },
    want: { enabled: false, intervalSeconds: 30, timeoutSeconds: 2.5, failureThreshold: 3, recoveryThreshold: 2, minFailedRegions: 2, degradedThresholdMs: 800 } },
  { name: 'regions are kept in order', stored: { regions: ['usw2', 'use1'] }, want: { regions: ['usw2', 'use1'] } },
  { name: 'run_from zone and labels', stored: { run_from: { zone: 'fulfillment', labels: { tier: '1' } } }, want: { runFrom: { zone: 'fulfillment', labels: { tier: '1' } } } },
  { name: 'run_from with labels only has no zone', stored: { run_from: { labels: { gpu: 'yes' } } }, want: { runFrom: { labels: { gpu: 'yes' } } } },
  // A projection (jsonb_build_object of a few fields) stores absent fields as JSON null.
  { name: 'null fields of a projection read as absent', stored: { enabled: null, failure_threshold: null, regions: null, run_from: null }, want: {} },
  { name: 'heartbeat grace defaults', stored: { heartbeat: { period_seconds: 300 } }, want: { heartbeat: { periodSeconds: 300, graceSeconds: 60 } } },
  { name: 'heartbeat as written', stored: { heartbeat: { period_seconds: 30, grace_seconds: 0 } }, want: { heartbeat: { periodSeconds: 30, graceSeconds: 0 } } },
  { name: 'values of the wrong type fall back to defaults', stored: { interval_seconds: '30', enabled: 'no', regions: 'use1' }, want: {} },
];

for (const c of cases) {
  test(`monitorSpec: ${c.name}`, () => {
    assert.deepEqual(monitorSpec(c.stored), { ...defaults, ...c.want });
  });
}

test('monitorSpec: the defaults are the contract\'s', () => {
  const p = MonitorInput.properties;
  const spec = monitorSpec({});
  assert.equal(spec.intervalSeconds, p.interval_seconds.default);
  assert.equal(spec.timeoutSeconds, p.timeout_seconds.default);
  assert.equal(spec.failureThreshold, p.failure_threshold.default);
  assert.equal(spec.recoveryThreshold, p.recovery_threshold.default);
  assert.equal(spec.minFailedRegions, p.min_failed_regions.default);
  assert.equal(spec.enabled, p.enabled.default);
});

for (const [stored, want] of [[{}, 120], [{ heartbeat: { period_seconds: 300 } }, 360], [{ heartbeat: { period_seconds: 30, grace_seconds: 0 } }, 30]] as const) {
  test(`heartbeatAllowanceSeconds(${JSON.stringify(stored)}) = ${want}`, () => assert.equal(heartbeatAllowanceSeconds(monitorSpec(stored)), want));
}

test('monitorFacts: the evaluator\'s view of a row, defaults applied', () => {
  assert.deepEqual(monitorFacts({ id: 'mon_1', service_id: null, spec: { regions: ['use1'], min_failed_regions: 2 } }), {
    id: 'mon_1', serviceId: '', dependencyId: null, enabled: true, failureThreshold: 2, recoveryThreshold: 1, minFailedRegions: 2, regions: ['use1'],
  });
  assert.equal(monitorFacts({ id: 'mon_2', service_id: 'svc_1', dependency_id: 'dep_1', spec: {} }).dependencyId, 'dep_1', 'the edge it checks');
});
