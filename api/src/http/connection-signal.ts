import type { Socket } from 'node:net';

interface Watch {
  controller: AbortController;
  off: () => void;
}

const watches = new WeakMap<Socket, Watch>();

/**
 * A signal aborted when the client ends or breaks the connection before another request arrives
 * on it: the connection a request came on outlives the request (keep-alive), but once another
 * request uses it (the same client again, or another one behind a pooling proxy), its end no longer
 * says anything about the first. Made on first ask, so requests that never ask cost nothing.
 */
export function connectionSignal(socket: Socket): AbortSignal {
  const known = watches.get(socket);
  if (known) return known.controller.signal;
  const controller = new AbortController();
  const ended = () => controller.abort();
  if (socket.destroyed || socket.readableEnded) controller.abort();
  else {
    socket.once('end', ended);
    socket.once('close', ended);
  }
  const off = () => {
    socket.off('end', ended);
    socket.off('close', ended);
  };
  watches.set(socket, { controller, off });
  return controller.signal;
}

/** A new request arrived on `socket`: signals handed out for earlier requests on it never abort. */
export function nextRequestOn(socket: Socket): void {
  const known = watches.get(socket);
  if (!known) return;
  known.off();
  watches.delete(socket);
}
