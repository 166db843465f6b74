import { Server, ServerCredentials, type ServerWritableStream } from '@grpc/grpc-js';
import type { Logger } from '../engine/logger.port.ts';
import type { ProviderEngine } from '../engine/provider.engine.ts';
import { handshakeLine } from './handshake.line.ts';
import type { PluginServices } from './proto.loader.ts';
import { createProviderService } from './provider.service.ts';
import type { ServerCertificate } from './server-certificate.tls.ts';

export interface PluginServerOptions {
  readonly services: PluginServices;
  readonly engine: ProviderEngine<unknown>;
  readonly log: Logger;
  /** Terraform's client certificate (PEM); absent means plaintext (TF_DISABLE_PLUGIN_TLS / debugging). */
  readonly clientCertPem: string | undefined;
  /** Builds our server certificate; only called when TLS is on. */
  readonly createCertificate: () => Promise<ServerCertificate>;
  /** Aborts handler work in flight (StopProvider). */
  readonly stop: () => void;
  /** Ends the process after Shutdown. */
  readonly exit: (code: number) => void;
  /** Receives the handshake line (stdout). */
  readonly announce: (line: string) => void;
}

/** Terraform allows messages up to 2 GiB; grpc-js defaults to 4 MiB, too small for big states. */
const maxMessageBytes = 2 ** 31 - 1;

/**
 * Starts the gRPC server on 127.0.0.1 (a random port), with mutual TLS that trusts only
 * Terraform's client certificate, and announces it with go-plugin's handshake line.
 */
export async function startPluginServer(opts: PluginServerOptions): Promise<{ server: Server; address: string }> {
  const server = new Server({
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': maxMessageBytes,
  });
  const openStreams = new Set<ServerWritableStream<unknown, unknown>>();

  server.addService(opts.services.provider, createProviderService(opts.engine, opts.log, opts.stop));
  server.addService(opts.services.controller, {
    Shutdown: (_call: unknown, callback: (err: null, res: object) => void) => {
      // Reply first, then leave: Terraform waits for the exit and SIGKILLs after 2 s otherwise.
      callback(null, {});
      for (const stream of openStreams) stream.end();
      setImmediate(() => server.tryShutdown(() => opts.exit(0)));
      setTimeout(() => opts.exit(0), 250).unref();
    },
  });
  server.addService(opts.services.stdio, {
    // Kept open and silent: logs go to stderr, which go-plugin forwards on its own.
    StreamStdio: (call: ServerWritableStream<unknown, unknown>) => {
      openStreams.add(call);
      call.on('cancelled', () => openStreams.delete(call));
    },
  });

  let certDer: Buffer | undefined;
  let credentials: ServerCredentials;
  if (opts.clientCertPem) {
    const cert = await opts.createCertificate();
    certDer = cert.der;
    credentials = ServerCredentials.createSsl(Buffer.from(opts.clientCertPem), [{ private_key: Buffer.from(cert.keyPem), cert_chain: Buffer.from(cert.certPem) }], true);
  } else {
    credentials = ServerCredentials.createInsecure();
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', credentials, (err, p) => (err ? reject(err) : resolve(p))),
  );
  const address = `127.0.0.1:${port}`;
  opts.announce(handshakeLine(address, certDer));
  opts.log.debug(`serving plugin protocol 6 on ${address} (${certDer ? 'mTLS' : 'plaintext'})`);
  return { server, address };
}
