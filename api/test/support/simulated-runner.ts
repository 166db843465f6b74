import assert from 'node:assert/strict';
import type { TestApi } from './harness.ts';

// A runner simulated through the runner protocol: tests register it with a runner token and poll
// its assignments themselves, so they control exactly when it is alive and what it reports.

/** A registered runner and the assignment revision it has seen. */
export interface SimulatedRunner {
  id: string;
  token: string;
  revision: number;
}

const capabilities = ['http', 'tcp', 'dns', 'tls', 'multistep'];

/** Registers a runner with the given runner token. */
export async function registerRunner(api: TestApi, token: string): Promise<SimulatedRunner> {
  const res = await api.call('POST', '/v1/runner/register', { token, body: { protocol_version: 1, version: 'test', capabilities } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.runner_id, token, revision: 0 };
}

/** Polls the runner's assignments (renewing its lease) and remembers the revision it got. */
export async function pollRunner(api: TestApi, r: SimulatedRunner, wait = 0): Promise<any> {
  const res = await api.call('GET', `/v1/runner/assignments?runner_id=${r.id}&revision=${r.revision}&wait=${wait}`, { token: r.token });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  r.revision = res.body.revision;
  return res.body;
}
