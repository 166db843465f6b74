import { createHash } from 'node:crypto';
import type { V1Ingress, V1Service } from '@kubernetes/client-node';
import { parseAnnotations, type MonitorSettings } from './annotations.parser.ts';
import { objectTag, sourceTag, type DesiredMonitor, type ObjectProblem, type ObjectRef } from './discovery.types.ts';

// From the informers' caches to the monitors the cluster asks for. Pure: no I/O, no clock.

/** What the builder needs of the agent's configuration. */
export interface BuildOptions {
  source: string;
  namespaces: readonly string[];
  excludeNamespaces: readonly string[];
  /** Names of the namespaces the namespace label selector matches; undefined = no selector. */
  selectedNamespaces: ReadonlySet<string> | undefined;
  defaultTeam: string | undefined;
  defaultPath: string;
  defaultIntervalSeconds: number;
  clusterDomain: string;
}

export interface DesiredSet {
  monitors: DesiredMonitor[];
  problems: ObjectProblem[];
  /** `<kind>/<ns>/<name>` of every opted-in object whose annotations are wrong: its existing monitors are held as they are. */
  held: Set<string>;
  /** Opted-in objects in scope (the agent's `objects_seen`). */
  objectsSeen: number;
}

/** `service/<ns>/<name>` or `ingress/<ns>/<name>`: the prefix of every key of the object's monitors. */
export const objectId = (ref: Pick<ObjectRef, 'kind' | 'namespace' | 'name'>): string => `${ref.kind.toLowerCase()}/${ref.namespace}/${ref.name}`;

const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);

/** Cuts `text` to `max` characters, keeping it unique with a hash of the whole. */
export function bounded(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 9)}-${shortHash(text)}`;
}

/** A Pharos monitor name from parts: letters, digits and ". - _", at most 100 characters. */
export function monitorName(parts: readonly string[]): string {
  const raw = parts.join('.').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-{2,}/g, '-').replace(/[-.]+$/, '');
  return bounded(raw, 100);
}

const plainPath = /^\/[^\s()*$^|\\?#]*$/;

/** True when `host` is covered by a TLS entry (exact or one-label wildcard). */
function hostHasTls(ingress: V1Ingress, host: string): boolean {
  return (ingress.spec?.tls ?? []).some((t) =>
    (t.hosts ?? []).some((h) => h === host || (h.startsWith('*.') && host.endsWith(h.slice(1)) && !host.slice(0, -h.length + 1).includes('.'))),
  );
}

/** Builds the desired monitors of every opted-in Service and Ingress in scope. */
export function buildDesired(services: readonly V1Service[], ingresses: readonly V1Ingress[], options: BuildOptions): DesiredSet {
  const out: DesiredSet = { monitors: [], problems: [], held: new Set(), objectsSeen: 0 };
  const inScope = (ns: string) =>
    (options.namespaces.length === 0 || options.namespaces.includes(ns)) &&
    !options.excludeNamespaces.includes(ns) &&
    (options.selectedNamespaces === undefined || options.selectedNamespaces.has(ns));
  const seen = new Set<string>();

  const visit = (kind: ObjectRef['kind'], meta: V1Service['metadata'], urls: (s: MonitorSettings, fail: (code: ObjectProblem['code'], message: string) => void) => { url: string; suffix?: string }[]) => {
    const namespace = meta?.namespace ?? 'default';
    const name = meta?.name;
    if (!name || !inScope(namespace)) return;
    const parsed = parseAnnotations(meta?.annotations);
    if (!parsed.optedIn) return;
    out.objectsSeen += 1;
    const object: ObjectRef = { kind, namespace, name, ...(meta?.uid ? { uid: meta.uid } : {}) };
    const problems: ObjectProblem[] = parsed.problems.map((message) => ({ object, code: 'invalid_annotation', message }));
    const fail = (code: ObjectProblem['code'], message: string) => problems.push({ object, code, message });
    const { settings } = parsed;
    const team = settings.team ?? options.defaultTeam;
    if (!team) {
      fail('missing_team', settings.via === 'prometheus'
        ? 'prometheus.io/probe opts the object in, but no team is known: add pharos.dev/team or set PHAROS_DISCOVERY_DEFAULT_TEAM on the agent.'
        : 'pharos.dev/team is required (the Pharos team that owns the service), or set PHAROS_DISCOVERY_DEFAULT_TEAM on the agent.');
    }
    const targets = problems.length ? [] : urls(settings, fail);
    if (problems.length || !team) {
      out.problems.push(...problems);
      out.held.add(objectId(object));
      return;
    }
    const interval = settings.intervalSeconds ?? options.defaultIntervalSeconds;
    const timeout = settings.timeoutSeconds ?? Math.min(10, interval / 2);
    for (const target of targets) {
      const key = bounded([objectId(object), ...(target.suffix ? [target.suffix] : [])].join('/'), 255);
      if (seen.has(key)) continue;
      seen.add(key);
      out.monitors.push({
        key,
        object,
        team,
        service: settings.service ?? name,
        dependsOn: settings.dependsOn,
        doc: {
          name: monitorName([options.source, namespace, name, ...(target.suffix ? [target.suffix] : [])]),
          type: 'http',
          description: `Discovered by "${options.source}" from ${kind} ${namespace}/${name}.`,
          interval_seconds: interval,
          timeout_seconds: timeout,
          regions: [...settings.regions].sort(),
          ...(settings.zone ? { run_from: { zone: settings.zone } } : {}),
          http: { method: 'GET', url: target.url },
          assertions: settings.assertions,
          tags: { [sourceTag]: options.source, [objectTag]: key },
        },
      });
    }
  };

  for (const svc of services) {
    visit('Service', svc.metadata, (s, fail) => {
      const ports = svc.spec?.ports ?? [];
      let port: number | undefined;
      let portName: string | undefined;
      if (typeof s.port === 'number') {
        port = s.port;
        portName = ports.find((p) => p.port === port)?.name;
      } else if (typeof s.port === 'string') {
        const found = ports.find((p) => p.name === s.port);
        if (!found) {
          fail('unknown_port', `pharos.dev/port: the Service has no port named "${s.port}" (its ports: ${ports.map((p) => p.name ?? String(p.port)).join(', ') || 'none'}).`);
          return [];
        }
        port = found.port;
        portName = found.name;
      } else if (ports[0]) {
        port = ports[0].port;
        portName = ports[0].name;
      } else {
        fail('no_port', 'the Service has no ports: add pharos.dev/port with the port to probe.');
        return [];
      }
      const scheme = s.scheme ?? (port === 443 || /https/i.test(portName ?? '') ? 'https' : 'http');
      const host = `${svc.metadata!.name}.${svc.metadata!.namespace ?? 'default'}.svc${options.clusterDomain ? `.${options.clusterDomain}` : ''}`;
      const path = s.path ?? (s.via === 'prometheus' ? '/' : options.defaultPath);
      return [{ url: `${scheme}://${host}:${port}${path}` }];
    });
  }

  for (const ing of ingresses) {
    visit('Ingress', ing.metadata, (s, fail) => {
      const targets: { url: string; suffix: string }[] = [];
      for (const rule of ing.spec?.rules ?? []) {
        const host = rule.host;
        if (!host || host.includes('*')) continue; // a host-less or wildcard rule names no URL to probe
        const scheme = s.scheme ?? (hostHasTls(ing, host) ? 'https' : 'http');
        const paths = s.path ? [s.path] : (rule.http?.paths ?? []).map((p) => p.path || '/').filter((p) => plainPath.test(p));
        for (const path of paths.length ? paths : ['/']) targets.push({ url: `${scheme}://${host}${path}`, suffix: `${host}${path}` });
      }
      if (targets.length === 0) fail('no_host', 'the Ingress has no rule with a host name (host-less and wildcard rules name no URL to probe): add a host to a rule.');
      return targets;
    });
  }
  return out;
}
