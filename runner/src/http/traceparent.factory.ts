import { randomFillSync } from 'node:crypto';

/** A W3C trace context for one outgoing request. */
export interface TraceContext {
  readonly traceId: string;
  readonly spanId: string;
  /** The `traceparent` header value: version 00, sampled flag 01. */
  readonly header: string;
}

const allZero = /^0+$/;

// Ids come from a pooled buffer of the CSPRNG, refilled every 170 contexts: randomBytes(24) per
// check was one OpenSSL call each, 6 % of a fresh-connection check's CPU (npm run bench:runner).
const draw = 24;
const pool = Buffer.alloc(draw * 170);
let offset = pool.length;

function randomHex(): string {
  if (offset + draw > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + draw);
  offset += draw;
  return hex;
}

/** Starts a new trace (fresh trace id) or, given a trace id, a new span within it. */
export function newTraceContext(traceId?: string): TraceContext {
  // One random draw for both ids; all-zero ids are invalid in W3C trace context (odds 2^-64).
  for (;;) {
    const hex = randomHex();
    const trace = traceId !== undefined && !allZero.test(traceId) ? traceId : hex.slice(0, 32);
    const spanId = hex.slice(32);
    if (!allZero.test(trace) && !allZero.test(spanId)) return { traceId: trace, spanId, header: `00-${trace}-${spanId}-01` };
  }
}
