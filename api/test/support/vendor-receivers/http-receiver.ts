import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** One request a receiver got, with what its validation found wrong (empty: the vendor would accept it). */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
  problems: string[];
  /** Status the receiver answered (0 when it never answered). */
  status: number;
}

/** The vendor's answer to a request that reached validation. */
export interface VendorAnswer {
  status: number;
  body: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Validates a request as the vendor would and says what the vendor answers. */
export type VendorBehaviour = (req: { method: string; path: string; headers: IncomingHttpHeaders; body: string; json: unknown }) => { problems: string[]; answer: VendorAnswer };

type Fault = { kind: 'status'; status: number; body: string; headers: Record<string, string> } | { kind: 'hang' };

/** Most of a body a receiver reads; vendors refuse larger ones (PagerDuty: 512 KB). */
const maxBody = 1024 * 1024;

/**
 * A real HTTP server on 127.0.0.1:0 that answers as a vendor does. Scripted faults (answer 500 N
 * times, 429 with Retry-After, never answer) apply first, in order; then the vendor's validation.
 */
export class HttpReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly faults: Fault[] = [];
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  url = '';

  constructor(private readonly behaviour: VendorBehaviour) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBody) chunks.push(chunk);
      });
      req.on('end', () => this.handle(req.method ?? '', req.url ?? '', req.headers, size > maxBody ? null : Buffer.concat(chunks).toString('utf8'), res));
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return this;
  }

  /** The next `times` requests are answered with `status` (default 500) before any validation. */
  fail(times: number, status = 500, body = 'internal error', headers: Record<string, string> = {}): this {
    for (let i = 0; i < times; i++) this.faults.push({ kind: 'status', status, body, headers });
    return this;
  }

  /** The next `times` requests get 429 with this Retry-After value. */
  rateLimit(times: number, retryAfter: string): this {
    return this.fail(times, 429, 'rate limited', { 'retry-after': retryAfter });
  }

  /** The next `times` requests are read and never answered. */
  hang(times = 1): this {
    for (let i = 0; i < times; i++) this.faults.push({ kind: 'hang' });
    return this;
  }

  /** Requests that passed validation and were accepted (2xx). */
  get accepted(): ReceivedRequest[] {
    return this.requests.filter((r) => r.status >= 200 && r.status < 300);
  }

  private handle(method: string, path: string, headers: IncomingHttpHeaders, body: string | null, res: ServerResponse): void {
    const record: ReceivedRequest = { method, path, headers, body: body ?? '', json: undefined, problems: [], status: 0 };
    this.requests.push(record);
    const fault = this.faults.shift();
    if (fault?.kind === 'hang') return;
    if (fault) return this.answer(res, record, { status: fault.status, body: fault.body, headers: fault.headers });
    if (body === null) {
      record.problems.push(`body larger than ${maxBody} bytes`);
      return this.answer(res, record, { status: 413, body: 'payload too large' });
    }
    try {
      record.json = JSON.parse(body);
    } catch {
      record.json = undefined;
    }
    const { problems, answer } = this.behaviour({ method, path, headers, body, json: record.json });
    record.problems.push(...problems);
    this.answer(res, record, answer);
  }

  private answer(res: ServerResponse, record: ReceivedRequest, answer: VendorAnswer): void {
    record.status = answer.status;
    res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'text/plain', ...(answer.headers ?? {}) });
    res.end(answer.body);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Collects problems of a JSON document: `check(condition, message)` records the message when false. */
export function problemList(): { problems: string[]; check(ok: boolean, message: string): void } {
  const problems: string[] = [];
  return { problems, check: (ok, message) => void (ok || problems.push(message)) };
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isJson = (headers: IncomingHttpHeaders) => /^application\/json\b/i.test(String(headers['content-type'] ?? ''));
