import { createClientConfigurer } from './client/client.configurer.ts';
import type { PharosClient } from './client/pharos.client.ts';
import { defaultRetryPolicy } from './client/retry.policy.ts';
import { registryProblems, type HandlerRegistry } from './engine/handler.registry.ts';
import { ProviderEngine } from './engine/provider.engine.ts';
import { magicCookieProblem, supportsProtocol6 } from './protocol/magic-cookie.guard.ts';
import { startPluginServer } from './protocol/plugin.server.ts';
import { loadPluginServices } from './protocol/proto.loader.ts';
import { createServerCertificate } from './protocol/server-certificate.tls.ts';
import { createStderrLogger } from './protocol/stderr.logger.ts';
import { mergeSchemaFiles, type SchemaFile } from './schema/schema.loader.ts';

export interface ProviderParts {
  readonly version: string;
  readonly schemaFiles: readonly SchemaFile[];
  readonly registry: HandlerRegistry<PharosClient, string, string>;
}

/**
 * Wires one provider process: cookie check, schema, engine, API client factory, gRPC server,
 * handshake. Called by src/main.ts (the shipped provider) and by test entries with fixture
 * resources. Everything stateful is created here and passed down; nothing lives in module scope.
 */
export async function serveProvider(parts: ProviderParts, proc: NodeJS.Process = process): Promise<void> {
  // --debug: a long-lived plaintext process Terraform attaches to (TF_REATTACH_PROVIDERS), e.g. under node --inspect.
  const debug = proc.argv.includes('--debug');
  const problem = debug ? undefined : magicCookieProblem(proc.env);
  if (problem) {
    proc.stderr.write(problem);
    proc.exit(1);
  }
  if (!supportsProtocol6(proc.env)) {
    proc.stderr.write(`terraform-provider-pharos speaks plugin protocol 6 (Terraform ≥ 1.0); this Terraform offers ${proc.env['PLUGIN_PROTOCOL_VERSIONS']}.\n`);
    proc.exit(1);
  }
  // Ctrl-C reaches the whole process group; Terraform sends StopProvider and Shutdown instead.
  if (!debug) proc.on('SIGINT', () => {});

  const log = createStderrLogger((line) => proc.stderr.write(line));
  const stop = new AbortController();
  const schemas = mergeSchemaFiles(parts.schemaFiles);
  for (const p of registryProblems(parts.registry, schemas)) log.error(`provider wiring: ${p}`);

  const configurer = createClientConfigurer({
    env: proc.env,
    log,
    retry: defaultRetryPolicy,
    fetch: globalThis.fetch,
    userAgent: `terraform-provider-pharos/${parts.version}`,
  });
  const engine = new ProviderEngine<PharosClient>(schemas, parts.registry, configurer, log, stop.signal);

  await startPluginServer({
    services: loadPluginServices(),
    engine: engine as ProviderEngine<unknown>,
    log,
    clientCertPem: debug ? undefined : proc.env['PLUGIN_CLIENT_CERT'] || undefined,
    createCertificate: () => createServerCertificate(),
    stop: () => {
      log.info('StopProvider: cancelling requests in flight');
      stop.abort();
    },
    // A reattached process outlives single Terraform commands, so Shutdown must not end it.
    exit: (code) => (debug ? log.info('Shutdown ignored in --debug mode') : proc.exit(code)),
    announce: (line) => proc.stdout.write(debug ? reattachInstructions(line, proc.pid) : line),
  });
}

/** What to export so Terraform attaches to a provider started with --debug instead of launching its own. */
export function reattachInstructions(handshake: string, pid: number): string {
  const address = handshake.split('|')[3] ?? '';
  const reattach = { 'registry.terraform.io/pharos/pharos': { Protocol: 'grpc', ProtocolVersion: 6, Pid: pid, Test: true, Addr: { Network: 'tcp', String: address } } };
  return `Provider started in debug mode. In another shell run:\n\n  export TF_REATTACH_PROVIDERS='${JSON.stringify(reattach)}'\n\nthen terraform plan/apply as usual. Stop it with Ctrl-C.\n`;
}
