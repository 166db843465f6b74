import { isPlainObject } from '../../shared/json.ts';
import type { SpecKind } from '../resources/spec-kind.ts';

type Doc = Record<string, unknown>;
type HeaderMap = Record<string, string>;

/**
 * The stored (secrets column) shape: `{ http?: headers, steps?: { <step name>: headers } }`. Step
 * secrets are keyed by step name (names are unique), so reordering steps keeps each step's secrets.
 */
interface MonitorSecrets {
  http?: HeaderMap;
  steps?: Record<string, HeaderMap>;
}

const nonEmpty = (h: unknown): h is HeaderMap => isPlainObject(h) && Object.keys(h).length > 0;

function steps(doc: Doc): Doc[] | undefined {
  return Array.isArray(doc.steps) ? (doc.steps as unknown[]).filter(isPlainObject) as Doc[] : undefined;
}

/**
 * Write-only secret headers of monitors (`http.secret_headers`, `steps[].secret_headers`), handled
 * like channel secrets: split out of the stored document, merged back when a write omits them, named
 * (never shown) in configured_secrets. An explicit `{}` removes them.
 */
export const monitorSecrets: NonNullable<SpecKind['secrets']> = {
  split(doc) {
    const secrets: MonitorSecrets = {};
    let out: Doc = doc;
    if (isPlainObject(doc.http) && doc.http.secret_headers !== undefined) {
      const { secret_headers: headers, ...visible } = doc.http;
      if (nonEmpty(headers)) secrets.http = headers;
      out = { ...out, http: visible };
    }
    const list = steps(doc);
    if (list?.some((s) => s.secret_headers !== undefined)) {
      out = {
        ...out,
        steps: list.map((step) => {
          const { secret_headers: headers, ...visible } = step;
          if (nonEmpty(headers)) (secrets.steps ??= {})[String(step.name)] = headers;
          return visible;
        }),
      };
    }
    return { doc: out, secrets: secrets.http || secrets.steps ? (secrets as Doc) : null };
  },
  merge(doc, stored) {
    const secrets = (stored ?? {}) as MonitorSecrets;
    let out: Doc = doc;
    if (secrets.http && isPlainObject(doc.http) && doc.http.secret_headers === undefined) out = { ...out, http: { ...doc.http, secret_headers: secrets.http } };
    const list = steps(doc);
    const byStep = secrets.steps;
    if (list && byStep) {
      out = { ...out, steps: list.map((step) => (step.secret_headers === undefined && byStep[String(step.name)] ? { ...step, secret_headers: byStep[String(step.name)] } : step)) };
    }
    return out;
  },
  configured(stored) {
    const secrets = (stored ?? {}) as MonitorSecrets;
    const names = Object.keys(secrets.http ?? {}).map((h) => `http.secret_headers.${h}`);
    for (const [step, headers] of Object.entries(secrets.steps ?? {})) names.push(...Object.keys(headers).map((h) => `steps.${step}.secret_headers.${h}`));
    return names.sort();
  },
};
