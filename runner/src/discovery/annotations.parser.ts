import type { Assertion } from '../../../api/src/contract/index.ts';

// Reads the opt-in annotations of a Service or Ingress. Pure: the same annotations always give the
// same settings, so a table of cases covers it (runner/test/discovery-annotations.test.ts).

export const prefix = 'pharos.dev/';

/** The monitor settings one object asks for; undefined fields take the agent's defaults. */
export interface MonitorSettings {
  /** Which annotation opted the object in. */
  via: 'pharos' | 'prometheus';
  team?: string;
  service?: string;
  path?: string;
  /** A port number, or the name of one of the Service's ports. */
  port?: number | string;
  scheme?: 'http' | 'https';
  intervalSeconds?: number;
  timeoutSeconds?: number;
  regions: string[];
  zone?: string;
  dependsOn: string[];
  assertions: Assertion[];
}

export type Parsed = { optedIn: false } | { optedIn: true; settings: MonitorSettings; problems: string[] };

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const regionPattern = /^[a-z0-9][a-z0-9-]{0,63}$/;
const portNamePattern = /^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/;
const truthy = (v: string | undefined) => v !== undefined && ['true', 'yes', '1'].includes(v.trim().toLowerCase());

/** A duration annotation: seconds ("30"), or Go-style "30s", "5m", "1h", "1m30s". */
export function parseDuration(raw: string): number | undefined {
  const text = raw.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(text);
  if (!m || text === '') return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

const list = (raw: string | undefined) => (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** The expected status: "200", "200-299" or "200,204". */
function statusAssertion(raw: string): Assertion | undefined {
  const text = raw.replace(/\s+/g, '');
  const code = (s: string) => /^[1-5]\d\d$/.test(s);
  if (code(text)) return { source: 'status_code', operator: 'equals', target: text };
  const range = /^([1-5]\d\d)-([1-5]\d\d)$/.exec(text);
  if (range && Number(range[1]) <= Number(range[2])) return { source: 'status_code', operator: 'in_range', target: text };
  const codes = text.split(',');
  if (codes.length > 1 && codes.every(code)) return { source: 'status_code', operator: 'one_of', target: codes.join(',') };
  return undefined;
}

/** Parses an object's annotations: not opted in, or the settings with every problem found (each names its annotation). */
export function parseAnnotations(annotations: Readonly<Record<string, string>> | undefined): Parsed {
  const a = annotations ?? {};
  const pharos = truthy(a[`${prefix}monitor`]);
  const prometheus = truthy(a['prometheus.io/probe']);
  if (!pharos && !prometheus) return { optedIn: false };
  const problems: string[] = [];
  const get = (key: string) => {
    const v = a[key]?.trim();
    return v ? v : undefined;
  };
  // pharos.dev/ annotations win; prometheus.io/ ones fill in path, port and scheme.
  const pick = (name: string) => get(`${prefix}${name}`) ?? (['path', 'port', 'scheme'].includes(name) ? get(`prometheus.io/${name}`) : undefined);
  const annotationOf = (name: string) => (get(`${prefix}${name}`) !== undefined ? `${prefix}${name}` : `prometheus.io/${name}`);
  const settings: MonitorSettings = { via: pharos ? 'pharos' : 'prometheus', regions: [], dependsOn: [], assertions: [] };

  const team = get(`${prefix}team`);
  if (team !== undefined) {
    if (namePattern.test(team)) settings.team = team;
    else problems.push(`${prefix}team: "${team}" is not a Pharos team name (letters, digits, ".", "-", "_").`);
  }
  const service = get(`${prefix}service`);
  if (service !== undefined) {
    if (namePattern.test(service)) settings.service = service;
    else problems.push(`${prefix}service: "${service}" is not a Pharos service name (letters, digits, ".", "-", "_", at most 100).`);
  }
  const path = pick('path');
  if (path !== undefined) {
    if (path.startsWith('/') && !/[\s#]/.test(path) && path.length <= 1024) settings.path = path;
    else problems.push(`${annotationOf('path')}: "${path}" must be a URL path starting with "/", e.g. /healthz.`);
  }
  const port = pick('port');
  if (port !== undefined) {
    if (/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535) settings.port = Number(port);
    else if (portNamePattern.test(port) && /[a-z]/.test(port)) settings.port = port;
    else problems.push(`${annotationOf('port')}: "${port}" must be a port number (1-65535) or the name of one of the Service's ports.`);
  }
  const scheme = pick('scheme')?.toLowerCase();
  if (scheme !== undefined) {
    if (scheme === 'http' || scheme === 'https') settings.scheme = scheme;
    else problems.push(`${annotationOf('scheme')}: "${scheme}" must be "http" or "https".`);
  }
  const interval = get(`${prefix}interval`);
  if (interval !== undefined) {
    const s = parseDuration(interval);
    if (s !== undefined && Number.isInteger(s) && s >= 5 && s <= 86400) settings.intervalSeconds = s;
    else problems.push(`${prefix}interval: "${interval}" must be whole seconds from 5 s to 24 h, e.g. "30s", "5m" or "60".`);
  }
  const timeout = get(`${prefix}timeout`);
  if (timeout !== undefined) {
    const s = parseDuration(timeout);
    if (s !== undefined && s >= 0.1 && s <= 300) settings.timeoutSeconds = s;
    else problems.push(`${prefix}timeout: "${timeout}" must be from 0.1 s to 300 s, e.g. "5s" or "2.5".`);
  }
  for (const region of list(get(`${prefix}regions`))) {
    if (!regionPattern.test(region)) problems.push(`${prefix}regions: "${region}" is not a region name (lower-case letters, digits, "-", e.g. us-east-1).`);
    else if (!settings.regions.includes(region)) settings.regions.push(region);
  }
  if (settings.regions.length > 20) problems.push(`${prefix}regions: at most 20 regions; got ${settings.regions.length}.`);
  const zone = get(`${prefix}zone`);
  if (zone !== undefined) {
    if (regionPattern.test(zone)) settings.zone = zone;
    else problems.push(`${prefix}zone: "${zone}" must be lower-case letters, digits and "-", e.g. "fulfillment".`);
  }
  for (const dep of list(get(`${prefix}depends-on`))) {
    if (!namePattern.test(dep)) problems.push(`${prefix}depends-on: "${dep}" is not a Pharos service name.`);
    else if (!settings.dependsOn.includes(dep)) settings.dependsOn.push(dep);
  }
  const expect = get(`${prefix}expect-status`);
  if (expect !== undefined) {
    const assertion = statusAssertion(expect);
    if (assertion) settings.assertions.push(assertion);
    else problems.push(`${prefix}expect-status: "${expect}" must be a status code ("200"), a range ("200-299") or a list ("200,204").`);
  }
  if (settings.intervalSeconds !== undefined && settings.timeoutSeconds !== undefined && settings.timeoutSeconds >= settings.intervalSeconds) {
    problems.push(`${prefix}timeout: ${settings.timeoutSeconds} s must be below ${prefix}interval (${settings.intervalSeconds} s).`);
  }
  return { optedIn: true, settings, problems };
}
