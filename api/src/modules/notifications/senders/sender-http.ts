import { getGlobalDispatcher, request } from 'undici';
import { classifyHttp, classifyNetworkError } from './send-outcome.ts';
import type { SendContext, SendOutcome } from './sender.types.ts';

/** Most of a vendor's answer read; the rest is discarded (an answer is a status line, not a download). */
export const maxAnswerBytes = 8 * 1024;

export interface VendorRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Values that must never appear in an outcome (keys, secret URLs): redacted from answers and errors. */
  secrets: readonly string[];
}

/** A secret-bearing URL and its path (an answer or error may quote either); never throws. */
export function urlSecrets(url: string): string[] {
  try {
    const { pathname, search } = new URL(url);
    return [url, pathname + search, ...(pathname.length > 1 ? [pathname] : [])];
  } catch {
    return [url];
  }
}

/** Reads at most `limit` bytes of a body, then drops the rest of the stream. */
async function readBounded(body: AsyncIterable<Buffer> & { destroy?: () => void }, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) break;
  }
  if (size >= limit) body.destroy?.();
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/** POSTs a JSON body with one deadline over the whole exchange and classifies what happened; never throws. */
export async function postJson(req: VendorRequest, ctx: SendContext): Promise<SendOutcome> {
  try {
    const res = await request(req.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Pharos-Notifier/1', ...req.headers },
      body: req.body,
      dispatcher: ctx.dispatcher ?? getGlobalDispatcher(),
      // The signal is the deadline. undici's own timers tick coarsely (they can fire half a second
      // early), so they only back it up, a second later.
      signal: AbortSignal.timeout(ctx.timeoutMs),
      headersTimeout: ctx.timeoutMs + 1_000,
      bodyTimeout: ctx.timeoutMs + 1_000,
    });
    const text = await readBounded(res.body, maxAnswerBytes);
    const retryAfter = res.headers['retry-after'];
    return classifyHttp(res.statusCode, text, Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, ctx.now(), req.secrets);
  } catch (error) {
    return classifyNetworkError(error, ctx.timeoutMs, req.secrets);
  }
}
