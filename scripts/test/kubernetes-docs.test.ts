import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleFile, processEntries } from '../build.entries.ts';

// docs/kubernetes.md must deploy what the build produces: every container command is
// `node dist/<entry>.js` for an entry of scripts/build.entries.ts, every environment variable is one
// the control plane or the runner reads, and the YAML is well-formed (a strict check of the subset
// the page uses: block mappings and sequences, two-space indentation, flow sequences as JSON).

const root = join(import.meta.dirname, '..', '..');
const page = readFileSync(join(root, 'docs/kubernetes.md'), 'utf8');
const blocks = (lang: string) => [...page.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
const configCode = ['api/src/config.ts', 'runner/src/config/runner.config.ts', 'runner/src/discovery/discovery.config.ts'].map((f) => readFileSync(join(root, f), 'utf8')).join('\n');
const bundles = new Set(processEntries.map((e) => `dist/${bundleFile(e)}`));

/** Top-level keys of one YAML document, after checking every line is of the subset's forms. */
function checkDocument(doc: string): Map<string, string> {
  const top = new Map<string, string>();
  for (const [i, line] of doc.split('\n').entries()) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    assert.ok(!line.includes('\t'), `line ${i + 1} has a tab: ${line}`);
    const indent = line.length - line.trimStart().length;
    assert.equal(indent % 2, 0, `line ${i + 1} is indented by an odd number of spaces: ${line}`);
    const body = line.trimStart().replace(/^- /, '');
    const m = /^([A-Za-z_][A-Za-z0-9_.\-/]*):(?: (.*))?$/.exec(body);
    assert.ok(m, `line ${i + 1} is not "key: value", "key:" or "- …": ${line}`);
    const value = m[2] ?? '';
    if (value.startsWith('[')) assert.doesNotThrow(() => JSON.parse(value), `line ${i + 1}: a flow sequence written as JSON`);
    if (value.startsWith('"')) assert.doesNotThrow(() => JSON.parse(value), `line ${i + 1}: a quoted string`);
    if (indent === 0) top.set(m[1]!, value);
  }
  return top;
}

const documents = blocks('yaml').flatMap((b) => b.split(/^---$/m));

test('every YAML document on the page is well-formed and a Kubernetes object', () => {
  assert.ok(documents.length >= 5, 'Secrets, the control plane Deployment and Service, a runner Deployment');
  for (const doc of documents) {
    const top = checkDocument(doc);
    assert.ok(top.has('apiVersion') && top.has('kind') && top.has('metadata'), `apiVersion, kind, metadata in:\n${doc}`);
  }
});

test('every container starts a bundle the build produces, with plain node; the control plane and the runner both run', () => {
  const commands = documents.flatMap((d) => [...d.matchAll(/^\s*command: (\[.*\])$/gm)].map((m) => JSON.parse(m[1]!) as string[]));
  assert.ok(commands.length >= 2);
  for (const command of commands) {
    assert.equal(command[0], 'node');
    assert.equal(command.length, 2, `no loader flags (tsx): ${command.join(' ')}`);
    assert.ok(bundles.has(command[1]!), `${command[1]} is one of ${[...bundles].join(', ')}`);
  }
  assert.deepEqual(new Set(commands.map((c) => c[1])), new Set(['dist/control-plane.js', 'dist/runner.js', 'dist/discovery.js']));
  const dockerfile = blocks('dockerfile').join('\n');
  assert.match(dockerfile, /RUN npm ci && npm run build/);
  assert.match(dockerfile, /npm ci --omit=dev/);
  assert.match(dockerfile, /COPY --from=build \/app\/dist dist/);
  const cmd = /^CMD (\[.*\])$/m.exec(dockerfile);
  assert.ok(cmd && bundles.has((JSON.parse(cmd[1]!) as string[])[1]!), 'the image\'s default command starts a bundle');
});

test('every environment variable set on the page is read by the configuration code', () => {
  const names = new Set(documents.flatMap((d) => [...d.matchAll(/^\s*- name: ([A-Z][A-Z0-9_]*)$/gm)].map((m) => m[1]!)));
  const secretKeys = documents.flatMap((d) => [...d.matchAll(/^\s+key: ([A-Z][A-Z0-9_]*)$/gm)].map((m) => m[1]!));
  assert.ok(names.has('DATABASE_URL') && names.has('PHAROS_RUNNER_TOKEN'));
  for (const name of [...names, ...secretKeys]) {
    assert.match(configCode, new RegExp(`(env\\.${name}\\b|'${name}')`), `${name} is read in api/src/config.ts, runner/src/config/runner.config.ts or runner/src/discovery/discovery.config.ts`);
  }
});

test('the discovery ClusterRole grants what the agent watches and posts; the annotations table lists what the agent reads', () => {
  const role = documents.find((d) => /^kind: ClusterRole$/m.test(d) && /name: pharos-discovery/.test(d));
  assert.ok(role, 'a ClusterRole for the discovery agent');
  const rules = [...role.matchAll(/resources: (\[.*\])\n\s+verbs: (\[.*\])/g)].map((m) => ({ resources: JSON.parse(m[1]!) as string[], verbs: JSON.parse(m[2]!) as string[] }));
  const allowed = (resource: string, verb: string) => rules.some((r) => r.resources.includes(resource) && r.verbs.includes(verb));
  for (const resource of ['services', 'ingresses', 'namespaces']) for (const verb of ['get', 'list', 'watch']) assert.ok(allowed(resource, verb), `${verb} ${resource}`);
  assert.ok(allowed('events', 'create'), 'create events');
  const parser = readFileSync(join(root, 'runner/src/discovery/annotations.parser.ts'), 'utf8');
  const read = new Set([...parser.matchAll(/\$\{prefix\}([a-z-]+)|pick\('([a-z-]+)'\)/g)].map((m) => `pharos.dev/${m[1] ?? m[2]}`));
  const documented = new Set([...page.matchAll(/^\| `(pharos\.dev\/[a-z-]+)` \|/gm)].map((m) => m[1]!));
  for (const name of read) if (name !== 'pharos.dev/monitor') assert.ok(documented.has(name), `${name} is in the annotations table`);
  for (const name of documented) assert.ok(read.has(name), `${name} in the table is read by the agent`);
});
