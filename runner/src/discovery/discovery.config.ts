import { ConfigError, EnvReader, type Env, type LogLevel } from '../config/env.reader.ts';

/** The discovery agent's settings, read once from the environment by its composition root. */
export interface DiscoveryConfig {
  /** Control plane base URL; a path prefix is kept. */
  apiUrl: URL;
  /** Pharos API token (`phs_…`) of a member of every team the agent writes for; never logged. */
  token: string;
  /** Name of this cluster as a discovery source, e.g. "prod-eu-west-1"; tags every monitor the agent writes. */
  source: string;
  /** Namespaces watched; empty = every namespace. */
  namespaces: readonly string[];
  /** Namespaces never watched (applied after `namespaces`). */
  excludeNamespaces: readonly string[];
  /** Kubernetes label selector on Namespaces; undefined = every namespace. */
  namespaceSelector: string | undefined;
  /** Kubernetes label selector on Services and Ingresses; undefined = all. */
  labelSelector: string | undefined;
  /** Seconds a monitor outlives its deleted (or opted-out) Kubernetes object. */
  deleteGraceSeconds: number;
  /** Check interval when the object names none. */
  defaultIntervalSeconds: number;
  /** Team of objects that name none (required for `prometheus.io/probe` opt-ins). */
  defaultTeam: string | undefined;
  /** Path of Service monitors that name none. */
  defaultPath: string;
  /** Cluster DNS domain appended to `<name>.<ns>.svc`; empty = the short form resolved by the search path. */
  clusterDomain: string;
  /** Full reconcile even without a change, and whenever a grace runs out. */
  resyncSeconds: number;
  /** Quiet time after a change before the sync starts (bursts become one sync). */
  debounceMs: number;
  /** Pharos API calls in flight at once. */
  apiConcurrency: number;
  /** Pharos API calls per second, at most. */
  apiRatePerSecond: number;
  /** Port of /metrics and /healthz; 0 disables the server, 'auto' lets the OS pick one. */
  metricsPort: number | 'auto';
  metricsHost: string | undefined;
  /** Kubeconfig file; undefined = KUBECONFIG, ~/.kube/config, then the in-cluster service account. */
  kubeconfig: string | undefined;
  logLevel: LogLevel;
}

export const defaultDiscoveryMetricsPort = 9465;

const sourcePattern = /^[a-z0-9][a-z0-9-]{0,62}$/;
const namespacePattern = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const selectorPattern = /^[A-Za-z0-9 _.\-/=!,()]*$/;
const domainPattern = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Reads and checks every discovery variable; throws one ConfigError listing all problems. */
export function loadDiscoveryConfig(env: Env): DiscoveryConfig {
  const read = new EnvReader(env);
  const problems = read.problems;
  const value = (name: string) => read.value(name);
  const integer = read.integer.bind(read);
  const namespaceList = (name: string, fallback: readonly string[]): string[] => {
    const raw = env[name];
    if (raw === undefined) return [...fallback];
    const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = items.filter((ns) => !namespacePattern.test(ns));
    if (bad.length) problems.push({ variable: name, message: `must be a comma-separated list of namespace names (lower-case letters, digits, "-"); not valid: ${bad.map((b) => `"${b}"`).join(', ')}.` });
    return items.filter((ns) => namespacePattern.test(ns));
  };
  const selector = (name: string): string | undefined => {
    const raw = value(name);
    if (raw !== undefined && !selectorPattern.test(raw)) {
      problems.push({ variable: name, message: `must be a Kubernetes label selector, e.g. "team=payments,tier!=batch" or "env in (prod,staging)"; got "${raw}".` });
      return undefined;
    }
    return raw;
  };

  const apiUrl = read.apiUrl('PHAROS_API_URL');

  const token = value('PHAROS_DISCOVERY_TOKEN');
  if (token === undefined) {
    problems.push({ variable: 'PHAROS_DISCOVERY_TOKEN', message: 'is required: a Pharos API token ("phs_…") created with POST /v1/tokens for a member (editor or above) of the teams the agent writes for.' });
  } else if (!token.startsWith('phs_')) {
    const hint = token.startsWith('phr_') ? ' This is a runner token ("phr_…"); the discovery agent uses the public API and needs an API token.' : '';
    problems.push({ variable: 'PHAROS_DISCOVERY_TOKEN', message: `must be an API token starting with "phs_".${hint} Create one with POST /v1/tokens.` });
  }

  const source = value('PHAROS_DISCOVERY_SOURCE');
  if (source === undefined) problems.push({ variable: 'PHAROS_DISCOVERY_SOURCE', message: 'is required: a name for this cluster, e.g. "prod-eu-west-1" (lower-case letters, digits, "-"); it tags every monitor the agent manages.' });
  else if (!sourcePattern.test(source)) problems.push({ variable: 'PHAROS_DISCOVERY_SOURCE', message: `must be 1 to 63 lower-case letters, digits and "-", starting with a letter or digit, e.g. "prod-eu-west-1"; got "${source}".` });

  const namespaces = namespaceList('PHAROS_DISCOVERY_NAMESPACES', []);
  const excludeNamespaces = namespaceList('PHAROS_DISCOVERY_EXCLUDE_NAMESPACES', ['kube-system', 'kube-public', 'kube-node-lease']);
  const namespaceSelector = selector('PHAROS_DISCOVERY_NAMESPACE_SELECTOR');
  const labelSelector = selector('PHAROS_DISCOVERY_LABEL_SELECTOR');
  const deleteGraceSeconds = integer('PHAROS_DISCOVERY_DELETE_GRACE_SECONDS', 300, 0, 30 * 86400, 'how long a monitor outlives its deleted Kubernetes object');
  const defaultIntervalSeconds = integer('PHAROS_DISCOVERY_DEFAULT_INTERVAL_SECONDS', 60, 5, 86400, 'check interval of objects without pharos.dev/interval');
  const resyncSeconds = integer('PHAROS_DISCOVERY_RESYNC_SECONDS', 60, 5, 240, 'full reconcile period; below 300 s, after which Pharos shows the source as stale');
  const debounceMs = integer('PHAROS_DISCOVERY_DEBOUNCE_MS', 1000, 0, 60_000, 'quiet time after a cluster change before syncing');
  const apiConcurrency = integer('PHAROS_DISCOVERY_API_CONCURRENCY', 4, 1, 64, 'Pharos API calls in flight at once');
  const apiRatePerSecond = integer('PHAROS_DISCOVERY_API_RATE', 20, 1, 1000, 'Pharos API calls per second');

  const defaultTeam = value('PHAROS_DISCOVERY_DEFAULT_TEAM');
  if (defaultTeam !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(defaultTeam)) {
    problems.push({ variable: 'PHAROS_DISCOVERY_DEFAULT_TEAM', message: `must be a Pharos team name (letters, digits, ".", "-", "_"); got "${defaultTeam}".` });
  }
  const defaultPath = value('PHAROS_DISCOVERY_DEFAULT_PATH') ?? '/healthz';
  if (!defaultPath.startsWith('/') || /[\s#]/.test(defaultPath)) problems.push({ variable: 'PHAROS_DISCOVERY_DEFAULT_PATH', message: `must be a URL path starting with "/", e.g. /healthz; got "${defaultPath}".` });
  const clusterDomain = (value('PHAROS_DISCOVERY_CLUSTER_DOMAIN') ?? '').replace(/\.$/, '');
  if (clusterDomain && !domainPattern.test(clusterDomain)) problems.push({ variable: 'PHAROS_DISCOVERY_CLUSTER_DOMAIN', message: `must be a DNS domain such as "cluster.local" (or unset for <name>.<namespace>.svc); got "${clusterDomain}".` });

  const metricsPort = read.metricsPort('PHAROS_DISCOVERY_METRICS_PORT', defaultDiscoveryMetricsPort);
  const metricsHost = read.listenHost('PHAROS_DISCOVERY_METRICS_HOST');
  const kubeconfig = value('KUBECONFIG');

  const logLevel = read.logLevel();

  if (problems.length > 0 || !apiUrl || !token || !source || !logLevel) throw new ConfigError(problems);
  return {
    apiUrl, token, source, namespaces, excludeNamespaces, namespaceSelector, labelSelector, deleteGraceSeconds, defaultIntervalSeconds,
    defaultTeam, defaultPath, clusterDomain, resyncSeconds, debounceMs, apiConcurrency, apiRatePerSecond, metricsPort, metricsHost, kubeconfig, logLevel,
  };
}
