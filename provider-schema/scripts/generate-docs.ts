/**
 * Generates the Terraform reference docs (docs/terraform/resources/*.md, docs/terraform/data-sources/*.md)
 * from schema/*.json, the behaviour side-table and examples/. Usage: npm run -w provider-schema docs
 * A test (test/docs.test.ts) fails when the committed docs differ from a fresh generation.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PharosDataSourceName, PharosResourceName } from '../src/resources/pharos.registry.ts';
import { pharosSchemaFiles } from '../src/resources/pharos.schemas.ts';
import { mergeSchemaFiles } from '../src/schema/schema.loader.ts';
import type { AttributeJson, BlockJson, ResourceBehaviour, SchemaJson } from '../src/schema/schema-document.model.ts';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const docsDir = resolve(packageDir, '..', 'docs', 'terraform');
const examplesDir = join(packageDir, 'examples');

/** How each resource is imported (typed by name: a resource without its import line fails to compile). */
const importIds: Record<PharosResourceName, [id: string, meaning: string][]> = {
  pharos_team: [
    ['team_01JD…', 'by id'],
    ['fulfillment', 'by name'],
  ],
  pharos_team_member: [
    ['team_01JD…/mem_01JD…', 'team id and member id'],
    ['fulfillment/auth0|alice', 'team name (or id) and the member\'s subject'],
  ],
  pharos_service: [
    ['svc_01JD…', 'by id'],
    ['fulfillment-api', 'by name'],
  ],
  pharos_service_dependency: [
    ['svc_01JD…/dep_01JD…', 'service id and dependency id'],
    ['fulfillment-api/shipping-carrier', 'dependent service and depended-on service, by name (or id)'],
  ],
  pharos_monitor: [
    ['mon_01JD…', 'by id'],
    ['fulfillment-api/fulfillment-health', 'service name (or id) and monitor name'],
  ],
  pharos_alert_rule: [
    ['rule_01JD…', 'by id'],
    ['fulfillment/fulfillment-down', 'team name (or id) and rule name'],
  ],
  pharos_routing_policy: [
    ['pol_01JD…', 'by id'],
    ['fulfillment/critical-to-pager', 'team name (or id) and policy name'],
  ],
  pharos_channel: [
    ['chn_01JD…', 'by id'],
    ['fulfillment/fulfillment-slack', 'team name (or id) and channel name'],
  ],
  pharos_maintenance_window: [
    ['mw_01JD…', 'by id'],
    ['fulfillment/carrier-sunday-maintenance', 'team name (or id) and window name'],
  ],
  pharos_slo: [
    ['slo_01JD…', 'by id'],
    ['fulfillment/fulfillment-availability', 'team name (or id) and SLO name'],
  ],
  pharos_runner_token: [
    ['rtk_01JD…', 'by id'],
    ['use1-fulfillment', 'by name'],
  ],
  pharos_silence: [['sil_01JD…', 'by id']],
  pharos_status_page: [
    ['stp_01JD…', 'by id'],
    ['storefront/acme-public', 'team name (or id) and page name'],
  ],
  pharos_incident_settings: [['organization', 'any id: there is one per organization']],
};

/** Notes on imports that need more than the table (secrets the API never returns). */
const importNotes: Partial<Record<PharosResourceName, string>> = {
  pharos_channel: 'The API never returns secrets, so right after an import the state has none: the next `terraform apply` sends the configured secrets once, then plans are clean.',
  pharos_routing_policy: 'Organization policies (scope = "organization") belong to no team: import them by id.',
  pharos_incident_settings: 'Any import id adopts the settings of the organization the provider\'s token belongs to.',
  pharos_runner_token: 'The token itself is known only to the apply that created the runner token; after an import `token` is null. Create a new runner token to get a new secret.',
};

const dataSourceNames: readonly PharosDataSourceName[] = ['pharos_team', 'pharos_service', 'pharos_monitor'];

const short = (typeName: string) => typeName.replace(/^pharos_/, '');
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function typeText(attr: AttributeJson): string {
  const t = (x: unknown): string => (typeof x === 'string' ? x : Array.isArray(x) ? (x[0] === 'object' ? 'object' : `${String(x[0])}(${t(x[1])})`) : 'dynamic');
  return t(attr.type);
}

function flags(attr: AttributeJson): string {
  const kind = attr.required ? 'Required' : attr.optional && attr.computed ? 'Optional, Computed' : attr.optional ? 'Optional' : 'Computed';
  return attr.sensitive ? `${kind}, Sensitive` : kind;
}

function attributeTable(block: BlockJson, path: string, behaviour: ResourceBehaviour): string[] {
  const attrs = Object.entries(block.attributes ?? {});
  if (attrs.length === 0) return [];
  // Arguments first (required, then optional), computed-only attributes last: the order a reader writes them in.
  const rank = (a: AttributeJson) => (a.required ? 0 : a.optional ? 1 : 2);
  attrs.sort(([an, a], [bn, b]) => rank(a) - rank(b) || an.localeCompare(bn));
  const lines = ['| Name | Type | | Description |', '|---|---|---|---|'];
  for (const [name, attr] of attrs) {
    const dotted = path ? `${path}.${name}` : name;
    let description = attr.description ?? '';
    if ((behaviour.replace_on_change ?? []).includes(dotted)) description += ' Changing it forces a new object.';
    if (dotted in (behaviour.defaults ?? {}) && !/Defaults to/.test(description)) description += ` Defaults to ${JSON.stringify(behaviour.defaults![dotted])}.`;
    lines.push(`| \`${name}\` | ${typeText(attr)} | ${flags(attr)} | ${cell(description.trim())} |`);
  }
  return lines;
}

function blockSections(block: BlockJson, path: string, behaviour: ResourceBehaviour, level: number): string[] {
  const out: string[] = [];
  for (const [name, nb] of Object.entries(block.block_types ?? {})) {
    const dotted = path ? `${path}.${name}` : name;
    const repeat = nb.nesting_mode === 'single' ? 'at most once' : `repeatable${nb.max_items ? `, at most ${nb.max_items} times` : ''}`;
    out.push('', `${'#'.repeat(level)} \`${dotted}\` block (${repeat})`, '', nb.block.description ?? '', '', ...attributeTable(nb.block, dotted, behaviour));
    out.push(...blockSections(nb.block, dotted, behaviour, level + 1));
  }
  return out;
}

function example(kind: 'resources' | 'data-sources', typeName: string): string[] {
  const text = readFileSync(join(examplesDir, kind, `${short(typeName)}.tf`), 'utf8').trimEnd();
  return ['## Example', '', '```hcl', text, '```'];
}

function resourceDoc(typeName: PharosResourceName, schema: SchemaJson, behaviour: ResourceBehaviour): string {
  const lines = [
    `<!-- Generated by npm run -w provider-schema docs from provider-schema/schema; do not edit. -->`,
    `# ${typeName} (resource)`,
    '',
    schema.block.description ?? '',
    '',
    ...example('resources', typeName),
    '',
    '## Attributes',
    '',
    ...attributeTable(schema.block, '', behaviour),
  ];
  const blocks = blockSections(schema.block, '', behaviour, 3);
  if (blocks.length > 0) lines.push('', '## Nested blocks', ...blocks);
  lines.push('', '## Import', '', 'With the CLI:', '', '```sh');
  for (const [id] of importIds[typeName]) lines.push(`terraform import ${typeName}.example '${id}'`);
  lines.push('```', '', 'or with an `import` block (Terraform ≥ 1.5):', '', '```hcl', 'import {', `  to = ${typeName}.example`, `  id = "${importIds[typeName].at(-1)![0]}"`, '}', '```', '', '| Import id | Meaning |', '|---|---|');
  for (const [id, meaning] of importIds[typeName]) lines.push(`| \`${cell(id)}\` | ${meaning} |`);
  const note = importNotes[typeName];
  if (note) lines.push('', note);
  return `${lines.join('\n')}\n`;
}

function dataSourceDoc(typeName: string, schema: SchemaJson): string {
  const lines = [
    `<!-- Generated by npm run -w provider-schema docs from provider-schema/schema; do not edit. -->`,
    `# ${typeName} (data source)`,
    '',
    schema.block.description ?? '',
    '',
    ...example('data-sources', typeName),
    '',
    '## Attributes',
    '',
    ...attributeTable(schema.block, '', {}),
  ];
  return `${lines.join('\n')}\n`;
}

/** Every generated file, keyed by its path relative to docs/terraform. */
export function renderDocs(): Map<string, string> {
  const set = mergeSchemaFiles(pharosSchemaFiles());
  const files = new Map<string, string>();
  const index = ['<!-- Generated by npm run -w provider-schema docs from provider-schema/schema; do not edit. -->', '# Pharos Terraform provider reference', '', 'Getting started: [../terraform.md](../terraform.md).', '', '## Resources', ''];
  for (const name of Object.keys(importIds) as PharosResourceName[]) {
    const schema = set.resources.get(name);
    if (!schema) throw new Error(`no schema for ${name}`);
    files.set(`resources/${short(name)}.md`, resourceDoc(name, schema, set.behaviours.get(name) ?? {}));
    index.push(`- [${name}](resources/${short(name)}.md)`);
  }
  index.push('', '## Data sources', '');
  for (const name of dataSourceNames) {
    const schema = set.dataSources.get(name);
    if (!schema) throw new Error(`no data source schema for ${name}`);
    files.set(`data-sources/${short(name)}.md`, dataSourceDoc(name, schema));
    index.push(`- [${name}](data-sources/${short(name)}.md)`);
  }
  files.set('README.md', `${index.join('\n')}\n`);
  return files;
}

/** The generated files currently on disk, keyed like renderDocs(). */
export function committedDocs(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    let entries: string[];
    try {
      entries = readdirSync(join(docsDir, rel));
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = rel ? `${rel}/${entry}` : entry;
      if (entry.endsWith('.md')) out.set(path, readFileSync(join(docsDir, path), 'utf8'));
      else if (!entry.includes('.')) walk(path);
    }
  };
  walk('');
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  rmSync(join(docsDir, 'resources'), { recursive: true, force: true });
  rmSync(join(docsDir, 'data-sources'), { recursive: true, force: true });
  for (const [path, content] of renderDocs()) {
    mkdirSync(dirname(join(docsDir, path)), { recursive: true });
    writeFileSync(join(docsDir, path), content);
  }
  console.log(`wrote ${renderDocs().size} files under ${docsDir}`);
}
