import type { FieldError } from './errors.ts';
import type { MonitorInput } from './monitor.schema.ts';

// Credentials never travel in the visible monitor document: it is returned to every viewer of the
// team and copied into the audit log. They belong in the write-only `secret_headers`. Pure: the API
// and the Terraform provider (at plan time) report the same errors.

/** Header names that carry credentials; in plain `headers` they are refused (case-insensitive). */
export const credentialHeaderNames = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'x-auth-token'] as const;

const credentialNames = new Set<string>(credentialHeaderNames);
// scheme://userinfo@host…: anything between "//" and "@" before the first "/", "?" or "#".
const userinfo = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*@/;

/** True when a URL carries `user:password@` (or `user@`). */
export function hasUserinfo(url: string): boolean {
  return userinfo.test(url);
}

function requestErrors(base: string, url: string, headers: Record<string, string> | undefined, secret: Record<string, string> | undefined): FieldError[] {
  const errors: FieldError[] = [];
  if (hasUserinfo(url)) {
    errors.push({
      pointer: `${base}/url`,
      message: 'The URL carries credentials (user:password@); URLs are shown to every viewer, so remove them and send them as a write-only secret header instead: secret_headers = {"Authorization": "Basic <base64 of user:password>"}.',
    });
  }
  const secretNames = new Set(Object.keys(secret ?? {}).map((n) => n.toLowerCase()));
  for (const name of Object.keys(headers ?? {})) {
    const lower = name.toLowerCase();
    if (credentialNames.has(lower)) {
      errors.push({ pointer: `${base}/headers/${name}`, message: `"${name}" carries a credential; move it from headers to secret_headers, which are write-only and never shown.` });
    } else if (secretNames.has(lower)) {
      errors.push({ pointer: `${base}/headers/${name}`, message: `"${name}" is set both in headers and in secret_headers; keep it in one of them.` });
    }
  }
  return errors;
}

/** Errors for credentials placed where they would be shown: URL userinfo and credential headers. */
export function monitorSecretErrors(m: MonitorInput): FieldError[] {
  const errors: FieldError[] = [];
  if (m.http) errors.push(...requestErrors('/http', m.http.url, m.http.headers, m.http.secret_headers));
  m.steps?.forEach((step, i) => errors.push(...requestErrors(`/steps/${i}`, step.url, step.headers, step.secret_headers)));
  return errors;
}
