import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { createCheckRegistry } from '../src/checks/check.registry.ts';
import { executeCheck } from '../src/checks/check.executor.ts';
import { monitor } from './helpers/monitor.factory.ts';

const registry = createCheckRegistry();

describe('tcp check', () => {
  it('is up when the port accepts a connection, with connect timing', async () => {
    let accepted = 0;
    const server = net.createServer((socket) => {
      accepted += 1;
      socket.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    try {
      const result = await executeCheck(monitor({ type: 'tcp', tcp: { host: '127.0.0.1', port } }), registry, { region: 'r' });
      assert.equal(result.status, 'up', JSON.stringify(result.error));
      assert.ok(result.timings?.connect_ms !== undefined);
      assert.equal(result.timings?.dns_ms, undefined);
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(accepted, 1, 'the server saw exactly one connection');
    } finally {
      server.close();
    }
  });

  it('is down with connection_refused when nothing listens', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    const result = await executeCheck(monitor({ type: 'tcp', tcp: { host: '127.0.0.1', port } }), registry, { region: 'r' });
    assert.equal(result.status, 'down');
    assert.equal(result.error?.code, 'connection_refused');
  });

  it('honours response_time assertions and degraded_threshold_ms like every check type', async () => {
    const server = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    try {
      const failing = await executeCheck(
        monitor({ type: 'tcp', tcp: { host: '127.0.0.1', port }, assertions: [{ source: 'response_time', operator: 'less_than', target: '-1' }] }),
        registry,
        { region: 'r' },
      );
      assert.equal(failing.status, 'down');
      assert.equal(failing.error?.code, 'assertion_failed');
    } finally {
      server.close();
    }
  });
});
