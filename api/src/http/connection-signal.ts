import type { Socket } from 'node:net';

const signals = new WeakMap<Socket, AbortSignal>();

/**
 * A signal aborted when the client's connection ends or breaks, also after the request on it was
 * answered (a keep-alive connection outlives its requests). One per connection, made on first ask,
 * so requests that never ask cost nothing.
 */
export function connectionSignal(socket: Socket): AbortSignal {
  const known = signals.get(socket);
  if (known) return known;
  const controller = new AbortController();
  if (socket.destroyed || socket.readableEnded) controller.abort();
  else {
    const closed = () => controller.abort();
    socket.once('end', closed);
    socket.once('close', closed);
  }
  signals.set(socket, controller.signal);
  return controller.signal;
}
