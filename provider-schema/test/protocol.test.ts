import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { credentials, makeGenericClientConstructor, type Client, type ServiceDefinition } from '@grpc/grpc-js';
import { decode } from '@msgpack/msgpack';
import { encodeMsgpack } from '../src/codec/msgpack.codec.ts';
import { unknownValue } from '../src/codec/value.model.ts';
import { conformBlock } from '../src/engine/block-value.rules.ts';
import { ProviderEngine } from '../src/engine/provider.engine.ts';
import type { Logger } from '../src/engine/logger.port.ts';
import { handshakeLine } from '../src/protocol/handshake.line.ts';
import { magicCookieProblem, magicCookieValue } from '../src/protocol/magic-cookie.guard.ts';
import { startPluginServer } from '../src/protocol/plugin.server.ts';
import { loadPluginServices } from '../src/protocol/proto.loader.ts';
import { createServerCertificate } from '../src/protocol/server-certificate.tls.ts';
import { blockType } from '../src/schema/block-type.mapper.ts';
import { loadSchemaDirectory, mergeSchemaFiles } from '../src/schema/schema.loader.ts';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const schemas = mergeSchemaFiles([...loadSchemaDirectory(fileURLToPath(new URL('../schema', import.meta.url))), ...loadSchemaDirectory(fileURLToPath(new URL('./fixtures', import.meta.url)))]);
const widgetType = blockType(schemas.resources.get('pharos_widget')!.block);

type Call = (method: string, req: object) => Promise<Record<string, unknown>>;

function caller(client: Client, def: ServiceDefinition): Call {
  return (method, req) =>
    new Promise((resolve, reject) => {
      const m = def[method]!;
      client.makeUnaryRequest(m.path, m.requestSerialize, m.responseDeserialize, req, (err, res) => (err ? reject(err) : resolve(res as Record<string, unknown>)));
    });
}

async function startServer(clientCertPem?: string) {
  const services = loadPluginServices();
  let exited = -1;
  let announced = '';
  const engine = new ProviderEngine<unknown>(schemas, { resources: {}, dataSources: {} }, { configure: () => ({}) }, quiet, new AbortController().signal);
  // The fixture widget has no handler here: the protocol layer is under test, not the resource.
  const { server, address } = await startPluginServer({
    services,
    engine,
    log: quiet,
    clientCertPem,
    createCertificate: () => createServerCertificate(),
    stop: () => {},
    exit: (code) => (exited = code),
    announce: (line) => (announced = line),
  });
  return { services, server, address, announced: () => announced, exited: () => exited };
}

test('magic cookie: a person running the binary gets an explanation', () => {
  assert.match(magicCookieProblem({}) ?? '', /not meant to be run directly/);
  assert.equal(magicCookieProblem({ TF_PLUGIN_MAGIC_COOKIE: magicCookieValue }), undefined);
});

test('handshake line: DER in unpadded standard base64', () => {
  assert.equal(handshakeLine('127.0.0.1:1234', Buffer.from([1, 2, 3, 4])), '1|6|tcp|127.0.0.1:1234|grpc|AQIDBA\n');
  assert.equal(handshakeLine('127.0.0.1:1234', undefined), '1|6|tcp|127.0.0.1:1234|grpc|\n');
});

test('server certificate follows the go-plugin template', async () => {
  const { X509Certificate } = await import('node:crypto');
  const cert = new X509Certificate((await createServerCertificate()).der);
  assert.equal(cert.subjectAltName, 'DNS:localhost');
  assert.equal(cert.ca, true);
  assert.ok(Date.parse(cert.validFrom) <= Date.now() - 29_000, 'NotBefore is backdated');
  assert.ok(cert.keyUsage?.includes('1.3.6.1.5.5.7.3.1') && cert.keyUsage.includes('1.3.6.1.5.5.7.3.2'), 'EKU server + client auth');
});

test('plaintext server: schema, plan over msgpack, diagnostics instead of errors, shutdown', async () => {
  const s = await startServer();
  assert.match(s.announced(), /^1\|6\|tcp\|127\.0\.0\.1:\d+\|grpc\|\n$/);
  const Ctor = makeGenericClientConstructor({}, 'x');
  const client = new Ctor(s.address, credentials.createInsecure());
  const provider = caller(client, s.services.provider);
  try {
    const schema = await provider('GetProviderSchema', {});
    assert.deepEqual({ ...(schema['server_capabilities'] as object), move_resource_state: undefined }, { plan_destroy: true, get_provider_schema_optional: true, move_resource_state: undefined });
    assert.ok((schema['provider'] as { block: { attributes: unknown[] } }).block.attributes.length === 2);
    assert.ok('pharos_widget' in (schema['resource_schemas'] as object));

    // No handler is registered for pharos_widget in this server: the engine answers with a diagnostic.
    const cfg = conformBlock(schemas.resources.get('pharos_widget')!.block, { name: 'a', region: unknownValue });
    const plan = await provider('PlanResourceChange', {
      type_name: 'pharos_widget',
      prior_state: { msgpack: Buffer.from(encodeMsgpack(null, widgetType)) },
      proposed_new_state: { msgpack: Buffer.from(encodeMsgpack(cfg, widgetType)) },
      config: { msgpack: Buffer.from(encodeMsgpack(cfg, widgetType)) },
    });
    assert.match((plan['diagnostics'] as { detail: string }[])[0]?.detail ?? '', /no resource type "pharos_widget"/);

    const unknownType = await provider('ReadResource', { type_name: 'pharos_nope', current_state: { msgpack: Buffer.from([0xc0]) } });
    const d = (unknownType['diagnostics'] as { severity: string; detail: string }[])[0]!;
    assert.equal(d.severity, 'ERROR');
    assert.match(d.detail, /no resource type "pharos_nope"/);

    const validate = await provider('ValidateProviderConfig', { config: { msgpack: Buffer.from(encodeMsgpack({ endpoint: 'http://x', token: null }, blockType(schemas.provider.block))) } });
    assert.equal(validate['diagnostics'], undefined, 'no diagnostics (empty repeated field)');

    const controller = caller(client, s.services.controller);
    await controller('Shutdown', {});
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(s.exited(), 0);
  } finally {
    client.close();
    s.server.forceShutdown();
  }
});

test('mutual TLS: trusts only the client certificate from PLUGIN_CLIENT_CERT', async () => {
  const clientCert = await createServerCertificate();
  const s = await startServer(clientCert.certPem);
  const der = s.announced().trim().split('|')[5]!;
  const serverPem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(der, 'base64').toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
  const Ctor = makeGenericClientConstructor({}, 'x');
  const good = new Ctor(s.address, credentials.createSsl(Buffer.from(serverPem), Buffer.from(clientCert.keyPem), Buffer.from(clientCert.certPem)), {
    'grpc.ssl_target_name_override': 'localhost',
  });
  const stranger = await createServerCertificate();
  const bad = new Ctor(s.address, credentials.createSsl(Buffer.from(serverPem), Buffer.from(stranger.keyPem), Buffer.from(stranger.certPem)), {
    'grpc.ssl_target_name_override': 'localhost',
  });
  try {
    const res = await caller(good, s.services.provider)('GetProviderSchema', {});
    assert.ok(res['provider']);
    await assert.rejects(caller(bad, s.services.provider)('GetProviderSchema', {}));
  } finally {
    good.close();
    bad.close();
    s.server.forceShutdown();
  }
});

test('msgpack from the wire: planned state for destroy is nil', () => {
  assert.equal(decode(encodeMsgpack(null, widgetType)), null);
});
