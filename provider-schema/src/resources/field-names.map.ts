import type { JsonObject } from '../engine/json-view.mapper.ts';

/**
 * The one place where Terraform names differ from REST field names: repeated objects are
 * repeated blocks with a singular name (`assertion { … }` for `assertions`). Keys are dotted
 * REST paths without list indexes ("steps.assertions" is the assertions list inside each step);
 * values are the Terraform block names. Used by the handlers (request/response bodies), by
 * validation (JSON pointers → attribute paths) and by the parity test.
 */
export const fieldRenames: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  pharos_monitor: { assertions: 'assertion', steps: 'step', 'steps.assertions': 'assertion', 'http.metrics': 'metric' },
  pharos_routing_policy: { matchers: 'matcher' },
  pharos_silence: { matchers: 'matcher' },
  pharos_status_page: { components: 'component' },
};

/** Renames keys between the REST and the Terraform shape of one resource type. */
export class FieldNameMap {
  private readonly toTf: ReadonlyMap<string, string>;
  private readonly toApi: ReadonlyMap<string, string>;

  constructor(restToTerraform: Readonly<Record<string, string>> = {}) {
    this.toTf = new Map(Object.entries(restToTerraform));
    // Keyed by the Terraform path: "step.assertion" → "assertions".
    const reverse = new Map<string, string>();
    for (const rest of Object.keys(restToTerraform)) {
      const parts = rest.split('.');
      const tfPath = parts.map((_, i) => this.toTf.get(parts.slice(0, i + 1).join('.')) ?? parts[i]).join('.');
      reverse.set(tfPath, parts[parts.length - 1]!);
    }
    this.toApi = reverse;
  }

  /** The map of a resource type (empty when its names equal the REST names). */
  static of(typeName: string): FieldNameMap {
    return new FieldNameMap(fieldRenames[typeName] ?? {});
  }

  /** Terraform name of a field at a dotted REST path (the last segment renamed if mapped). */
  terraformName(restPath: string): string {
    return this.toTf.get(restPath) ?? restPath.split('.').pop()!;
  }

  /** REST name of a field at a dotted Terraform path. */
  restName(tfPath: string): string {
    return this.toApi.get(tfPath) ?? tfPath.split('.').pop()!;
  }

  /** Dotted REST path of a dotted Terraform path ("step.assertion.target" → "steps.assertions.target"). */
  restPath(tfPath: string): string {
    const parts = tfPath.split('.');
    return parts.map((_, i) => this.restName(parts.slice(0, i + 1).join('.'))).join('.');
  }

  /** An API body in Terraform names. */
  toTerraform(body: JsonObject): JsonObject {
    return this.rename(body, '', this.toTf) as JsonObject;
  }

  /** Terraform values in REST names. */
  toRest(values: JsonObject): JsonObject {
    return this.rename(values, '', this.toApi) as JsonObject;
  }

  /** "/steps/0/assertions/1/target" → "/step/0/assertion/1/target". */
  pointerToTerraform(pointer: string): string {
    if (this.toTf.size === 0 || pointer === '') return pointer;
    const tokens = pointer.split('/').slice(1);
    let path = '';
    return (
      '/' +
      tokens
        .map((token) => {
          if (/^\d+$/.test(token)) return token;
          path = path ? `${path}.${token}` : token;
          return this.toTf.get(path) ?? token;
        })
        .join('/')
    );
  }

  private rename(value: unknown, path: string, names: ReadonlyMap<string, string>): unknown {
    if (Array.isArray(value)) return value.map((el) => this.rename(el, path, names));
    if (value === null || typeof value !== 'object' || names.size === 0) return value;
    const out: JsonObject = {};
    for (const [key, v] of Object.entries(value as JsonObject)) {
      const at = path ? `${path}.${key}` : key;
      // Paths are tracked in the source's names, so nested renames match their own keys.
      out[names.get(at) ?? key] = this.rename(v, at, names);
    }
    return out;
  }
}
