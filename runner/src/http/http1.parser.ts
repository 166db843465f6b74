import { Http1Error } from './http1.errors.ts';

/** The status line and headers of a final (non-1xx) response. */
export interface ResponseHead {
  statusCode: number;
  /** Lower-case names; repeated headers joined with ", ". Values decoded as latin1, as on the wire. */
  headers: Record<string, string>;
}

/** What the parser reports, in order: one head, body bytes (zero or more), then complete. */
export interface ResponseParserEvents {
  onHead(head: ResponseHead): void;
  /** A view into the bytes fed to execute(); valid as long as the caller keeps that chunk. */
  onBody(chunk: Buffer): void;
  onComplete(): void;
}

export interface ResponseParserOptions {
  /** The request was HEAD: no response has a body, whatever its headers say. */
  noBody: boolean;
  /** Cap on the status line plus headers (and on the chunked trailer section); default 16 KiB as Node's. */
  maxHeaderBytes?: number;
}

export const defaultMaxHeaderBytes = 16 * 1024;

const enum State {
  Head,
  BodyLength,
  BodyClose,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  Done,
}

const LF = 0x0a;
const CR = 0x0d;
const statusLine = /^HTTP\/1\.[01] ([1-9]\d\d)(?:[ \t]([^\x00-\x08\x0a-\x1f\x7f]*))?$/;
const headerLine = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*(.*?)[ \t]*$/;
// Field values may hold tab, visible ASCII and obs-text; any other control character is malformed.
const badValue = /[\x00-\x08\x0a-\x1f\x7f]/;
const chunkSizeLine = /^([0-9A-Fa-f]{1,13})[ \t]*(?:;.*)?$/;

/**
 * A strict, incremental HTTP/1.1 response parser for one response on a connection that closes
 * after it (what every check does): status line, headers, then a body framed by chunked
 * transfer coding, Content-Length, or the connection's end; no body for HEAD, 1xx, 204 and 304.
 * 1xx interim responses (100 Continue, 103 Early Hints) are skipped. Bytes may arrive split
 * anywhere. Malformed framing throws Http1Error from execute() or finish(); after that, or after
 * halt(), the parser ignores further input. No I/O: the exchange feeds it socket data.
 */
export class ResponseParser {
  #state = State.Head;
  /** Unparsed head bytes (status line and headers) gathered across packets. */
  #head: Buffer | undefined;
  /** Where to resume looking for the head's end in #head. */
  #scanFrom = 0;
  /** A non-empty line of the current head was seen (blank lines before the status line are skipped). */
  #sawLine = false;
  /** A chunk-size line, chunk end or trailer line gathered across packets. */
  #line = '';
  #lineBytes = 0;
  #trailerBytes = 0;
  /** Body bytes still expected (Content-Length or the current chunk). */
  #remaining = 0;
  #bodyBytes = 0;
  #expectedBytes = 0;
  #received = false;
  readonly #maxHeaderBytes: number;

  constructor(
    private readonly options: ResponseParserOptions,
    private readonly events: ResponseParserEvents,
  ) {
    this.#maxHeaderBytes = options.maxHeaderBytes ?? defaultMaxHeaderBytes;
  }

  /** True once the response is complete, failed, or halted. */
  get done(): boolean {
    return this.#state === State.Done;
  }

  /** Stops parsing: the caller has what it wants (a capped body, a redirect to follow). */
  halt(): void {
    this.#state = State.Done;
  }

  /** Feeds bytes as they arrived from the connection. */
  execute(data: Buffer): void {
    if (data.length > 0) this.#received = true;
    let at = 0;
    while (at < data.length && this.#state !== State.Done) {
      switch (this.#state) {
        case State.Head:
          at = this.#parseHead(data, at);
          break;
        case State.BodyLength: {
          const take = Math.min(this.#remaining, data.length - at);
          this.#remaining -= take;
          this.#bodyBytes += take;
          this.events.onBody(data.subarray(at, at + take));
          at += take;
          if (this.#remaining === 0) this.#complete();
          break;
        }
        case State.BodyClose:
          this.#bodyBytes += data.length - at;
          this.events.onBody(at === 0 ? data : data.subarray(at));
          at = data.length;
          break;
        case State.ChunkData: {
          const take = Math.min(this.#remaining, data.length - at);
          this.#remaining -= take;
          this.#bodyBytes += take;
          this.events.onBody(data.subarray(at, at + take));
          at += take;
          if (this.#remaining === 0) this.#state = State.ChunkDataEnd;
          break;
        }
        default:
          at = this.#parseLine(data, at);
      }
    }
  }

  /** The connection ended (no more bytes will come): completes a close-delimited body, else throws. */
  finish(): void {
    switch (this.#state) {
      case State.Done:
        return;
      case State.BodyClose:
        this.#complete();
        return;
      case State.Head:
        this.#state = State.Done;
        throw new Http1Error(
          'HPE_CLOSED_EARLY',
          this.#received ? 'the server closed the connection before the response headers were complete' : 'the server closed the connection without sending a response',
        );
      case State.BodyLength:
        this.#state = State.Done;
        throw new Http1Error('HPE_CLOSED_EARLY', `the server closed the connection after ${this.#bodyBytes} of ${this.#expectedBytes} body bytes (Content-Length)`);
      default:
        this.#state = State.Done;
        throw new Http1Error('HPE_CLOSED_EARLY', `the server closed the connection inside a chunked body, after ${this.#bodyBytes} body bytes`);
    }
  }

  #complete(): void {
    this.#state = State.Done;
    this.events.onComplete();
  }

  #fail(code: ConstructorParameters<typeof Http1Error>[0], message: string): never {
    this.#state = State.Done;
    throw new Http1Error(code, message);
  }

  /** Gathers head bytes until the empty line; returns where the rest of `data` starts. */
  #parseHead(data: Buffer, at: number): number {
    const fresh = at === 0 ? data : data.subarray(at);
    const buf = this.#head === undefined ? fresh : Buffer.concat([this.#head, fresh]);
    let lineStart = this.#scanFrom;
    for (let lf = buf.indexOf(LF, lineStart); lf !== -1; lf = buf.indexOf(LF, lineStart)) {
      const empty = lf === lineStart || (lf === lineStart + 1 && buf[lineStart] === CR);
      lineStart = lf + 1;
      if (!empty) {
        this.#sawLine = true;
        continue;
      }
      // Blank lines before the status line are tolerated (RFC 9112 §2.2); one after it ends the head.
      if (!this.#sawLine) continue;
      if (lf + 1 > this.#maxHeaderBytes) this.#overflow();
      const consumed = lf + 1 - (buf.length - fresh.length);
      this.#head = undefined;
      this.#scanFrom = 0;
      this.#sawLine = false;
      this.#onHead(buf.toString('latin1', 0, lf + 1));
      return at + consumed;
    }
    if (buf.length > this.#maxHeaderBytes) this.#overflow();
    this.#head = buf;
    this.#scanFrom = lineStart;
    return data.length;
  }

  #overflow(): never {
    this.#fail('HPE_HEADER_OVERFLOW', `the response headers are larger than ${this.#maxHeaderBytes} bytes`);
  }

  #onHead(text: string): void {
    const lines = text.split('\n');
    let first = 0;
    while (first < lines.length && (lines[first] === '' || lines[first] === '\r')) first++;
    const status = statusLine.exec(stripCr(lines[first] ?? ''));
    if (!status) this.#fail('HPE_INVALID_STATUS', `not an HTTP/1.x status line: ${JSON.stringify(stripCr(lines[first] ?? '').slice(0, 100))}`);
    const statusCode = Number(status[1]);
    const headers: Record<string, string> = {};
    // The last two entries are the empty line and what follows its LF.
    for (let i = first + 1; i < lines.length - 2; i++) {
      const line = stripCr(lines[i]!);
      if (line.charCodeAt(0) === 0x20 || line.charCodeAt(0) === 0x09) {
        this.#fail('HPE_INVALID_HEADER', 'the response uses obsolete header line folding');
      }
      const field = headerLine.exec(line);
      if (!field || badValue.test(field[2]!)) this.#fail('HPE_INVALID_HEADER', `malformed response header line: ${JSON.stringify(line.slice(0, 100))}`);
      const name = field[1]!.toLowerCase();
      const previous = headers[name];
      headers[name] = previous === undefined ? field[2]! : `${previous}, ${field[2]!}`;
    }
    // Interim responses: the final one follows on the same connection (101 switches protocols: final).
    if (statusCode < 200 && statusCode !== 101) return;
    const framing = this.#framing(statusCode, headers);
    this.events.onHead({ statusCode, headers });
    if (this.#state === State.Done) return; // halted by onHead
    if (framing === 'none') return this.#complete();
    if (framing === 'chunked') {
      this.#state = State.ChunkSize;
      return;
    }
    if (framing === 'close') {
      this.#state = State.BodyClose;
      return;
    }
    this.#expectedBytes = framing;
    this.#remaining = framing;
    if (framing === 0) this.#complete();
    else this.#state = State.BodyLength;
  }

  /** How the body is delimited (RFC 9112 §6.3): none, chunked, a byte count, or the connection's end. */
  #framing(statusCode: number, headers: Record<string, string>): 'none' | 'chunked' | 'close' | number {
    if (this.options.noBody || statusCode === 204 || statusCode === 304 || statusCode === 101) return 'none';
    const encoding = headers['transfer-encoding'];
    if (encoding !== undefined) {
      // Transfer-Encoding overrides Content-Length; a final coding other than chunked reads to the end.
      const codings = encoding.split(',');
      return codings[codings.length - 1]!.trim().toLowerCase() === 'chunked' ? 'chunked' : 'close';
    }
    const length = headers['content-length'];
    if (length === undefined) return 'close';
    // Repeated Content-Length headers arrive joined; they must all agree.
    const values = length.split(',').map((v) => v.trim());
    if (!values.every((v) => /^\d{1,15}$/.test(v) && v === values[0])) {
      this.#fail('HPE_INVALID_CONTENT_LENGTH', `invalid Content-Length ${JSON.stringify(length.slice(0, 100))}`);
    }
    return Number(values[0]);
  }

  /** Gathers one line (chunk size, chunk end, trailer) across packets; returns where `data` continues. */
  #parseLine(data: Buffer, at: number): number {
    const lf = data.indexOf(LF, at);
    const end = lf === -1 ? data.length : lf;
    this.#lineBytes += end - at + (lf === -1 ? 0 : 1);
    if (this.#state === State.Trailers) this.#trailerBytes += end - at + (lf === -1 ? 0 : 1);
    if (this.#lineBytes > this.#maxHeaderBytes || this.#trailerBytes > this.#maxHeaderBytes) {
      if (this.#state === State.Trailers) this.#fail('HPE_HEADER_OVERFLOW', `the chunked trailers are larger than ${this.#maxHeaderBytes} bytes`);
      this.#fail('HPE_INVALID_CHUNK', 'a chunk size line is too long');
    }
    this.#line += data.toString('latin1', at, end);
    if (lf === -1) return data.length;
    const line = stripCr(this.#line);
    this.#line = '';
    this.#lineBytes = 0;
    switch (this.#state) {
      case State.ChunkSize: {
        const size = chunkSizeLine.exec(line);
        if (!size) this.#fail('HPE_INVALID_CHUNK', `invalid chunk size line ${JSON.stringify(line.slice(0, 100))}`);
        this.#remaining = parseInt(size[1]!, 16);
        this.#state = this.#remaining === 0 ? State.Trailers : State.ChunkData;
        break;
      }
      case State.ChunkDataEnd:
        if (line !== '') this.#fail('HPE_INVALID_CHUNK', 'a chunk is longer than its size line says');
        this.#state = State.ChunkSize;
        break;
      default:
        if (line === '') this.#complete();
        else if (!headerLine.test(line)) this.#fail('HPE_INVALID_HEADER', `malformed trailer line: ${JSON.stringify(line.slice(0, 100))}`);
    }
    return lf + 1;
  }
}

function stripCr(line: string): string {
  return line.charCodeAt(line.length - 1) === CR ? line.slice(0, -1) : line;
}
