import { register } from 'node:module';

// Loads @kubernetes/client-node. Its 2.0.1 release depends on undici 8, which needs Node.js 22.19 and
// throws while loading on Node.js 20 (zlib.createZstdDecompress, webidl.markAsUncloneable), though
// the client itself uses only undici's Agent, ProxyAgent and fetch, which undici 7 (the runner's own
// dependency, Node.js >= 20.18) has with the same options. On older Node.js a module resolution
// hook points the client's `undici` import at the runner's undici 7; on 22.19 and later the client
// keeps its own. The import is dynamic so the hook is in place before the client loads (a static
// import would be evaluated first, in the bundle too).

type KubeClient = typeof import('@kubernetes/client-node');

let loading: Promise<KubeClient> | undefined;

/** True when this Node.js can load undici 8 (22.19 or later). */
export function nodeRunsUndici8(version = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 19);
}

/** The hook's source: `undici` imported from inside @kubernetes/client-node resolves from `parent` instead. */
export function undiciRedirectHook(parent: string): string {
  return [
    `const parent = ${JSON.stringify(parent)};`,
    'export async function resolve(specifier, context, next) {',
    "  if (specifier === 'undici' && context.parentURL && context.parentURL.includes('/@kubernetes/client-node/')) return next(specifier, { ...context, parentURL: parent });",
    '  return next(specifier, context);',
    '}',
  ].join('\n');
}

/** @kubernetes/client-node, loaded once. */
export function loadKubeClient(): Promise<KubeClient> {
  loading ??= (async () => {
    if (!nodeRunsUndici8()) register(`data:text/javascript,${encodeURIComponent(undiciRedirectHook(import.meta.url))}`);
    return import('@kubernetes/client-node');
  })();
  return loading;
}
