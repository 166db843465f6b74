import type { Informer, KubeConfig, KubernetesObject, ObjectCache, V1Ingress, V1Namespace, V1Service } from '@kubernetes/client-node';
import { loadKubeClient } from './kube.client.ts';
import type { Logger } from 'pino';

// The agent's view of the cluster: @kubernetes/client-node informers (list, then watch from the
// list's resourceVersion; a 410 Gone relists) on Services, Ingresses and, with a namespace label
// selector, Namespaces. Cluster-wide by default; one informer per namespace when the agent is limited
// to a list of namespaces (so a namespaced Role is enough). A stopped informer (watch error, API
// server restart) is restarted with backoff; the caches are only trusted once every informer has
// listed once, so a half-read cluster never looks like deleted objects.

export interface WatchOptions {
  namespaces: readonly string[];
  namespaceSelector: string | undefined;
  labelSelector: string | undefined;
  /** Called after every change seen (the agent debounces). */
  onChange: () => void;
  logger: Logger;
}

export interface ClusterView {
  services(): V1Service[];
  ingresses(): V1Ingress[];
  /** Names of the namespaces the namespace selector matches; undefined without one. */
  selectedNamespaces(): Set<string> | undefined;
  /** True once every informer has listed at least once. */
  readonly synced: boolean;
  /** Objects in the caches (for the objects_watched gauge). */
  counts(): { services: number; ingresses: number; namespaces: number };
  stop(): Promise<void>;
}

/** Loads the kubeconfig: the file named, else KUBECONFIG / ~/.kube/config / the in-cluster service account. */
export async function loadKubeConfig(file: string | undefined): Promise<KubeConfig> {
  const { KubeConfig } = await loadKubeClient();
  const kc = new KubeConfig();
  if (file) {
    try {
      kc.loadFromFile(file);
    } catch (err) {
      throw new Error(`cannot load the kubeconfig ${file} (KUBECONFIG): ${(err as Error).message}. Point KUBECONFIG at a readable kubeconfig file, or unset it in a pod to use its service account.`);
    }
  } else kc.loadFromDefault();
  if (!kc.getCurrentCluster()) throw new Error('no Kubernetes cluster configured: set KUBECONFIG to a kubeconfig file, or run in a pod with a service account.');
  return kc;
}

type Watched<T extends KubernetesObject> = Informer<T> & ObjectCache<T>;

/** Starts the informers; resolves once each has made its first list attempt. */
export async function watchCluster(kc: KubeConfig, options: WatchOptions): Promise<ClusterView> {
  const { CoreV1Api, NetworkingV1Api, makeInformer } = await loadKubeClient();
  const core = kc.makeApiClient(CoreV1Api);
  const networking = kc.makeApiClient(NetworkingV1Api);
  const label = options.labelSelector;
  const informers: { what: string; informer: Watched<KubernetesObject>; listed: boolean; stopped: boolean; delay: number; timer?: NodeJS.Timeout }[] = [];
  let closing = false;

  const add = <T extends KubernetesObject>(what: string, path: string, list: () => Promise<{ items: T[]; metadata?: { resourceVersion?: string } }>, selector: string | undefined): Watched<T> => {
    const informer = makeInformer<T>(kc, path, list as never, selector);
    const entry = { what, informer: informer as unknown as Watched<KubernetesObject>, listed: false, stopped: false, delay: 1000, timer: undefined as NodeJS.Timeout | undefined };
    informers.push(entry);
    const changed = () => options.onChange();
    informer.on('add', changed);
    informer.on('update', changed);
    informer.on('delete', changed);
    informer.on('error', (err: unknown) => {
      if (closing) return;
      entry.stopped = true;
      const e = err as { statusCode?: number; code?: number | string; message?: string; body?: unknown };
      options.logger.warn({ resource: what, status: e?.statusCode ?? e?.code, error: e?.message ?? String(err) }, `watch of ${what} failed; restarting in ${Math.round(entry.delay / 1000)} s`);
      entry.timer = setTimeout(() => void restart(entry), entry.delay);
      entry.delay = Math.min(entry.delay * 2, 30_000);
    });
    informer.on('connect', () => {
      entry.stopped = false;
    });
    return informer;
  };
  const restart = async (entry: (typeof informers)[number]) => {
    if (closing) return;
    try {
      await entry.informer.start();
      if (!entry.stopped) {
        entry.listed = true;
        entry.delay = 1000;
        options.onChange();
      }
    } catch (err) {
      options.logger.warn({ resource: entry.what, error: (err as Error).message }, 'informer start failed');
    }
  };

  const services: Watched<V1Service>[] = [];
  const ingresses: Watched<V1Ingress>[] = [];
  if (options.namespaces.length === 0) {
    services.push(add('services', '/api/v1/services', () => core.listServiceForAllNamespaces({ labelSelector: label }), label));
    ingresses.push(add('ingresses', '/apis/networking.k8s.io/v1/ingresses', () => networking.listIngressForAllNamespaces({ labelSelector: label }), label));
  } else {
    for (const namespace of options.namespaces) {
      services.push(add(`services in ${namespace}`, `/api/v1/namespaces/${namespace}/services`, () => core.listNamespacedService({ namespace, labelSelector: label }), label));
      ingresses.push(add(`ingresses in ${namespace}`, `/apis/networking.k8s.io/v1/namespaces/${namespace}/ingresses`, () => networking.listNamespacedIngress({ namespace, labelSelector: label }), label));
    }
  }
  const nsSelector = options.namespaceSelector;
  const namespaces = nsSelector ? add<V1Namespace>('namespaces', '/api/v1/namespaces', () => core.listNamespace({ labelSelector: nsSelector }), nsSelector) : undefined;

  await Promise.all(informers.map((entry) => restart(entry)));

  return {
    services: () => services.flatMap((i) => [...i.list()]),
    ingresses: () => ingresses.flatMap((i) => [...i.list()]),
    selectedNamespaces: () => (namespaces ? new Set(namespaces.list().map((n) => n.metadata?.name ?? '')) : undefined),
    get synced() {
      return informers.every((e) => e.listed);
    },
    counts: () => ({
      services: services.reduce((n, i) => n + i.list().length, 0),
      ingresses: ingresses.reduce((n, i) => n + i.list().length, 0),
      namespaces: namespaces?.list().length ?? 0,
    }),
    async stop() {
      closing = true;
      for (const e of informers) clearTimeout(e.timer);
      await Promise.all(informers.map((e) => e.informer.stop().catch(() => undefined)));
    },
  };
}
