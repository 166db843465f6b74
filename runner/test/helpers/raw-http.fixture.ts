import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** One step of a scripted answer: bytes to write, a pause, or closing the connection. */
export type RawStep = string | Buffer | { waitMs: number } | 'end' | 'reset';

export interface RawHttpFixture {
  baseUrl: string;
  /** The raw request heads received, in order. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A loopback TCP server that answers each connection, once its request head has arrived, with a
 * scripted byte sequence: for responses no HTTP server library would send (split packets,
 * malformed framing, early close). Each string or Buffer step is written separately, with the
 * socket uncorked, so a wait between steps puts them in different packets.
 */
export async function startRawHttpFixture(script: (requestHead: string) => RawStep[]): Promise<RawHttpFixture> {
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let received = '';
    const onData = (d: Buffer): void => {
      received += d.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.off('data', onData);
      requests.push(received);
      void play(socket, script(received));
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function play(socket: net.Socket, steps: RawStep[]): Promise<void> {
  for (const step of steps) {
    if (socket.destroyed) return;
    if (step === 'end') socket.end();
    else if (step === 'reset') socket.resetAndDestroy();
    else if (typeof step === 'object' && !Buffer.isBuffer(step)) await new Promise((r) => setTimeout(r, step.waitMs));
    else socket.write(step);
  }
}
