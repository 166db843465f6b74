import type { SendOutcome } from './sender.types.ts';

/** Longest vendor answer or error kept in an outcome (they end up in the notification's attempts). */
export const maxDetailChars = 500;

/** Cuts a text to `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never split a surrogate pair: a lone half is invalid in JSON sent to vendors.
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** Replaces every occurrence of each secret (and of its URL-encoded form) by "[redacted]". */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('[redacted]');
  }
  return out;
}

/** Milliseconds a Retry-After value (delay seconds or an HTTP-date) asks to wait, or undefined. */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * The outcome of an HTTP answer: 2xx delivered; 408, 425, 429 and 5xx worth another try (with the
 * vendor's Retry-After); every other status is permanent (the vendors document 400, 401, 403, 404,
 * 413 as "do not retry": the same request would fail again). A redirect is permanent too: senders
 * do not follow redirects with a signed or secret-bearing request.
 */
export function classifyHttp(status: number, body: string, retryAfter: string | undefined, now: number, secrets: readonly string[]): SendOutcome {
  const answer = truncate(redact(body.trim(), secrets), maxDetailChars);
  if (status >= 200 && status < 300) return { ok: true, status, detail: answer };
  const retryable = status === 408 || status === 425 || status === 429 || status >= 500;
  const wait = retryable ? retryAfterMs(retryAfter, now) : undefined;
  const hint = status >= 300 && status < 400 ? ' (a redirect: set the final URL on the channel)' : '';
  return { ok: false, retryable, status, ...(wait !== undefined ? { retryAfterMs: wait } : {}), error: `HTTP ${status}${hint}${answer ? `: ${answer}` : ''}` };
}

// Failures of the connection itself, not of the request: another try may well succeed.
const transientCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ABORT_ERR',
]);

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    if ((e as { name?: unknown }).name === 'TimeoutError' || (e as { name?: unknown }).name === 'AbortError') return 'ABORT_ERR';
  }
  return undefined;
}

/** The outcome of a request that got no answer (timeout, refused, reset, DNS); secrets redacted. */
export function classifyNetworkError(error: unknown, timeoutMs: number, secrets: readonly string[]): SendOutcome {
  const code = errorCode(error);
  if (code === 'ABORT_ERR' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return { ok: false, retryable: true, error: `no answer within ${timeoutMs} ms` };
  }
  const message = error instanceof Error ? error.message : String(error);
  const text = truncate(redact(`${code ? `${code}: ` : ''}${message}`, secrets), maxDetailChars);
  return { ok: false, retryable: code !== undefined && transientCodes.has(code), error: text };
}
