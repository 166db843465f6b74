import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isUnknown, unknownValue, type ObjectValue } from '../src/codec/value.model.ts';
import { Diagnostics, DiagnosticError } from '../src/engine/diagnostics.model.ts';
import { defineRegistry } from '../src/engine/handler.registry.ts';
import type { JsonObject } from '../src/engine/json-view.mapper.ts';
import type { Logger } from '../src/engine/logger.port.ts';
import { planChange } from '../src/engine/plan.rules.ts';
import { ProviderEngine } from '../src/engine/provider.engine.ts';
import type { HandlerContext, ResourceHandler } from '../src/engine/resource.handler.ts';
import { preserveOnRead, reconcileApplied } from '../src/engine/state.rules.ts';
import { conformBlock } from '../src/engine/block-value.rules.ts';
import { loadSchemaDirectory, mergeSchemaFiles } from '../src/schema/schema.loader.ts';
import { fileURLToPath } from 'node:url';

const schemas = mergeSchemaFiles(loadSchemaDirectory(fileURLToPath(new URL('./fixtures', import.meta.url))));
const widget = schemas.resources.get('pharos_widget')!;
const block = widget.block;
const behaviour = schemas.behaviours.get('pharos_widget')!;
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** A complete config value as Terraform would send it: every attribute present. */
const config = (over: ObjectValue = {}): ObjectValue => conformBlock(block, { name: 'w', region: 'r1', secret: 's', ...over });

const prior = (): ObjectValue =>
  conformBlock(block, { id: 'w-1', name: 'w', region: 'r1', secret: 's', enabled: true, created_at: 't0', updated_at: 't0' });

test('create: computed attributes unknown, Optional+Computed default planned', () => {
  const c = config();
  const { planned, requiresReplace } = planChange({ block, behaviour, prior: null, proposed: c, config: c });
  assert.ok(isUnknown(planned!['id']));
  assert.ok(isUnknown(planned!['created_at']));
  assert.equal(planned!['enabled'], true);
  assert.equal(planned!['name'], 'w');
  assert.deepEqual(requiresReplace, []);
});

test('create: computed attributes inside nested blocks are unknown', () => {
  const c = config({ settings: { mode: 'fast', retries: null } });
  const { planned } = planChange({ block, behaviour, prior: null, proposed: c, config: c });
  assert.ok(isUnknown((planned!['settings'] as ObjectValue)['retries']));
});

test('no-op update keeps prior computed values (no perpetual diff)', () => {
  const p = prior();
  const proposed = { ...config(), id: 'w-1', enabled: true, created_at: 't0', updated_at: 't0' };
  const { planned, changed, requiresReplace } = planChange({ block, behaviour, prior: p, proposed, config: config() });
  assert.deepEqual(planned, p);
  assert.deepEqual(changed, []);
  assert.deepEqual(requiresReplace, []);
});

test('update: changed attribute planned as configured, unknown_on_update marked unknown, id kept', () => {
  const p = prior();
  const c = config({ description: 'new' });
  const proposed = { ...c, id: 'w-1', enabled: true, created_at: 't0', updated_at: 't0' };
  const { planned, changed } = planChange({ block, behaviour, prior: p, proposed, config: c });
  assert.equal(planned!['description'], 'new');
  assert.equal(planned!['id'], 'w-1');
  assert.ok(isUnknown(planned!['updated_at']));
  assert.deepEqual(changed.sort(), ['description', 'updated_at']);
});

test('update: removing an Optional+Computed attribute with a default resets it to the default', () => {
  const p = { ...prior(), enabled: false };
  const c = config();
  const proposed = { ...c, id: 'w-1', enabled: false, created_at: 't0', updated_at: 't0' };
  const { planned } = planChange({ block, behaviour, prior: p, proposed, config: c });
  assert.equal(planned!['enabled'], true);
});

test('replace_on_change: requires_replace path and fresh computed values', () => {
  const p = prior();
  const c = config({ region: 'r2' });
  const proposed = { ...c, id: 'w-1', enabled: true, created_at: 't0', updated_at: 't0' };
  const { planned, requiresReplace } = planChange({ block, behaviour, prior: p, proposed, config: c });
  assert.deepEqual(requiresReplace, [[{ attribute: 'region' }]]);
  assert.ok(isUnknown(planned!['id']));
  assert.ok(isUnknown(planned!['created_at']));
});

test('replace_on_change with an unknown config value still plans replacement', () => {
  const c = config({ region: unknownValue });
  const proposed = { ...c, id: 'w-1', enabled: true, created_at: 't0', updated_at: 't0' };
  const { requiresReplace } = planChange({ block, behaviour, prior: prior(), proposed, config: c });
  assert.equal(requiresReplace.length, 1);
});

test('destroy plans null', () => {
  assert.equal(planChange({ block, behaviour, prior: prior(), proposed: null, config: null }).planned, null);
});

test('apply reconciliation: known planned values win, unknowns come from the API, drift is reported', () => {
  const planned: ObjectValue = { ...config({ name: 'w' }), id: unknownValue, enabled: true, created_at: unknownValue, updated_at: unknownValue };
  const drift: string[] = [];
  const api = conformBlock(block, { id: 'w-9', name: 'W', region: 'r1', enabled: true, created_at: 't1', updated_at: 't1' });
  const state = reconcileApplied(block, planned, api, (path) => drift.push(JSON.stringify(path)));
  assert.equal(state['id'], 'w-9');
  assert.equal(state['name'], 'w', 'planned value kept');
  assert.equal(state['secret'], 's', 'secret the API does not return stays');
  assert.deepEqual(drift, ['[{"attribute":"name"}]']);
});

test('read keeps sensitive values the API never returns', () => {
  const read = conformBlock(block, { id: 'w-1', name: 'w', region: 'r1' });
  assert.equal(preserveOnRead(block, behaviour, prior(), read)['secret'], 's');
  assert.equal(preserveOnRead(block, behaviour, null, read)['secret'], null);
});

test('conformBlock: every attribute present, list blocks never null, write-only null', () => {
  const v = conformBlock({ attributes: { a: { type: 'string', optional: true }, pw: { type: 'string', optional: true, write_only: true } }, block_types: { r: { nesting_mode: 'list', block: {} } } }, { pw: 'x' });
  assert.deepEqual(v, { a: null, pw: null, r: [] });
});

/** An in-memory handler for engine behaviour tests. */
class MemoryWidgets implements ResourceHandler<Map<string, JsonObject>> {
  readonly typeName = 'pharos_widget' as const;
  validate(config: ObjectValue, diagnostics: Diagnostics) {
    if (config['name'] === 'forbidden') diagnostics.error('Name not allowed', 'pick another', [{ attribute: 'name' }]);
  }
  async create(req: { plan: JsonObject }, ctx: HandlerContext<Map<string, JsonObject>>) {
    if (req.plan['name'] === 'explode') throw new Error('kaboom');
    ctx.private.set('etag', 'v1');
    const obj = { ...req.plan, id: 'w-1', created_at: 'c', updated_at: 'u', secret: undefined };
    ctx.client.set('w-1', obj);
    return obj;
  }
  async read(req: { state: JsonObject }, ctx: HandlerContext<Map<string, JsonObject>>) {
    assert.equal(ctx.private.get('etag'), 'v1', 'private bytes round-trip');
    return ctx.client.get(String(req.state['id'])) ?? null;
  }
  async update(req: { plan: JsonObject }) {
    return req.plan;
  }
  async delete(req: { state: JsonObject }, ctx: HandlerContext<Map<string, JsonObject>>) {
    if (ctx.client.get(String(req.state['id']))?.['name'] === 'undeletable') {
      throw new DiagnosticError('conflict', [{ severity: 'error', summary: 'Still in use', detail: 'detach it first' }]);
    }
    ctx.client.delete(String(req.state['id']));
  }
  upgradeState(req: { fromVersion: number; state: JsonObject }) {
    // Version 0 called the region "location".
    const { location, ...rest } = req.state;
    return { ...rest, region: location };
  }
}

async function engine() {
  const store = new Map<string, JsonObject>();
  const e = new ProviderEngine<Map<string, JsonObject>>(
    schemas,
    defineRegistry({ resources: { pharos_widget: new MemoryWidgets() }, dataSources: {} }) as never,
    { configure: () => store },
    quiet,
    new AbortController().signal,
  );
  assert.deepEqual((await e.configure({ endpoint: null, token: null })).diagnostics, []);
  return { e, store };
}

test('engine: create → read → gone; private bytes flow; handler errors become diagnostics', async () => {
  const { e, store } = await engine();
  const c = config();
  const plan = e.planResourceChange('pharos_widget', null, c, c, undefined);
  const applied = await e.applyResourceChange('pharos_widget', null, plan.planned, c, plan.private);
  assert.deepEqual(applied.diagnostics, []);
  assert.equal(applied.state!['id'], 'w-1');
  assert.equal(applied.state!['secret'], 's');
  const read = await e.readResource('pharos_widget', applied.state, applied.private);
  assert.equal(read.state!['secret'], 's', 'secret preserved on read');
  store.clear();
  const gone = await e.readResource('pharos_widget', applied.state, applied.private);
  assert.equal(gone.state, null, 'gone remotely → null');

  const bad = config({ name: 'explode' });
  const failed = await e.applyResourceChange('pharos_widget', null, e.planResourceChange('pharos_widget', null, bad, bad, undefined).planned, bad, undefined);
  assert.equal(failed.state, null);
  assert.equal(failed.diagnostics[0]?.summary, 'Creating pharos_widget failed');
  assert.equal(failed.diagnostics[0]?.detail, 'kaboom');
});

test('engine: delete failure keeps the prior state and surfaces the API diagnostic', async () => {
  const { e, store } = await engine();
  store.set('w-1', { id: 'w-1', name: 'undeletable' });
  const r = await e.applyResourceChange('pharos_widget', prior(), null, null, undefined);
  assert.deepEqual(r.state, prior());
  assert.equal(r.diagnostics[0]?.summary, 'Still in use');
});

test('engine: validation diagnostics carry attribute paths; unknown types are diagnostics', async () => {
  const { e } = await engine();
  assert.deepEqual((await e.validateResourceConfig('pharos_widget', config({ name: 'forbidden' }))).diagnostics[0]?.path, [{ attribute: 'name' }]);
  assert.deepEqual((await e.validateResourceConfig('pharos_widget', config({ name: unknownValue }))).diagnostics, []);
  assert.equal((await e.validateResourceConfig('pharos_nope', {})).diagnostics[0]?.summary, 'Unknown resource type');
});

test('engine: upgrade runs the version hook, fills new attributes with null and drops removed ones', async () => {
  const { e } = await engine();
  const r = e.upgradeResourceState('pharos_widget', 0, Buffer.from(JSON.stringify({ id: 'w-1', name: 'w', location: 'r9', obsolete: 1 })));
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.state!['region'], 'r9');
  assert.equal(r.state!['labels'], null);
  assert.deepEqual(r.state!['rule'], []);
  assert.equal('obsolete' in r.state!, false);
  const newer = e.upgradeResourceState('pharos_widget', 7, Buffer.from('{}'));
  assert.equal(newer.diagnostics[0]?.summary, 'State written by a newer provider');
});

test('engine: import returns a stub with the id, completed by read', async () => {
  const { e, store } = await engine();
  store.set('w-5', { id: 'w-5', name: 'x', region: 'r' });
  const imported = await e.importResourceState('pharos_widget', 'w-5');
  assert.equal(imported.state!['id'], 'w-5');
  assert.equal(imported.state!['name'], null);
});

test('engine: an unknown provider configuration value is a diagnostic on that attribute', async () => {
  const e = new ProviderEngine<object>(schemas, { resources: {}, dataSources: {} }, { configure: () => ({}) }, quiet, new AbortController().signal);
  const r = await e.configure({ endpoint: unknownValue, token: null });
  assert.equal(r.diagnostics[0]?.summary, 'Provider configuration not known yet');
  assert.deepEqual(r.diagnostics[0]?.path, [{ attribute: 'endpoint' }]);
});

test('nested attributes: computed members unknown on create, filled on apply, kept on update', () => {
  const c = config({ limits: { max: 5, burst: null } });
  const create = planChange({ block, behaviour, prior: null, proposed: c, config: c });
  const limits = create.planned!['limits'] as ObjectValue;
  assert.equal(limits['max'], 5);
  assert.ok(isUnknown(limits['burst']));
  const api = conformBlock(block, { id: 'w-1', name: 'w', region: 'r1', enabled: true, limits: { max: 5, burst: 10 }, created_at: 't', updated_at: 't' });
  const state = reconcileApplied(block, create.planned!, api, () => assert.fail('no drift expected'));
  assert.deepEqual(state['limits'], { max: 5, burst: 10 });
  const proposed = { ...state, limits: { max: 5, burst: 10 } };
  const again = planChange({ block, behaviour, prior: state, proposed, config: c });
  assert.deepEqual(again.changed, []);
});
