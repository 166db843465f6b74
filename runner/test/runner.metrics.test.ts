import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { register as globalRegistry } from 'prom-client';
import { createRunnerMetrics } from '../src/metrics/runner.metrics.ts';

describe('runner metrics', () => {
  it('exposes checks, failures, lateness, buffer depth, drops and poll errors in Prometheus text', async () => {
    const metrics = createRunnerMetrics();
    metrics.recordResult('http', { status: 'up', duration_ms: 12 });
    metrics.recordResult('http', { status: 'down', duration_ms: 30, error: { code: 'timeout', message: 'x' } });
    metrics.recordResult('tcp', { status: 'degraded', duration_ms: 5, error: { code: 'slow_response', message: 'x' } });
    metrics.recordLateness(3);
    metrics.recordLateness(40);
    metrics.recordSkip('still_running', 2);
    metrics.recordDropped();
    metrics.recordPollError();
    let depth = 7;
    metrics.setGaugeSources({ bufferDepth: () => depth });
    const text = await metrics.render();
    assert.match(text, /^pharos_runner_checks_total\{type="http",status="up"\} 1$/m);
    assert.match(text, /^pharos_runner_checks_total\{type="http",status="down"\} 1$/m);
    assert.match(text, /^pharos_runner_check_failures_total\{type="http",code="timeout"\} 1$/m);
    assert.doesNotMatch(text, /check_failures_total\{type="tcp"/, 'degraded is not a failure');
    assert.match(text, /^pharos_runner_schedule_lateness_seconds_count 2$/m);
    assert.match(text, /^pharos_runner_schedule_lateness_seconds_bucket\{le="0.005"\} 1$/m);
    assert.match(text, /^pharos_runner_schedule_skips_total\{reason="still_running"\} 2$/m);
    assert.match(text, /^pharos_runner_result_buffer_depth 7$/m);
    assert.match(text, /^pharos_runner_results_dropped_total 1$/m);
    assert.match(text, /^pharos_runner_poll_errors_total 1$/m);
    depth = 0;
    assert.match(await metrics.render(), /^pharos_runner_result_buffer_depth 0$/m, 'gauges read live values at scrape time');
    assert.match(metrics.contentType, /text\/plain/);
  });

  it('shows the load-test shares running and the concurrency they hold, read at scrape time', async () => {
    const metrics = createRunnerMetrics();
    assert.match(await metrics.render(), /^pharos_runner_load_tests_running 0$/m, 'zero before a load-test manager is wired');
    let running = 2;
    metrics.setGaugeSources({ loadTestsRunning: () => running, loadTestConcurrency: () => running * 25 });
    const text = await metrics.render();
    assert.match(text, /^pharos_runner_load_tests_running 2$/m);
    assert.match(text, /^pharos_runner_load_test_concurrency 50$/m);
    running = 0;
    assert.match(await metrics.render(), /^pharos_runner_load_test_concurrency 0$/m);
  });

  it('uses its own registry: two instances do not collide and the global one stays empty', async () => {
    const a = createRunnerMetrics();
    const b = createRunnerMetrics();
    a.recordPollError();
    assert.match(await b.render(), /^pharos_runner_poll_errors_total 0$/m);
    assert.equal((await globalRegistry.metrics()).trim(), '');
  });
});
