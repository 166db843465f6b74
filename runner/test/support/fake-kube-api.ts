// A Kubernetes API server for tests, over plain HTTP on 127.0.0.1: the list/watch wire protocol of
// kube-apiserver for Namespaces, Services, Ingresses and Events (resourceVersion semantics, paging,
// selectors, chunked watch streams with bookmarks, 410 Expired after compaction), Bearer-token
// authentication and per-resource authorization failures. Clients use it through a written
// kubeconfig, so the code under test is the code that runs against a real cluster.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listObjects, parseResourceVersion, selectorsOf } from './fake-kube-api.list.ts';
import { apiVersionOf, qualifiedResource, typeForKind, typeForObject, typeForPath, type KubeObject, type ResourceType } from './fake-kube-api.resources.ts';
import { badRequest, KubeStatusError } from './fake-kube-api.status.ts';
import { KubeStore } from './fake-kube-api.store.ts';
import { validateCreate } from './fake-kube-api.validation.ts';
import { WatchStream } from './fake-kube-api.watch.ts';

export type { KubeObject } from './fake-kube-api.resources.ts';
export type { KubeList } from './fake-kube-api.list.ts';

export type Verb = 'get' | 'list' | 'watch' | 'create';

export interface FakeKubeApiOptions {
  /** Objects stored at start, in order (Namespaces before what they hold); see loadKubeFixtures. */
  fixtures?: KubeObject[];
  /** The Bearer token requests must carry; random when omitted. */
  token?: string;
  /** The user named in 403 messages. */
  user?: string;
  /** What every cluster has: namespaces default, kube-system, kube-public, kube-node-lease and the `kubernetes` Service. Default true. */
  builtins?: boolean;
  /** Changes kept for watch replay and consistent paging; older ones are compacted. Default 1000. */
  historyLimit?: number;
  /** How often a watch with allowWatchBookmarks gets a BOOKMARK. Default 1000 ms (a real server: about a minute). */
  bookmarkIntervalMs?: number;
}

export interface SeenKubeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The HTTP status answered (200 for a watch even when it then carries an ERROR event). */
  status?: number;
}

const builtinNamespaces = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

interface Target {
  type: ResourceType;
  namespace?: string;
  name?: string;
}

const notFoundPath = () => new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource', {});

/** Maps a request path to a resource, namespace and name, as kube-apiserver's REST mapping does. */
function resolvePath(pathname: string): Target {
  let parts: string[];
  try {
    parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw badRequest(`the request path ${pathname} is not valid percent-encoding`);
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') [group, version, rest] = ['', 'v1', parts.slice(2)];
  else if (parts[0] === 'apis' && parts.length >= 3) [group, version, rest] = [parts[1]!, parts[2]!, parts.slice(3)];
  else throw notFoundPath();
  const lookup = (resource: string | undefined) => (resource ? typeForPath(group, version, resource) : undefined);
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const type = lookup(rest[2]);
    if (!type?.namespaced || rest.length > 4) throw notFoundPath();
    return { type, namespace: rest[1]!, ...(rest[3] ? { name: rest[3] } : {}) };
  }
  const type = lookup(rest[0]);
  if (!type || rest.length > 2 || (rest.length === 2 && type.namespaced)) throw notFoundPath();
  return { type, ...(rest[1] ? { name: rest[1] } : {}) };
}

const nameSuffixChars = 'bcdfghjklmnpqrstvwxz2456789';
const generatedSuffix = () => Array.from(randomBytes(5), (b) => nameSuffixChars[b % nameSuffixChars.length]).join('');

function kubeconfigYaml(url: string, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: fake-kube-api',
    '  cluster:',
    `    server: ${url}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    '- name: pharos-discovery',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: fake-kube-api',
    '  context:',
    '    cluster: fake-kube-api',
    '    user: pharos-discovery',
    '    namespace: default',
    'current-context: fake-kube-api',
    '',
  ].join('\n');
}

export class FakeKubeApi {
  /** Every request received, in order, including rejected ones. */
  readonly requests: SeenKubeRequest[] = [];
  readonly token: string;
  url = '';
  kubeconfigPath = '';

  #store: KubeStore;
  #server: http.Server;
  #watches = new Set<WatchStream>();
  #forbidden = new Map<string, Set<Verb>>();
  #options: Required<Omit<FakeKubeApiOptions, 'fixtures' | 'token'>>;
  #dir = '';

  private constructor(options: FakeKubeApiOptions) {
    this.token = options.token ?? randomBytes(16).toString('hex');
    this.#options = {
      user: options.user ?? 'system:serviceaccount:pharos:pharos-discovery',
      builtins: options.builtins ?? true,
      historyLimit: options.historyLimit ?? 1000,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 1000,
    };
    this.#store = new KubeStore(this.#options.historyLimit);
    this.#server = http.createServer((req, res) => this.#handle(req, res));
  }

  /** Starts a server on 127.0.0.1 with a random port and writes a kubeconfig pointing at it. */
  static async start(options: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
    const api = new FakeKubeApi(options);
    if (api.#options.builtins) {
      for (const name of builtinNamespaces) api.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      api.apply({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
        spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], type: 'ClusterIP' },
      });
    }
    for (const object of options.fixtures ?? []) api.apply(object);
    await new Promise<void>((resolve) => api.#server.listen(0, '127.0.0.1', resolve));
    api.url = `http://127.0.0.1:${(api.#server.address() as AddressInfo).port}`;
    api.#dir = mkdtempSync(join(tmpdir(), 'pharos-fake-kube-'));
    api.kubeconfigPath = join(api.#dir, 'kubeconfig');
    writeFileSync(api.kubeconfigPath, kubeconfigYaml(api.url, api.token), { mode: 0o600 });
    return api;
  }

  /** The current global resourceVersion. */
  get resourceVersion(): number {
    return this.#store.resourceVersion;
  }

  /** Watch streams currently open, optionally of one resource (`services`, `ingresses`, …). */
  openWatches(resource?: string): number {
    return [...this.#watches].filter((w) => !resource || w.resource.resource === resource).length;
  }

  /**
   * Creates or updates an object as a controller writing to the API would: bumps the global
   * resourceVersion and notifies watchers (ADDED or MODIFIED). A namespaced object without a
   * namespace goes to `default`; its namespace must exist. Returns the stored object.
   */
  apply(input: KubeObject): KubeObject {
    const type = typeForObject(input.apiVersion, input.kind);
    if (!type) throw new Error(`fake-kube-api serves no ${input.apiVersion} ${input.kind}`);
    if (!input.metadata?.name) throw new Error(`${input.kind} needs metadata.name`);
    const object = structuredClone(input);
    if (type.namespaced) {
      object.metadata.namespace ??= 'default';
      const namespace = object.metadata.namespace;
      if (!this.#store.get(typeForKind('Namespace')!, undefined, namespace)) throw new Error(`namespaces "${namespace}" not found: apply the Namespace before ${input.kind} ${namespace}/${object.metadata.name}`);
    }
    this.#store.put(type, object);
    return this.#store.get(type, object.metadata.namespace, object.metadata.name!)!;
  }

  /** Deletes an object (DELETED to watchers); a Namespace takes what it holds with it. */
  remove(kind: string, namespace: string | undefined, name: string): boolean {
    const type = typeForKind(kind);
    if (!type) throw new Error(`fake-kube-api serves no ${kind}`);
    if (type.kind === 'Namespace') {
      for (const t of [typeForKind('services')!, typeForKind('ingresses.networking.k8s.io')!, typeForKind('events')!, typeForKind('events.events.k8s.io')!]) {
        for (const { object } of this.#store.snapshot(t)) if (object.metadata.namespace === name) this.#store.delete(t, name, object.metadata.name!);
      }
    }
    return this.#store.delete(type, namespace, name) !== undefined;
  }

  /** The stored object, or undefined. */
  object(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const type = typeForKind(kind);
    return type && this.#store.get(type, namespace, name);
  }

  /** Drops the change history: a watch or a continue token from before now gets 410 Expired. */
  compact(): void {
    this.#store.compact();
  }

  /** Closes every open watch: `end` finishes the chunked body, `reset` cuts the TCP connection. */
  dropWatches(how: 'end' | 'reset' = 'end'): number {
    const streams = [...this.#watches];
    for (const stream of streams) (how === 'end' ? stream.end() : stream.reset());
    return streams.length;
  }

  /** Events clients created (core v1 and events.k8s.io/v1), oldest first. */
  events(): KubeObject[] {
    return [typeForKind('events')!, typeForKind('events.events.k8s.io')!]
      .flatMap((t) => this.#store.snapshot(t).map(({ object }) => object))
      .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
  }

  /**
   * Answers 403 Forbidden for a resource (`events`, `services`, `ingresses.networking.k8s.io`; a
   * bare name covers every group), for the given verbs or all of them.
   */
  forbid(resource: string, verbs: Verb[] = ['get', 'list', 'watch', 'create']): void {
    this.#forbidden.set(resource, new Set(verbs));
  }

  /** Lifts a forbid(). */
  permit(resource: string): void {
    this.#forbidden.delete(resource);
  }

  async close(): Promise<void> {
    this.dropWatches('end');
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    if (this.#dir) rmSync(this.#dir, { recursive: true, force: true });
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const seen: SeenKubeRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams) };
    this.requests.push(seen);
    const originalWriteHead = res.writeHead.bind(res) as (...args: unknown[]) => http.ServerResponse;
    res.writeHead = ((status: number, ...rest: unknown[]) => {
      seen.status = status;
      return originalWriteHead(status, ...rest);
    }) as typeof res.writeHead;
    this.#route(req, res, url).catch((error: unknown) => {
      const failure = error instanceof KubeStatusError ? error : new KubeStatusError(500, 'InternalError', `Internal error occurred: ${(error as Error).message}`);
      if (res.headersSent) res.destroy();
      else this.#json(res, failure.code, failure.toStatus());
    });
  }

  #json(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    res.end(JSON.stringify(body));
  }

  #authorize(verb: Verb, target: Target): void {
    const { type, namespace } = target;
    const rule = this.#forbidden.get(qualifiedResource(type)) ?? this.#forbidden.get(type.resource);
    if (!rule?.has(verb)) return;
    const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
    const message = `${qualifiedResource(type)}${target.name ? ` "${target.name}"` : ''} is forbidden: User "${this.#options.user}" cannot ${verb} resource "${type.resource}" in API group "${type.group}" ${scope}`;
    throw new KubeStatusError(403, 'Forbidden', message, { ...(target.name ? { name: target.name } : {}), group: type.group, kind: type.resource });
  }

  async #route(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (req.headers.authorization !== `Bearer ${this.token}`) throw new KubeStatusError(401, 'Unauthorized', 'Unauthorized');
    const target = resolvePath(url.pathname);
    const query = url.searchParams;
    if (req.method === 'GET' && target.name) {
      this.#authorize('get', target);
      const found = this.#store.get(target.type, target.namespace, target.name);
      if (!found) throw new KubeStatusError(404, 'NotFound', `${qualifiedResource(target.type)} "${target.name}" not found`, { name: target.name, group: target.type.group, kind: target.type.resource });
      return this.#json(res, 200, found);
    }
    if (req.method === 'GET') {
      const watch = query.get('watch');
      if (watch === 'true' || watch === '1') {
        this.#authorize('watch', target);
        return this.#watch(res, target, query);
      }
      this.#authorize('list', target);
      return this.#json(res, 200, listObjects(this.#store, target.type, target.namespace, query));
    }
    if (req.method === 'POST' && !target.name && (target.namespace || !target.type.namespaced)) {
      this.#authorize('create', target);
      const created = this.#create(target, await readJson(req));
      return this.#json(res, 201, created);
    }
    throw new KubeStatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
  }

  #create(target: Target, body: unknown): KubeObject {
    const { type, namespace } = target;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the request body must be a JSON object');
    const object = body as KubeObject;
    if (object.apiVersion !== apiVersionOf(type)) throw badRequest(`the API version in the data (${String(object.apiVersion ?? '')}) does not match the expected API version (${apiVersionOf(type)})`);
    if (object.kind !== type.kind) throw badRequest(`the kind in the data (${String(object.kind ?? '')}) does not match the expected kind (${type.kind})`);
    object.metadata ??= {};
    if (typeof object.metadata !== 'object') throw badRequest('metadata must be an object');
    if (type.namespaced) {
      if (object.metadata.namespace && object.metadata.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      object.metadata.namespace = namespace!;
      if (!this.#store.get(typeForKind('Namespace')!, undefined, namespace!)) throw new KubeStatusError(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace!, kind: 'namespaces' });
    }
    if (!object.metadata.name && object.metadata.generateName) object.metadata.name = `${object.metadata.generateName}${generatedSuffix()}`;
    validateCreate(object, type.group);
    if (this.#store.get(type, namespace, object.metadata.name!)) {
      throw new KubeStatusError(409, 'AlreadyExists', `${qualifiedResource(type)} "${object.metadata.name}" already exists`, { name: object.metadata.name!, group: type.group, kind: type.resource });
    }
    for (const field of ['uid', 'resourceVersion', 'creationTimestamp'] as const) delete object.metadata[field];
    this.#store.put(type, object);
    return this.#store.get(type, namespace, object.metadata.name!)!;
  }

  #watch(res: http.ServerResponse, target: Target, query: URLSearchParams): void {
    const { labels, fields } = selectorsOf(target.type, query);
    const rvParam = query.get('resourceVersion');
    const match = query.get('resourceVersionMatch');
    const sendInitialEvents = query.get('sendInitialEvents') === 'true';
    const allowBookmarks = query.get('allowWatchBookmarks') === 'true' || query.get('allowWatchBookmarks') === '1';
    if (match && !(sendInitialEvents && match === 'NotOlderThan')) throw new KubeStatusError(422, 'Invalid', `resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided`);
    if (sendInitialEvents && (match !== 'NotOlderThan' || !allowBookmarks)) throw new KubeStatusError(422, 'Invalid', 'sendInitialEvents requires resourceVersionMatch=NotOlderThan and allowWatchBookmarks=true');
    const timeoutParam = query.get('timeoutSeconds');
    const timeoutSeconds = timeoutParam === null ? undefined : Number(timeoutParam);
    if (timeoutSeconds !== undefined && !(Number.isInteger(timeoutSeconds) && timeoutSeconds >= 0)) throw badRequest(`invalid timeoutSeconds "${timeoutParam}": must be a non-negative integer`);
    const rv = rvParam && rvParam !== '0' ? parseResourceVersion(rvParam) : undefined;
    const stream = new WatchStream(
      this.#store,
      res,
      {
        type: target.type,
        namespace: target.namespace,
        labels,
        fields,
        startAfter: rv,
        sendInitialEvents,
        allowBookmarks,
        bookmarkIntervalMs: this.#options.bookmarkIntervalMs,
        timeoutSeconds: timeoutSeconds || undefined,
      },
      (closed) => this.#watches.delete(closed),
    );
    this.#watches.add(stream);
    stream.start();
  }
}

const maxBodyBytes = 3 * 1024 * 1024;

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) throw new KubeStatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new KubeStatusError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
  }
}

/** Starts a fake Kubernetes API server; see FakeKubeApi. */
export const startFakeKubeApi = (options?: FakeKubeApiOptions) => FakeKubeApi.start(options);
