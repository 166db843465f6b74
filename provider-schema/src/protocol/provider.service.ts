import type { sendUnaryData, ServerUnaryCall, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { CtyType } from '../codec/cty-type.model.ts';
import type { ObjectValue } from '../codec/value.model.ts';
import type { Diagnostic } from '../engine/diagnostics.model.ts';
import type { Logger } from '../engine/logger.port.ts';
import type { ProviderEngine } from '../engine/provider.engine.ts';
import { toProtoSchema } from '../schema/schema.converter.ts';
import { toProtoDiagnostics, toProtoPath } from './diagnostic.mapper.ts';
import { fromProtoObject, toProtoDynamic, type ProtoDynamicValue } from './dynamic-value.mapper.ts';

type Req = Record<string, unknown> & {
  type_name?: string;
  config?: ProtoDynamicValue;
  prior_state?: ProtoDynamicValue;
  proposed_new_state?: ProtoDynamicValue;
  planned_state?: ProtoDynamicValue;
  current_state?: ProtoDynamicValue;
  private?: Buffer;
  prior_private?: Buffer;
  planned_private?: Buffer;
  version?: number;
  raw_state?: { json?: Buffer };
  id?: string;
};

type Handler = (req: Req) => Promise<Record<string, unknown>> | Record<string, unknown>;

/**
 * tfplugin6.Provider: protocol translation only. Decodes DynamicValues against the schema
 * type of the request's type_name, calls the engine, encodes the answer. Anything thrown is
 * answered as an error diagnostic (in the response's diagnostics field) so Terraform shows a
 * message instead of "plugin did not respond".
 */
export function createProviderService(engine: ProviderEngine<unknown>, log: Logger, onStop: () => void): UntypedServiceImplementation {
  let schemaResponse: Record<string, unknown> | undefined;
  const capabilities = { plan_destroy: true, get_provider_schema_optional: true, move_resource_state: false };

  const typeOf = (kind: 'resource' | 'data', typeName: string | undefined): CtyType => {
    const t = kind === 'resource' ? engine.resourceType(typeName ?? '') : engine.dataSourceType(typeName ?? '');
    if (!t) throw new Error(`This provider has no ${kind === 'resource' ? 'resource type' : 'data source'} "${typeName}".`);
    return t;
  };
  const diags = (d: readonly Diagnostic[]) => toProtoDiagnostics(d);

  const handlers: Record<string, [Handler, string]> = {
    GetMetadata: [
      () => ({
        server_capabilities: capabilities,
        resources: [...engine.schemas.resources.keys()].map((type_name) => ({ type_name })),
        data_sources: [...engine.schemas.dataSources.keys()].map((type_name) => ({ type_name })),
      }),
      'diagnostics',
    ],
    GetProviderSchema: [
      () =>
        // The schema never changes within a process: convert once.
        (schemaResponse ??= {
          provider: toProtoSchema(engine.schemas.provider),
          resource_schemas: Object.fromEntries([...engine.schemas.resources].map(([n, s]) => [n, toProtoSchema(s)])),
          data_source_schemas: Object.fromEntries([...engine.schemas.dataSources].map(([n, s]) => [n, toProtoSchema(s)])),
          server_capabilities: capabilities,
          diagnostics: [],
        }),
      'diagnostics',
    ],
    ValidateProviderConfig: [
      (req) => ({ diagnostics: diags(engine.validateProviderConfig(fromProtoObject(req.config, engine.providerType) ?? {}).diagnostics) }),
      'diagnostics',
    ],
    ValidateResourceConfig: [
      async (req) => {
        const config = fromProtoObject(req.config, typeOf('resource', req.type_name)) ?? {};
        return { diagnostics: diags((await engine.validateResourceConfig(req.type_name ?? '', config)).diagnostics) };
      },
      'diagnostics',
    ],
    ValidateDataResourceConfig: [
      async (req) => {
        const config = fromProtoObject(req.config, typeOf('data', req.type_name)) ?? {};
        return { diagnostics: diags((await engine.validateDataSourceConfig(req.type_name ?? '', config)).diagnostics) };
      },
      'diagnostics',
    ],
    ConfigureProvider: [
      async (req) => ({ diagnostics: diags((await engine.configure(fromProtoObject(req.config, engine.providerType) ?? {})).diagnostics) }),
      'diagnostics',
    ],
    UpgradeResourceState: [
      (req) => {
        const type = typeOf('resource', req.type_name);
        const r = engine.upgradeResourceState(req.type_name ?? '', Number(req.version ?? 0), req.raw_state?.json);
        return { upgraded_state: r.state ? toProtoDynamic(r.state, type) : undefined, diagnostics: diags(r.diagnostics) };
      },
      'diagnostics',
    ],
    ReadResource: [
      async (req) => {
        const type = typeOf('resource', req.type_name);
        const r = await engine.readResource(req.type_name ?? '', fromProtoObject(req.current_state, type), req.private);
        return { new_state: toProtoDynamic(r.state, type), private: r.private, diagnostics: diags(r.diagnostics) };
      },
      'diagnostics',
    ],
    PlanResourceChange: [
      (req) => {
        const type = typeOf('resource', req.type_name);
        const r = engine.planResourceChange(
          req.type_name ?? '',
          fromProtoObject(req.prior_state, type),
          fromProtoObject(req.proposed_new_state, type),
          fromProtoObject(req.config, type),
          req.prior_private,
        );
        return {
          planned_state: toProtoDynamic(r.planned, type),
          requires_replace: r.requiresReplace.map(toProtoPath),
          planned_private: r.private,
          diagnostics: diags(r.diagnostics),
        };
      },
      'diagnostics',
    ],
    ApplyResourceChange: [
      async (req) => {
        const type = typeOf('resource', req.type_name);
        const r = await engine.applyResourceChange(
          req.type_name ?? '',
          fromProtoObject(req.prior_state, type),
          fromProtoObject(req.planned_state, type),
          fromProtoObject(req.config, type),
          req.planned_private,
        );
        return { new_state: toProtoDynamic(r.state, type), private: r.private, diagnostics: diags(r.diagnostics) };
      },
      'diagnostics',
    ],
    ImportResourceState: [
      async (req) => {
        const type = typeOf('resource', req.type_name);
        const r = await engine.importResourceState(req.type_name ?? '', req.id ?? '');
        return {
          imported_resources: r.state ? [{ type_name: req.type_name, state: toProtoDynamic(r.state, type), private: r.private }] : [],
          diagnostics: diags(r.diagnostics),
        };
      },
      'diagnostics',
    ],
    ReadDataSource: [
      async (req) => {
        const type = typeOf('data', req.type_name);
        const r = await engine.readDataSource(req.type_name ?? '', fromProtoObject(req.config, type) ?? ({} as ObjectValue));
        return { state: r.state ? toProtoDynamic(r.state, type) : undefined, diagnostics: diags(r.diagnostics) };
      },
      'diagnostics',
    ],
    StopProvider: [
      () => {
        onStop();
        return {};
      },
      'Error',
    ],
  };

  const impl: UntypedServiceImplementation = {};
  for (const [method, [handler, diagnosticsField]] of Object.entries(handlers)) {
    impl[method] = (call: ServerUnaryCall<Req, unknown>, callback: sendUnaryData<unknown>) => {
      const started = performance.now();
      Promise.resolve()
        .then(() => handler(call.request))
        .then(
          (res) => callback(null, res),
          (err: unknown) => {
            const message = err instanceof Error ? err.message : String(err);
            log.error(`${method} ${call.request.type_name ?? ''}: ${err instanceof Error ? (err.stack ?? message) : message}`);
            const failure =
              diagnosticsField === 'Error'
                ? { Error: message }
                : { [diagnosticsField]: [{ severity: 'ERROR', summary: `Pharos provider: ${method} failed`, detail: message }] };
            callback(null, failure);
          },
        )
        .finally(() => log.debug(`${method} ${call.request.type_name ?? ''} ${(performance.now() - started).toFixed(1)} ms`));
    };
  }
  return impl;
}
