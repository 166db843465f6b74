import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunnerRegistered, RunnerRegistration } from '../../api/src/contract/index.ts';
import type { ProtocolClient } from '../src/protocol/protocol.client.ts';
import { ProtocolError } from '../src/protocol/protocol.errors.ts';
import { RunnerSession } from '../src/protocol/runner.session.ts';
import { memoryLogger } from './support/runner-process.harness.ts';

const registered: RunnerRegistered = { runner_id: 'run_01JD8Z3Q4M5N6P7R8S9T0VWXYZ', region: 'eu-west-1', labels: {}, protocol_version: 1, lease_seconds: 10, poll_wait_seconds: 20, max_batch: 1000 };

/** A control plane that answers registration with `answer`, recording what each attempt sent. */
function controlPlane(answer: (registration: RunnerRegistration) => RunnerRegistered | ProtocolError) {
  const sent: RunnerRegistration[] = [];
  const client = {
    async register(registration: RunnerRegistration) {
      sent.push(registration);
      const outcome = answer(registration);
      if (outcome instanceof ProtocolError) throw outcome;
      return outcome;
    },
  } as unknown as ProtocolClient;
  return { client, sent };
}

const registration: RunnerRegistration = { protocol_version: 1, version: 't', capabilities: ['http', 'tcp', 'load_test'] };

describe('runner session registration', () => {
  it('registers without load_test when a control plane older than load tests refuses it, and keeps checking', async () => {
    const { logger, lines } = memoryLogger();
    const old = controlPlane((r) => (r.capabilities.includes('load_test') ? new ProtocolError('request_rejected', 'capabilities/2 must be equal to one of the allowed values', 422) : registered));
    const session = new RunnerSession({ client: old.client, registration, expectedRegion: undefined, logger });
    assert.equal((await session.register(new AbortController().signal)).runner_id, registered.runner_id);
    assert.deepEqual(old.sent.map((r) => r.capabilities), [['http', 'tcp', 'load_test'], ['http', 'tcp']]);
    assert.deepEqual(session.capabilities, ['http', 'tcp']);
    assert.ok(lines.some((l) => /refused the load_test capability/.test(String(l.msg))), 'the operator is told why this runner runs no load tests');
  });

  it('keeps load_test on a control plane that accepts it', async () => {
    const current = controlPlane(() => registered);
    const session = new RunnerSession({ client: current.client, registration, expectedRegion: undefined, logger: memoryLogger().logger });
    await session.register(new AbortController().signal);
    assert.deepEqual(current.sent.map((r) => r.capabilities), [['http', 'tcp', 'load_test']]);
  });
});
