/** One step into a value: an attribute of an object, a key of a map, or an index of a list. */
export type PathStep = { readonly attribute: string } | { readonly key: string } | { readonly index: number };

export type AttributePath = readonly PathStep[];

/** Builds a path from attribute names (strings) and list indexes (numbers); use {key} steps for map keys. */
export function attributePath(...steps: (string | number | PathStep)[]): AttributePath {
  return steps.map((s) => (typeof s === 'string' ? { attribute: s } : typeof s === 'number' ? { index: s } : s));
}

/** Parses a dotted behaviour path ("settings.region") into attribute steps. */
export function dottedPath(dotted: string): AttributePath {
  return dotted.split('.').map((attribute) => ({ attribute }));
}

/** Human-readable form, as Terraform prints it: settings.region, rules[0], tags["env"]. */
export function formatPath(path: AttributePath): string {
  return path
    .map((s, i) => ('attribute' in s ? (i === 0 ? s.attribute : `.${s.attribute}`) : 'key' in s ? `[${JSON.stringify(s.key)}]` : `[${s.index}]`))
    .join('');
}
