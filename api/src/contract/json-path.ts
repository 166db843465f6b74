import { JSONPath } from 'jsonpath-plus';

// JSONPath expressions are evaluated by the runner with jsonpath-plus (eval: "safe"); the contract
// checks them with the same library, so the API and the Terraform provider refuse what a runner
// could not evaluate. jsonpath-plus tokenizes leniently (a dangling "[" or a trailing "." is
// dropped, not reported), so the bracket structure is checked here first; filter and script
// expressions are then compiled by the library's own expression parser.

function structureError(path: string): string | undefined {
  if (!path.startsWith('$')) return 'it must start with "$" (the document root), e.g. "$.status"';
  if (path.length > 1 && path[1] !== '.' && path[1] !== '[') return 'after "$" comes "." or "[", e.g. "$.status" or "$[0]"';
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (depth > 0 && (c === "'" || c === '"')) quote = c;
    else if (c === '[') {
      if (path[i + 1] === ']') return `empty brackets "[]" at character ${i + 1}`;
      depth++;
    } else if (c === ']') {
      if (--depth < 0) return `"]" at character ${i + 1} closes no "["`;
    } else if (depth === 0 && c === '.' && path.startsWith('...', i)) return `"..." at character ${i + 1}; use "." or ".."`;
  }
  if (quote) return `the quote ${quote} is never closed`;
  if (depth > 0) return 'a "[" is never closed';
  if (path.length > 1 && path.endsWith('.')) return 'it ends with "."; name the property after it, e.g. "$.status"';
  return undefined;
}

/** Compiles each filter "?(…)" and script "(…)" segment with jsonpath-plus' safe evaluator; returns its syntax error. */
function expressionError(path: string): string | undefined {
  const cache = JSONPath.cache as Record<string, unknown>;
  const cached = new Set(Object.keys(cache));
  try {
    for (const segment of JSONPath.toPathArray(path)) {
      if (!/^\??\(/.test(segment)) continue;
      try {
        // One element to visit, so the expression is compiled; evaluation errors depend on the data and are ignored.
        JSONPath({ path: `$[${segment}]`, json: [{}], wrap: true, eval: 'safe', ignoreEvalErrors: true });
      } catch (error) {
        return `the expression ${segment} does not parse: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    return undefined;
  } finally {
    // jsonpath-plus caches every path and script it sees; validation must not grow it without bound.
    for (const key of Object.keys(cache)) if (!cached.has(key)) delete cache[key];
  }
}

/** Why a runner could not evaluate this JSONPath expression, or undefined when it can. */
export function jsonPathError(path: string): string | undefined {
  return structureError(path) ?? expressionError(path);
}
