// Some URLs are credentials: a heartbeat ping URL (/v1/heartbeats/<token>) lets anyone who reads it
// report the job as up. Request paths are written to logs and echoed in problem documents, so the
// credential segment is replaced by its route placeholder before a path leaves the request.
// Express matches routes case-insensitively, hence the flag.
const credentialSegments: ReadonlyArray<readonly [RegExp, string]> = [[/(\/v1\/heartbeats\/)[^/?#]+/gi, '$1{token}']];

/** The path (or URL) with credential segments replaced, e.g. /v1/heartbeats/{token}. */
export function redactPath(path: string): string {
  let out = path;
  for (const [pattern, replacement] of credentialSegments) out = out.replace(pattern, replacement);
  return out;
}
