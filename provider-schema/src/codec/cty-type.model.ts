/**
 * Terraform (cty) type constraints in their JSON form, exactly as they travel in
 * Schema.Attribute.type and in the dynamic-value wire format.
 */
export type PrimitiveType = 'string' | 'number' | 'bool' | 'dynamic';

export type CtyType =
  | PrimitiveType
  | readonly ['list', CtyType]
  | readonly ['set', CtyType]
  | readonly ['map', CtyType]
  | readonly ['object', { readonly [name: string]: CtyType }]
  | readonly ['object', { readonly [name: string]: CtyType }, readonly string[]]
  | readonly ['tuple', readonly CtyType[]];

/** Narrows arbitrary JSON (schema files, dynamic-value headers) to a CtyType or throws with the offending fragment. */
export function parseCtyType(json: unknown): CtyType {
  if (json === 'string' || json === 'number' || json === 'bool' || json === 'dynamic') return json;
  if (Array.isArray(json)) {
    const [kind, arg] = json as [unknown, unknown];
    if ((kind === 'list' || kind === 'set' || kind === 'map') && json.length === 2) return [kind, parseCtyType(arg)];
    if (kind === 'object' && arg && typeof arg === 'object' && !Array.isArray(arg)) {
      const attrs: Record<string, CtyType> = {};
      for (const [name, t] of Object.entries(arg)) attrs[name] = parseCtyType(t);
      const optional = json[2];
      return Array.isArray(optional) ? ['object', attrs, optional.map(String)] : ['object', attrs];
    }
    if (kind === 'tuple' && Array.isArray(arg)) return ['tuple', arg.map(parseCtyType)];
  }
  throw new TypeError(`not a Terraform type: ${JSON.stringify(json)}`);
}
