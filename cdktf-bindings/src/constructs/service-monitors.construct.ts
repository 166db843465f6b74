import { Construct } from 'constructs';
import { Monitor } from '../generated/providers/pharos/monitor';
import { Service } from '../generated/providers/pharos/service';
import { ServiceDependency } from '../generated/providers/pharos/service-dependency';
import { httpAssertions, type HttpExpectations } from './http-assertions';

/**
 * A service other services can depend on: what a dependency edge needs to know about its target.
 * ServiceMonitors implements it; for a service declared elsewhere (another stack, a
 * `pharos_service` data source) write the three fields yourself.
 */
export interface MonitoredService {
  /** The service's name, used in monitor names and construct ids. */
  readonly serviceName: string;
  /** The `pharos_service` id (a token such as `service.id` is fine). */
  readonly serviceId: string;
  /** URL that answers when the service is healthy; dependents check it from their own zone. */
  readonly healthUrl: string;
}

/** An HTTP endpoint to check, relative to the service's base URL. */
export interface EndpointCheck extends HttpExpectations {
  /** Path appended to `baseUrl` (e.g. "/health"), or an absolute http(s) URL. */
  readonly path: string;
  /** HTTP method. Default: GET. */
  readonly method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  /** Request headers (shown to every reader of the monitor; credentials go in `secretHeaders`). */
  readonly headers?: { readonly [name: string]: string };
  /**
   * Credentials such as `Authorization` or `X-Api-Key`: write-only `secret_headers`, never returned
   * by the API, sensitive in the plan. The API refuses credential headers in `headers`.
   */
  readonly secretHeaders?: { readonly [name: string]: string };
  /** Request body, sent as is. */
  readonly body?: string;
  /** Monitor name suffix: the monitor is called `<service>-<name>`. Default: "health" / "key-endpoint". */
  readonly name?: string;
}

/** Configuration of ServiceMonitors; only `name`, `team` and `baseUrl` are required. */
export interface ServiceMonitorsProps {
  /** Service name (`pharos_service.name`): letters, digits, ".", "-", "_". */
  readonly name: string;
  /** Owner team: a `Team` resource, a `pharos_team` data source, or a team id. */
  readonly team: { readonly id: string } | string;
  /** Base URL of the service, e.g. "http://orders.internal" or "https://api.stripe.com". */
  readonly baseUrl: string;
  /** "external" for a third-party API the fleet depends on. Default: "internal". */
  readonly kind?: 'internal' | 'external';
  readonly description?: string;
  readonly runbookUrl?: string;
  /** Labels of the service, copied onto its monitors (with `check` = health / key-endpoint / dependency). */
  readonly tags?: { readonly [key: string]: string };
  /**
   * Network zone the service runs in (a runner label). Its own monitors and the checks of its
   * dependencies run from there (`run_from { zone = … }`): that is the path its calls take.
   * Unset: any runner of the monitor's regions.
   */
  readonly zone?: string;
  /** Regions every monitor runs in. Default: every region with live runners. */
  readonly regions?: string[];
  /** Seconds between checks. Default: 30. */
  readonly intervalSeconds?: number;
  /** Per-check time budget in seconds; must be below the interval. Default: the API's (10 s). */
  readonly timeoutSeconds?: number;
  /** The health check. Default: GET `<baseUrl>/health`, expecting status 200 within 500 ms; `false`: no health monitor. */
  readonly health?: Partial<EndpointCheck> | false;
  /** The key business endpoint (e.g. "/v1/quotes"), checked with its own expectations. Default: none. */
  readonly keyEndpoint?: EndpointCheck;
  /** Services this one calls: one `pharos_service_dependency` and one monitor of the target's health URL each, naming that edge (`dependency_id`). */
  readonly dependsOn?: readonly MonitoredService[];
  /** Expectations for checks that do not set their own: status and response time. Default: 200, 500 ms. */
  readonly expect?: HttpExpectations;
}

/** Default seconds between checks. */
export const defaultIntervalSeconds = 30;

/**
 * A service with its owner, its dependency edges and its standard monitors: health, key business
 * endpoint, and each dependency's health checked from this service's zone.
 *
 * ```ts
 * const orders = new ServiceMonitors(this, 'orders', {
 *   name: 'order-processing', team: commerce, zone: 'commerce',
 *   baseUrl: 'http://orders.internal',
 *   keyEndpoint: { path: '/v1/orders/probe', json: { '$.accepting': 'true' } },
 *   dependsOn: [inventory, payments],
 * });
 * ```
 */
export class ServiceMonitors extends Construct implements MonitoredService {
  /** The `pharos_service` resource. */
  public readonly service: Service;
  /** The health monitor, unless `health: false`. */
  public readonly healthMonitor?: Monitor;
  /** The key business endpoint monitor, when `keyEndpoint` is set. */
  public readonly keyEndpointMonitor?: Monitor;
  /** One `pharos_service_dependency` per dependency, in the order added. */
  public readonly dependencies: ServiceDependency[] = [];
  /** One monitor per dependency, checking its health URL from this service's zone; its `dependency_id` is the edge's id. */
  public readonly dependencyMonitors: Monitor[] = [];
  public readonly serviceName: string;
  public readonly healthUrl: string;

  private readonly props: ServiceMonitorsProps;
  private readonly dependencyNames = new Set<string>();

  public constructor(scope: Construct, id: string, props: ServiceMonitorsProps) {
    super(scope, id);
    this.props = props;
    this.serviceName = props.name;
    const health = props.health === false ? undefined : { path: '/health', ...props.health };
    this.healthUrl = resolveUrl(props.baseUrl, health?.path ?? '/health');
    this.service = new Service(this, 'service', {
      name: props.name,
      teamId: typeof props.team === 'string' ? props.team : props.team.id,
      kind: props.kind,
      description: props.description,
      runbookUrl: props.runbookUrl,
      tags: props.tags,
    });
    if (health) this.healthMonitor = this.httpMonitor('health', health, this.healthUrl);
    if (props.keyEndpoint) {
      this.keyEndpointMonitor = this.httpMonitor('key-endpoint', props.keyEndpoint, resolveUrl(props.baseUrl, props.keyEndpoint.path));
    }
    for (const target of props.dependsOn ?? []) this.addDependency(target);
  }

  /** The `pharos_service` id, so a ServiceMonitors can be a dependency target. */
  public get serviceId(): string {
    return this.service.id;
  }

  /** Declares that this service calls `target`: the dependency edge and a monitor of its health URL from this zone that checks that edge (`dependency_id`). */
  public addDependency(target: MonitoredService, description?: string): ServiceDependency {
    if (target === this) throw new Error(`${this.serviceName} cannot depend on itself`);
    if (this.dependencyNames.has(target.serviceName)) throw new Error(`${this.serviceName} already depends on ${target.serviceName}`);
    this.dependencyNames.add(target.serviceName);
    const dependency = new ServiceDependency(this, `depends-on-${target.serviceName}`, {
      serviceId: this.service.id,
      dependsOnServiceId: target.serviceId,
      description,
    });
    this.dependencies.push(dependency);
    const monitor = new Monitor(this, `check-${target.serviceName}`, {
      ...this.commonMonitorConfig(`${target.serviceName}-from-${this.serviceName}`, 'dependency'),
      description: `${target.serviceName} as ${this.serviceName} reaches it`,
      // The monitor checks this edge: its results give the edge its state, so a cut edge (every
      // /health still 200) is what an incident names as the root cause.
      dependencyId: dependency.id,
      http: { url: target.healthUrl },
      assertion: httpAssertions(this.props.expect),
    });
    this.dependencyMonitors.push(monitor);
    return dependency;
  }

  /** A monitor of this service's own endpoint; `kind` is the construct id, default name suffix and `check` tag. */
  private httpMonitor(kind: 'health' | 'key-endpoint', check: Partial<EndpointCheck>, url: string): Monitor {
    const expect = this.props.expect ?? {};
    return new Monitor(this, kind, {
      ...this.commonMonitorConfig(`${this.serviceName}-${check.name ?? kind}`, kind),
      http: { url, method: check.method, headers: check.headers, secretHeaders: check.secretHeaders, body: check.body },
      assertion: httpAssertions({
        status: check.status ?? expect.status,
        degradedAfterMs: check.degradedAfterMs ?? expect.degradedAfterMs,
        bodyContains: check.bodyContains,
        json: check.json,
      }),
    });
  }

  private commonMonitorConfig(name: string, kind: 'health' | 'key-endpoint' | 'dependency') {
    const { zone, regions, timeoutSeconds, tags } = this.props;
    return {
      name,
      serviceId: this.service.id,
      type: 'http',
      intervalSeconds: this.props.intervalSeconds ?? defaultIntervalSeconds,
      timeoutSeconds,
      regions,
      runFrom: zone === undefined ? undefined : { zone },
      tags: { ...tags, check: kind },
    };
  }
}

/** `path` relative to `baseUrl` (one slash between them), or `path` itself when it is an absolute URL. */
export function resolveUrl(baseUrl: string, path: string): string {
  if (/^https?:\/\//.test(path)) return path;
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
