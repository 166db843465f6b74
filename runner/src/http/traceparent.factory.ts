import { randomBytes } from 'node:crypto';

/** A W3C trace context for one outgoing request. */
export interface TraceContext {
  readonly traceId: string;
  readonly spanId: string;
  /** The `traceparent` header value: version 00, sampled flag 01. */
  readonly header: string;
}

/** Random non-zero hex of `bytes` bytes (an all-zero id is invalid in W3C trace context). */
function randomId(bytes: number): string {
  for (;;) {
    const id = randomBytes(bytes).toString('hex');
    if (!/^0+$/.test(id)) return id;
  }
}

/** Starts a new trace (fresh trace id) or, given a trace id, a new span within it. */
export function newTraceContext(traceId: string = randomId(16)): TraceContext {
  const spanId = randomId(8);
  return { traceId, spanId, header: `00-${traceId}-${spanId}-01` };
}
