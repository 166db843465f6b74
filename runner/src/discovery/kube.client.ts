// Loads @kubernetes/client-node once, on first use, so that the runner bundle's other processes and
// the agent's configuration checks do not pay for it. Its 2.0.1 release asks for undici 8 (Node.js
// 22.19 and later); the root package.json's `overrides` gives it the project's undici 7 (Node.js 20),
// which has the same Agent, ProxyAgent and fetch the client uses.

type KubeClient = typeof import('@kubernetes/client-node');

let loading: Promise<KubeClient> | undefined;

/** @kubernetes/client-node, loaded once. */
export function loadKubeClient(): Promise<KubeClient> {
  loading ??= import('@kubernetes/client-node');
  return loading;
}
