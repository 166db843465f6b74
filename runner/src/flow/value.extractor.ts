import { JSONPath } from 'jsonpath-plus';
import type { Extraction } from '../../../api/src/contract/index.ts';
import { compileSafeRegex } from '../../../api/src/contract/safe-regex.ts';

/** What an extraction can read from a step's response. */
export interface ExtractionSource {
  /** Lower-case header names. */
  headers: Readonly<Record<string, string>>;
  body: string;
}

export type Extracted = { ok: true; value: string } | { ok: false; reason: string };

/** Reads one variable from a response: JSONPath on the JSON body, a header, or a regex (first group, else whole match). */
export function extractValue(extraction: Extraction, source: ExtractionSource): Extracted {
  switch (extraction.source) {
    case 'header': {
      const value = source.headers[extraction.property.toLowerCase()];
      return value === undefined ? { ok: false, reason: `header ${extraction.property} is absent` } : { ok: true, value };
    }
    case 'json_body': {
      let json: unknown;
      try {
        json = JSON.parse(source.body);
      } catch {
        return { ok: false, reason: 'body is not valid JSON' };
      }
      try {
        const matches = JSONPath({ path: extraction.property, json: json as object, wrap: true, eval: 'safe' }) as unknown[];
        if (matches.length === 0) return { ok: false, reason: `JSONPath ${extraction.property} matched nothing` };
        const first = matches[0];
        return { ok: true, value: typeof first === 'string' ? first : JSON.stringify(first) };
      } catch (err) {
        return { ok: false, reason: `invalid JSONPath ${extraction.property}: ${err instanceof Error ? err.message : String(err)}` };
      }
    }
    case 'body_regex': {
      const compiled = compileSafeRegex(extraction.property);
      if (!compiled.ok) return { ok: false, reason: `invalid regular expression: ${compiled.error}` };
      const value = compiled.regex.firstMatch(source.body);
      if (value === undefined) return { ok: false, reason: `regular expression ${extraction.property} did not match the body` };
      return { ok: true, value };
    }
  }
}
