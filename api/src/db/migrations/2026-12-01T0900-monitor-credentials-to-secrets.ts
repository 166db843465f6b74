import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code (the lists below are copied on purpose).
// Monitors now keep credentials in write-only secret headers (the secrets column, keyed
// { http: headers, steps: { <step name>: headers } }) and the API refuses them in plain headers
// and in URL userinfo. Monitors written before hold them in their visible document: move them to
// the secrets column (userinfo becomes an Authorization: Basic header), and blank them in the
// monitor documents already copied into the audit log. Idempotent: a second run finds nothing.

type Doc = Record<string, unknown>;
type Headers = Record<string, string>;

const credentialNames = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'x-auth-token']);
const userinfo = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)@/;
const REDACTED = '[redacted]';

const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** Splits one request (http block or step) into its visible part and the secret headers it carried. */
function splitRequest(request: Doc, secret: Headers): { request: Doc; secret: Headers; changed: boolean } {
  let changed = false;
  const out: Doc = { ...request };
  const moved: Headers = { ...secret };
  if (isObject(request.headers)) {
    const visible: Headers = {};
    for (const [name, value] of Object.entries(request.headers as Headers)) {
      if (credentialNames.has(name.toLowerCase())) {
        moved[name] = value;
        changed = true;
      } else visible[name] = value;
    }
    out.headers = visible;
  }
  const match = typeof request.url === 'string' ? userinfo.exec(request.url) : null;
  if (match) {
    out.url = (request.url as string).replace(userinfo, '$1');
    const [user, password = ''] = match[2]!.split(/:(.*)/s);
    const hasAuthorization = Object.keys(moved).some((n) => n.toLowerCase() === 'authorization');
    if (!hasAuthorization) moved.Authorization = `Basic ${Buffer.from(`${decode(user!)}:${decode(password)}`).toString('base64')}`;
    changed = true;
  }
  return { request: out, secret: moved, changed };
}

/** The monitor document without credentials, and the secrets it carried merged into `secrets`. */
function splitMonitor(spec: Doc, secrets: Doc | null): { spec: Doc; secrets: Doc; changed: boolean } {
  const next: Doc = { ...spec };
  const stored: { http?: Headers; steps?: Record<string, Headers> } = { ...(secrets ?? {}) };
  let changed = false;
  if (isObject(spec.http)) {
    const r = splitRequest(spec.http, stored.http ?? {});
    next.http = r.request;
    if (Object.keys(r.secret).length) stored.http = r.secret;
    changed ||= r.changed;
  }
  if (Array.isArray(spec.steps)) {
    next.steps = spec.steps.map((step: unknown) => {
      if (!isObject(step)) return step;
      const name = String(step.name);
      const r = splitRequest(step, stored.steps?.[name] ?? {});
      if (Object.keys(r.secret).length) stored.steps = { ...(stored.steps ?? {}), [name]: r.secret };
      changed ||= r.changed;
      return r.request;
    });
  }
  return { spec: next, secrets: stored as Doc, changed };
}

/** An audit copy of a monitor document with credential values and URL userinfo blanked. */
function redactDocument(doc: unknown): { doc: unknown; changed: boolean } {
  if (!isObject(doc)) return { doc, changed: false };
  let changed = false;
  const redactRequest = (request: unknown): unknown => {
    if (!isObject(request)) return request;
    const out: Doc = { ...request };
    if (isObject(request.headers)) {
      out.headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => {
          if (!credentialNames.has(name.toLowerCase()) || value === REDACTED) return [name, value];
          changed = true;
          return [name, REDACTED];
        }),
      );
    }
    if (typeof request.url === 'string' && userinfo.test(request.url)) {
      out.url = request.url.replace(userinfo, '$1');
      changed = true;
    }
    return out;
  };
  const out: Doc = { ...doc };
  if (doc.http !== undefined) out.http = redactRequest(doc.http);
  if (Array.isArray(doc.steps)) out.steps = doc.steps.map(redactRequest);
  return { doc: out, changed };
}

/** Moves monitor credentials into the secrets column and blanks them in audit copies. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows: monitors } = await sql<{ id: string; spec: Doc; secrets: Doc | null }>`
    SELECT id, spec, secrets FROM monitors WHERE type IN ('http', 'multistep') FOR UPDATE`.execute(db);
  for (const row of monitors) {
    const split = splitMonitor(row.spec, row.secrets);
    if (!split.changed) continue;
    await sql`UPDATE monitors SET spec = ${JSON.stringify(split.spec)}::jsonb, secrets = ${JSON.stringify(split.secrets)}::jsonb,
              version = version + 1, updated_at = now() WHERE id = ${row.id}`.execute(db);
  }
  const { rows: entries } = await sql<{ id: string; before: unknown; after: unknown }>`
    SELECT id, before, after FROM audit_entries WHERE resource_type = 'monitor' FOR UPDATE`.execute(db);
  for (const entry of entries) {
    const before = redactDocument(entry.before);
    const after = redactDocument(entry.after);
    if (!before.changed && !after.changed) continue;
    await sql`UPDATE audit_entries SET before = ${before.doc === null ? null : JSON.stringify(before.doc)}::jsonb,
              after = ${after.doc === null ? null : JSON.stringify(after.doc)}::jsonb WHERE id = ${entry.id}`.execute(db);
  }
}

/** Nothing to undo safely: credentials stay in the secrets column, where the API expects them. */
export async function down(): Promise<void> {}
