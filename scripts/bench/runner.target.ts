import { createServer, type Socket } from 'node:net';

// Child process of `npm run bench:runner`: the HTTP target the checks hit, on 127.0.0.1 port 0, in a
// process of its own so that serving requests does not share the measured process's event loop.
// A raw TCP server writing canned HTTP/1.1 answers: far cheaper than node:http, so the target is not
// what limits the check rate. Every path answers 200 with {"status":"healthy"}; a path in the
// failing set answers 500. Control over IPC: {fail: path} / {recover: path}; it reports
// {port} when listening and {switched: path, at: epoch ms} after each change.

const body = '{"status":"healthy"}';
const failBody = '{"status":"broken"}';
const ok = Buffer.from(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nkeep-alive: timeout=5\r\n\r\n${body}`);
const fail = Buffer.from(`HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\ncontent-length: ${failBody.length}\r\n\r\n${failBody}`);
const failing = new Set<string>();

function answer(socket: Socket, head: string): void {
  const space = head.indexOf(' ');
  const path = head.slice(space + 1, head.indexOf(' ', space + 1));
  socket.write(failing.has(path) ? fail : ok);
}

const server = createServer((socket) => {
  socket.setNoDelay(true);
  let pending = '';
  socket.on('data', (chunk: Buffer) => {
    pending += chunk.toString('latin1');
    // Requests carry no body (GET), so each blank line ends one request.
    for (let end = pending.indexOf('\r\n\r\n'); end !== -1; end = pending.indexOf('\r\n\r\n')) {
      answer(socket, pending.slice(0, pending.indexOf('\r\n')));
      pending = pending.slice(end + 4);
    }
  });
  socket.on('error', () => socket.destroy());
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});

process.on('message', (message: { fail?: string; recover?: string }) => {
  if (message.fail) failing.add(message.fail);
  if (message.recover) failing.delete(message.recover);
  process.send?.({ switched: message.fail ?? message.recover, at: Date.now() });
});
// The parent's end is ours too: never outlive it.
process.on('disconnect', () => process.exit(0));
