/** Result of rendering: the text, or the names of variables that had no value. */
export type Rendered = { ok: true; text: string } | { ok: false; missing: string[] };

const placeholder = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * Replaces {{name}} with the variable's value, verbatim (no URL encoding: a variable may hold a
 * whole URL or a header value). An unknown variable is an error rather than an empty string, so a
 * flow never silently calls the wrong URL.
 */
export function renderTemplate(template: string, variables: ReadonlyMap<string, string>): Rendered {
  const missing: string[] = [];
  const text = template.replace(placeholder, (match, name: string) => {
    const value = variables.get(name);
    if (value === undefined) {
      missing.push(name);
      return match;
    }
    return value;
  });
  return missing.length > 0 ? { ok: false, missing: [...new Set(missing)] } : { ok: true, text };
}
