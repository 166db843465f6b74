import type { Server } from 'node:http';

// Listening and closing node:http servers on 127.0.0.1, the only address the demo uses.

export const LOOPBACK = '127.0.0.1';

/** Listens on 127.0.0.1, with a clear error when the port is taken. */
export function listen(server: Server, port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(new Error(error.code === 'EADDRINUSE' ? `Cannot start ${what}: the port is already in use (is another demo running? choose other ports).` : `Cannot start ${what}: ${error.message}`));
    };
    server.once('error', onError);
    server.listen(port, LOOPBACK, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Closes servers, dropping their open connections. */
export async function closeAll(servers: Server[]): Promise<void> {
  await Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((resolve) => {
          if (!s.listening) return resolve();
          s.close(() => resolve());
          s.closeAllConnections();
        }),
    ),
  );
}
