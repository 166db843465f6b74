/** The response body parsed as JSON once, or why it could not be. */
export type JsonBody = { ok: true; value: unknown } | { ok: false; error: string };

/** What a JSON body is read from. */
export interface BodySource {
  body?: string;
  /** Set when the body was cut at max_body_bytes, so a parse failure can say why. */
  bodyTruncated?: boolean;
}

/**
 * Parses the body on first use and remembers the answer: json_body assertions and health metrics
 * of one check share one thunk, so a body is parsed at most once per check.
 */
export function lazyJson(source: BodySource, parse: (text: string) => unknown = JSON.parse): () => JsonBody {
  let parsed: JsonBody | undefined;
  return () => {
    if (parsed) return parsed;
    if (source.body === undefined) return (parsed = { ok: false, error: '(no body)' });
    try {
      parsed = { ok: true, value: parse(source.body) };
    } catch {
      parsed = { ok: false, error: source.bodyTruncated ? '(body truncated at max_body_bytes, not valid JSON)' : '(body is not valid JSON)' };
    }
    return parsed;
  };
}
