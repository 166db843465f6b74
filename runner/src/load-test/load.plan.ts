import type { LoadTestShare } from '../../../api/src/contract/load-test.schema.ts';

/**
 * What the load generator runs: a share with every default applied and the secret headers merged
 * into the headers. Plain data, so it crosses into a worker thread as is; it holds secrets, so it is
 * never logged and is dropped when the share ends.
 */
export interface LoadPlan {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  verifyTls: boolean;
  /** Requests to send; null: run for durationMs. */
  requests: number | null;
  durationMs: number | null;
  concurrency: number;
  ratePerSecond: number | null;
  timeoutMs: number;
  /** Epoch ms past which nothing more is sent, whatever the counts say (the control plane's hard stop). */
  deadlineAt: number;
}

const userAgent = 'Pharos-Runner/0.1 (load test)';

/** The plan of a share, its concurrency capped at `maxConcurrency`. Throws when the share cannot run. */
export function planOf(share: LoadTestShare, maxConcurrency: number): LoadPlan {
  const { request } = share;
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    throw new Error(`the request URL is not valid: ${request.url.slice(0, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported URL scheme ${url.protocol}`);
  if (share.requests === null && share.duration_seconds === null) throw new Error('the share has neither requests nor duration_seconds');
  const deadlineAt = Date.parse(share.deadline);
  if (!Number.isFinite(deadlineAt)) throw new Error(`the share's deadline is not a timestamp: ${share.deadline}`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...request.headers, ...request.secret_headers })) headers[name.toLowerCase()] = value;
  headers['user-agent'] ??= userAgent;
  return {
    url: url.href,
    method: request.method ?? 'GET',
    headers,
    body: request.body,
    verifyTls: request.verify_tls ?? true,
    requests: share.requests,
    durationMs: share.duration_seconds === null ? null : share.duration_seconds * 1000,
    concurrency: Math.max(1, Math.min(share.concurrency, maxConcurrency)),
    ratePerSecond: share.rate_per_second,
    timeoutMs: share.timeout_ms,
    deadlineAt,
  };
}
