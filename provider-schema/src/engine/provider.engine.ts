import { decodeJsonState } from '../codec/json-state.codec.ts';
import type { CtyType } from '../codec/cty-type.model.ts';
import { isObjectValue, isUnknown, isWhollyKnown, unknownValue, type ObjectValue } from '../codec/value.model.ts';
import { blockType } from '../schema/block-type.mapper.ts';
import type { ProviderSchemaSet } from '../schema/schema.loader.ts';
import type { ResourceBehaviour, SchemaJson } from '../schema/schema-document.model.ts';
import { formatPath, type AttributePath } from './attribute-path.model.ts';
import { blockFromJson, conformBlock } from './block-value.rules.ts';
import { Diagnostics, diagnosticsFromError, type Diagnostic } from './diagnostics.model.ts';
import type { HandlerRegistry } from './handler.registry.ts';
import { toJsonView, type JsonObject } from './json-view.mapper.ts';
import type { Logger } from './logger.port.ts';
import { changedNames, planChange } from './plan.rules.ts';
import { PrivateState } from './private-state.model.ts';
import type { DataSourceHandler, HandlerContext, ProviderConfigurer, ResourceHandler } from './resource.handler.ts';
import { preserveOnRead, reconcileApplied, withoutUnknowns } from './state.rules.ts';

export interface EngineResult {
  readonly diagnostics: Diagnostic[];
}

interface Bound<H> {
  readonly handler: H;
  readonly schema: SchemaJson;
  readonly type: CtyType;
  readonly behaviour: ResourceBehaviour;
}

/**
 * The provider's behaviour, free of protobuf: every method takes decoded values and returns
 * decoded values plus diagnostics. It never throws; handler failures become diagnostics.
 */
export class ProviderEngine<C> {
  private client: C | undefined;
  private readonly resources = new Map<string, Bound<ResourceHandler<C>>>();
  private readonly dataSources = new Map<string, Bound<DataSourceHandler<C>>>();

  constructor(
    readonly schemas: ProviderSchemaSet,
    registry: HandlerRegistry<C>,
    private readonly configurer: ProviderConfigurer<C>,
    private readonly log: Logger,
    private readonly signal: AbortSignal,
  ) {
    for (const [name, schema] of schemas.resources) {
      const handler = (registry.resources as Record<string, ResourceHandler<C>>)[name];
      if (handler) this.resources.set(name, { handler, schema, type: blockType(schema.block), behaviour: schemas.behaviours.get(name) ?? {} });
    }
    for (const [name, schema] of schemas.dataSources) {
      const handler = (registry.dataSources as Record<string, DataSourceHandler<C>>)[name];
      if (handler) this.dataSources.set(name, { handler, schema, type: blockType(schema.block), behaviour: {} });
    }
  }

  /** Wire type of the provider configuration block. */
  get providerType(): CtyType {
    return blockType(this.schemas.provider.block);
  }

  /** Wire type of a managed resource, or undefined for a type this provider does not have. */
  resourceType(typeName: string): CtyType | undefined {
    return this.resources.get(typeName)?.type;
  }

  /** Wire type of a data source, or undefined for a type this provider does not have. */
  dataSourceType(typeName: string): CtyType | undefined {
    return this.dataSources.get(typeName)?.type;
  }

  /** ValidateProviderConfig. */
  validateProviderConfig(config: ObjectValue): EngineResult {
    const diagnostics = new Diagnostics();
    this.guard(diagnostics, 'Validating the provider configuration', () => this.configurer.validate?.(config, diagnostics));
    return { diagnostics: diagnostics.items };
  }

  /** ValidateResourceConfig; config may contain unknowns. */
  async validateResourceConfig(typeName: string, config: ObjectValue): Promise<EngineResult> {
    const diagnostics = new Diagnostics();
    const bound = this.resource(typeName, diagnostics);
    if (bound) await this.guardAsync(diagnostics, `Validating ${typeName}`, () => bound.handler.validate?.(config, diagnostics));
    return { diagnostics: diagnostics.items };
  }

  /** ValidateDataResourceConfig; config may contain unknowns. */
  async validateDataSourceConfig(typeName: string, config: ObjectValue): Promise<EngineResult> {
    const diagnostics = new Diagnostics();
    const bound = this.dataSource(typeName, diagnostics);
    if (bound) await this.guardAsync(diagnostics, `Validating data source ${typeName}`, () => bound.handler.validate?.(config, diagnostics));
    return { diagnostics: diagnostics.items };
  }

  /** ConfigureProvider: builds the client every later handler call receives. */
  async configure(config: ObjectValue): Promise<EngineResult> {
    const diagnostics = new Diagnostics();
    // A provider block that depends on resources not yet created cannot build a client.
    for (const [name, value] of Object.entries(config)) {
      if (!isWhollyKnown(value)) {
        diagnostics.error(
          'Provider configuration not known yet',
          `"${name}" depends on a value known only after apply. Use a literal, a variable or the environment (PHAROS_API_URL / PHAROS_TOKEN) instead.`,
          [{ attribute: name }],
        );
      }
    }
    if (diagnostics.hasErrors) return { diagnostics: diagnostics.items };
    try {
      const client = await this.configurer.configure(toJsonView(config), diagnostics);
      if (client !== undefined && !diagnostics.hasErrors) this.client = client;
    } catch (err) {
      diagnostics.append(diagnosticsFromError(err, 'Configuring the Pharos provider'));
    }
    return { diagnostics: diagnostics.items };
  }

  /**
   * UpgradeResourceState: stored JSON → current schema. The handler's hook migrates older
   * versions first; then attributes new in the schema are filled with null and removed ones dropped.
   */
  upgradeResourceState(typeName: string, version: number, rawJson: Uint8Array | undefined): EngineResult & { state: ObjectValue | null } {
    const diagnostics = new Diagnostics();
    const bound = this.resource(typeName, diagnostics);
    if (!bound) return { state: null, diagnostics: diagnostics.items };
    if (!rawJson || rawJson.length === 0) {
      diagnostics.error('Unsupported state format', `The stored state of this ${typeName} is not JSON (flatmap state from Terraform 0.11 is not supported).`);
      return { state: null, diagnostics: diagnostics.items };
    }
    try {
      let json = JSON.parse(Buffer.from(rawJson).toString('utf8')) as JsonObject;
      if (version > bound.schema.version) {
        diagnostics.error(
          'State written by a newer provider',
          `The state of this ${typeName} has schema version ${version}, but this provider only knows up to ${bound.schema.version}. Use a newer terraform-provider-pharos.`,
        );
        return { state: null, diagnostics: diagnostics.items };
      }
      if (version < bound.schema.version && bound.handler.upgradeState) json = bound.handler.upgradeState({ fromVersion: version, state: json });
      const state = conformBlock(bound.schema.block, decodeJsonState(JSON.stringify(json), bound.type) as ObjectValue);
      return { state, diagnostics: diagnostics.items };
    } catch (err) {
      diagnostics.append(diagnosticsFromError(err, `Upgrading the stored state of ${typeName}`));
      return { state: null, diagnostics: diagnostics.items };
    }
  }

  /** ReadResource: refresh from the API; null when the object is gone. */
  async readResource(typeName: string, state: ObjectValue | null, privateBytes: Uint8Array | undefined) {
    const diagnostics = new Diagnostics();
    const priv = PrivateState.fromBytes(privateBytes);
    const bound = this.resource(typeName, diagnostics);
    const ctx = bound && this.context(bound, diagnostics, priv);
    if (!bound || !ctx || state === null) return { state, private: priv.toBytes(), diagnostics: diagnostics.items };
    try {
      const json = await bound.handler.read({ state: toJsonView(state) }, ctx);
      if (json === null) {
        this.log.info(`${typeName} ${String(state['id'] ?? '')} no longer exists remotely; planning re-creation`);
        return { state: null, private: Buffer.alloc(0), diagnostics: diagnostics.items };
      }
      const read = preserveOnRead(bound.schema.block, bound.behaviour, state, blockFromJson(bound.schema.block, json));
      return { state: withoutUnknowns(read), private: priv.toBytes(), diagnostics: diagnostics.items };
    } catch (err) {
      diagnostics.append(diagnosticsFromError(err, `Reading ${typeName}`));
      return { state, private: priv.toBytes(), diagnostics: diagnostics.items };
    }
  }

  /** PlanResourceChange: the plan rules live in plan.rules.ts; this adds schema lookup and private bytes. */
  planResourceChange(typeName: string, prior: ObjectValue | null, proposed: ObjectValue | null, config: ObjectValue | null, priorPrivate: Uint8Array | undefined) {
    const diagnostics = new Diagnostics();
    const bound = this.resource(typeName, diagnostics);
    if (!bound) return { planned: proposed, requiresReplace: [] as AttributePath[], private: Buffer.alloc(0), diagnostics: diagnostics.items };
    try {
      const plan = planChange({ block: bound.schema.block, behaviour: bound.behaviour, prior, proposed, config });
      if (plan.requiresReplace.length > 0) this.log.debug(`${typeName}: replacement because ${plan.requiresReplace.map(formatPath).join(', ')} changed`);
      const planned = plan.planned && conformBlock(bound.schema.block, plan.planned);
      return { planned, requiresReplace: plan.requiresReplace, private: Buffer.from(priorPrivate ?? []), diagnostics: diagnostics.items };
    } catch (err) {
      diagnostics.append(diagnosticsFromError(err, `Planning ${typeName}`));
      return { planned: proposed, requiresReplace: [] as AttributePath[], private: Buffer.from(priorPrivate ?? []), diagnostics: diagnostics.items };
    }
  }

  /** ApplyResourceChange: create, update or delete, then reconcile the answer with the plan. */
  async applyResourceChange(typeName: string, prior: ObjectValue | null, planned: ObjectValue | null, config: ObjectValue | null, plannedPrivate: Uint8Array | undefined) {
    const diagnostics = new Diagnostics();
    const priv = PrivateState.fromBytes(plannedPrivate);
    const bound = this.resource(typeName, diagnostics);
    const ctx = bound && this.context(bound, diagnostics, priv);
    // On failure Terraform keeps whatever state we return: the prior object, or nothing for a failed create.
    const failed = () => ({ state: prior, private: Buffer.from(plannedPrivate ?? []), diagnostics: diagnostics.items });
    if (!bound || !ctx) return failed();
    const block = bound.schema.block;
    try {
      if (planned === null) {
        if (prior !== null) await bound.handler.delete({ state: toJsonView(prior) }, ctx);
        return diagnostics.hasErrors ? failed() : { state: null, private: Buffer.alloc(0), diagnostics: diagnostics.items };
      }
      const configJson = toJsonView(config ?? planned);
      const withSecrets = mergeWriteOnly(block, planned, config);
      const answer =
        prior === null
          ? await bound.handler.create({ plan: toJsonView(withSecrets), config: configJson }, ctx)
          : await bound.handler.update(
              { prior: toJsonView(prior), plan: toJsonView(withSecrets), config: configJson, changed: changedNames(block, prior, planned) },
              ctx,
            );
      if (diagnostics.hasErrors) return failed();
      const state = reconcileApplied(block, planned, blockFromJson(block, answer), (path, p, a) =>
        this.log.warn(`${typeName}: the API stored ${JSON.stringify(a)} for ${formatPath(path)} instead of the planned ${JSON.stringify(p)}`),
      );
      return { state: withoutUnknowns(conformBlock(block, state)), private: priv.toBytes(), diagnostics: diagnostics.items };
    } catch (err) {
      const op = planned === null ? 'Deleting' : prior === null ? 'Creating' : 'Updating';
      diagnostics.append(diagnosticsFromError(err, `${op} ${typeName}`));
      return failed();
    }
  }

  /** ImportResourceState: turns an id into a stub state that the following ReadResource completes. */
  async importResourceState(typeName: string, id: string) {
    const diagnostics = new Diagnostics();
    const priv = new PrivateState();
    const bound = this.resource(typeName, diagnostics);
    const ctx = bound && this.context(bound, diagnostics, priv);
    if (!bound || !ctx) return { state: null, private: Buffer.alloc(0), diagnostics: diagnostics.items };
    try {
      const json = bound.handler.importState ? await bound.handler.importState({ id }, ctx) : { id };
      return { state: withoutUnknowns(blockFromJson(bound.schema.block, json)), private: priv.toBytes(), diagnostics: diagnostics.items };
    } catch (err) {
      diagnostics.append(diagnosticsFromError(err, `Importing ${typeName} ${id}`));
      return { state: null, private: Buffer.alloc(0), diagnostics: diagnostics.items };
    }
  }

  /** ReadDataSource: configured values stay as configured, the rest comes from the API, nothing unknown. */
  async readDataSource(typeName: string, config: ObjectValue) {
    const diagnostics = new Diagnostics();
    const bound = this.dataSource(typeName, diagnostics);
    const ctx = bound && this.context(bound, diagnostics, new PrivateState());
    if (!bound || !ctx) return { state: null, diagnostics: diagnostics.items };
    try {
      const answer = await bound.handler.read({ config: toJsonView(config) }, ctx);
      const block = bound.schema.block;
      // Computed attributes the config leaves null are "to be filled"; everything else is fixed by config.
      const planned: ObjectValue = { ...config };
      for (const [name, attr] of Object.entries(block.attributes ?? {})) if (attr.computed && (config[name] ?? null) === null) planned[name] = unknownValue;
      for (const name of Object.keys(block.block_types ?? {})) {
        const v = config[name];
        if (v === null || v === undefined || isUnknown(v) || (Array.isArray(v) && v.length === 0) || (isObjectValue(v) && Object.keys(v).length === 0)) {
          planned[name] = unknownValue;
        }
      }
      const state = reconcileApplied(block, planned, blockFromJson(block, answer), () => {});
      return { state: withoutUnknowns(conformBlock(block, state)), diagnostics: diagnostics.items };
    } catch (err) {
      diagnostics.append(diagnosticsFromError(err, `Reading data source ${typeName}`));
      return { state: null, diagnostics: diagnostics.items };
    }
  }

  private resource(typeName: string, diagnostics: Diagnostics): Bound<ResourceHandler<C>> | undefined {
    const bound = this.resources.get(typeName);
    if (!bound) diagnostics.error('Unknown resource type', `This provider has no resource type "${typeName}".`);
    return bound;
  }

  private dataSource(typeName: string, diagnostics: Diagnostics): Bound<DataSourceHandler<C>> | undefined {
    const bound = this.dataSources.get(typeName);
    if (!bound) diagnostics.error('Unknown data source', `This provider has no data source "${typeName}".`);
    return bound;
  }

  private context(bound: Bound<unknown>, diagnostics: Diagnostics, priv: PrivateState): HandlerContext<C> | undefined {
    if (this.client === undefined) {
      diagnostics.error('Provider not configured', 'The Pharos provider was used before its configuration succeeded; see the earlier error about the provider block.');
      return undefined;
    }
    return { client: this.client, diagnostics, private: priv, signal: this.signal, schema: bound.schema };
  }

  private async guardAsync(diagnostics: Diagnostics, operation: string, fn: () => void | Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      diagnostics.append(diagnosticsFromError(err, operation));
    }
  }

  private guard(diagnostics: Diagnostics, operation: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      diagnostics.append(diagnosticsFromError(err, operation));
    }
  }
}

/** Write-only attributes are null in the plan; the handler needs their configured value to send it. */
function mergeWriteOnly(block: SchemaJson['block'], planned: ObjectValue, config: ObjectValue | null): ObjectValue {
  const writeOnly = Object.entries(block.attributes ?? {}).filter(([, a]) => a.write_only);
  if (writeOnly.length === 0 || !config) return planned;
  const out = { ...planned };
  for (const [name] of writeOnly) out[name] = config[name] ?? null;
  return out;
}
