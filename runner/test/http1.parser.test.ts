import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Http1Error } from '../src/http/http1.errors.ts';
import { ResponseParser, type ResponseHead } from '../src/http/http1.parser.ts';

interface Parsed {
  head?: ResponseHead;
  body: string;
  complete: boolean;
  error?: Http1Error;
}

/** Feeds `pieces` one by one (as separate packets), then the connection's end when `eof`. */
function parse(pieces: (string | Buffer)[], options: { noBody?: boolean; maxHeaderBytes?: number; eof?: boolean } = {}): Parsed {
  const parsed: Parsed = { body: '', complete: false };
  const bodies: Buffer[] = [];
  const parser = new ResponseParser(
    { noBody: options.noBody ?? false, maxHeaderBytes: options.maxHeaderBytes },
    {
      onHead: (head) => (parsed.head = head),
      onBody: (chunk) => bodies.push(Buffer.from(chunk)),
      onComplete: () => (parsed.complete = true),
    },
  );
  try {
    for (const piece of pieces) parser.execute(typeof piece === 'string' ? Buffer.from(piece, 'latin1') : piece);
    if (options.eof) parser.finish();
  } catch (err) {
    assert.ok(err instanceof Http1Error, `expected an Http1Error, got ${String(err)}`);
    parsed.error = err;
  }
  parsed.body = Buffer.concat(bodies).toString('utf8');
  return parsed;
}

/** Every split of `text` into two packets, plus one packet per byte. */
function splits(text: string): string[][] {
  const out: string[][] = [[text], [...text]];
  for (let i = 1; i < text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  return out;
}

describe('HTTP/1.1 response parser', () => {
  it('reads a Content-Length body however the bytes are split into packets', () => {
    const wire = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nX-Multi: a\r\nx-multi: b\r\n\r\nhello';
    for (const pieces of splits(wire)) {
      const r = parse(pieces);
      assert.equal(r.error, undefined);
      assert.equal(r.head?.statusCode, 200);
      assert.deepEqual(r.head?.headers, { 'content-type': 'text/plain', 'content-length': '5', 'x-multi': 'a, b' });
      assert.equal(r.body, 'hello');
      assert.equal(r.complete, true, `split ${JSON.stringify(pieces.slice(0, 2))}`);
    }
  });

  it('reads a chunked body split across packets anywhere, with extensions and trailers', () => {
    const wire = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=v\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n';
    for (const pieces of splits(wire)) {
      const r = parse(pieces);
      assert.equal(r.error, undefined, r.error?.message);
      assert.equal(r.body, 'hello, world');
      assert.equal(r.complete, true);
    }
  });

  it('completes a close-delimited body only at the end of the connection', () => {
    const open = parse(['HTTP/1.1 200 OK\r\n\r\npart one ', 'part two']);
    assert.equal(open.complete, false);
    assert.equal(open.body, 'part one part two');
    const closed = parse(['HTTP/1.0 200 OK\r\n\r\nall of it'], { eof: true });
    assert.equal(closed.complete, true);
    assert.equal(closed.body, 'all of it');
    // A final coding other than chunked is also read to the end.
    const gzip = parse(['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\nabcdef'], { eof: true });
    assert.equal(gzip.body, 'abcdef');
  });

  it('reads no body for HEAD, 204 and 304, whatever the headers announce', () => {
    const head = parse(['HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n'], { noBody: true });
    assert.equal(head.complete, true);
    assert.equal(head.body, '');
    for (const status of [204, 304]) {
      const r = parse([`HTTP/1.1 ${status} Nothing\r\nContent-Length: 10\r\n\r\n`]);
      assert.equal(r.complete, true, String(status));
      assert.equal(r.head?.statusCode, status);
    }
  });

  it('skips 1xx interim responses and blank lines ahead of the status line', () => {
    const r = parse(['\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n', 'HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok']);
    assert.equal(r.head?.statusCode, 201);
    assert.deepEqual(r.head?.headers, { 'content-length': '2' });
    assert.equal(r.body, 'ok');
    assert.equal(r.complete, true);
  });

  it('accepts bare LF line ends, an empty reason phrase and header values with spaces around them', () => {
    const r = parse(['HTTP/1.1 503\nRetry-After:   120  \nContent-Length: 0\n\n']);
    assert.equal(r.head?.statusCode, 503);
    assert.equal(r.head?.headers['retry-after'], '120');
    assert.equal(r.complete, true);
  });

  it('rejects malformed framing with a stable code', () => {
    const cases: [string, string[], string][] = [
      ['not HTTP', ['SSH-2.0-OpenSSH_9.6\r\n\r\n'], 'HPE_INVALID_STATUS'],
      ['HTTP/2 status line', ['HTTP/2 200\r\n\r\n'], 'HPE_INVALID_STATUS'],
      ['two-digit status', ['HTTP/1.1 20 OK\r\n\r\n'], 'HPE_INVALID_STATUS'],
      ['header without colon', ['HTTP/1.1 200 OK\r\nBroken header\r\n\r\n'], 'HPE_INVALID_HEADER'],
      ['space before colon', ['HTTP/1.1 200 OK\r\nName : v\r\n\r\n'], 'HPE_INVALID_HEADER'],
      ['obsolete line folding', ['HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n'], 'HPE_INVALID_HEADER'],
      ['control character in a value', ['HTTP/1.1 200 OK\r\nA: b\x01c\r\n\r\n'], 'HPE_INVALID_HEADER'],
      ['non-numeric Content-Length', ['HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n'], 'HPE_INVALID_CONTENT_LENGTH'],
      ['conflicting Content-Lengths', ['HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd'], 'HPE_INVALID_CONTENT_LENGTH'],
      ['chunk size not hex', ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'], 'HPE_INVALID_CHUNK'],
      ['chunk longer than its size', ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n'], 'HPE_INVALID_CHUNK'],
      ['chunk size too large', ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n'], 'HPE_INVALID_CHUNK'],
    ];
    for (const [what, pieces, code] of cases) {
      const r = parse(pieces);
      assert.equal(r.error?.code, code, `${what}: ${r.error?.message ?? 'no error'}`);
      assert.equal(r.complete, false, what);
    }
  });

  it('agrees with repeated identical Content-Lengths', () => {
    const r = parse(['HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok']);
    assert.equal(r.body, 'ok');
    assert.equal(r.complete, true);
  });

  it('stops at the header size cap even when the head never ends', () => {
    const big = `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(2000)}\r\n\r\n`;
    assert.equal(parse([big], { maxHeaderBytes: 1024 }).error?.code, 'HPE_HEADER_OVERFLOW');
    assert.equal(parse([big], { maxHeaderBytes: 4096 }).error, undefined);
    // Sent in small packets without an end: the parser gives up at the cap instead of buffering on.
    const endless = ['HTTP/1.1 200 OK\r\n', ...Array.from({ length: 100 }, (_, i) => `X-${i}: ${'v'.repeat(30)}\r\n`)];
    assert.equal(parse(endless, { maxHeaderBytes: 1024 }).error?.code, 'HPE_HEADER_OVERFLOW');
    const trailers = ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n', ...Array.from({ length: 100 }, (_, i) => `X-${i}: ${'v'.repeat(30)}\r\n`)];
    assert.equal(parse(trailers, { maxHeaderBytes: 1024 }).error?.code, 'HPE_HEADER_OVERFLOW');
  });

  it('names an early close: before any byte, inside the head, inside the body', () => {
    const none = parse([], { eof: true });
    assert.equal(none.error?.code, 'HPE_CLOSED_EARLY');
    assert.match(none.error!.message, /without sending a response/);
    assert.equal(parse(['HTTP/1.1 200 OK\r\nContent-'], { eof: true }).error?.code, 'HPE_CLOSED_EARLY');
    const short = parse(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'], { eof: true });
    assert.equal(short.error?.code, 'HPE_CLOSED_EARLY');
    assert.match(short.error!.message, /after 3 of 10 body bytes/);
    assert.equal(short.body, 'abc');
    assert.equal(parse(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab'], { eof: true }).error?.code, 'HPE_CLOSED_EARLY');
  });

  it('ignores input after the response is complete or halted', () => {
    const bodies: string[] = [];
    const parser = new ResponseParser(
      { noBody: false },
      {
        onHead: () => {},
        onBody: (c) => {
          bodies.push(c.toString());
          parser.halt();
        },
        onComplete: () => assert.fail('halted parsers do not complete'),
      },
    );
    parser.execute(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst'));
    parser.execute(Buffer.from('second'));
    parser.finish();
    assert.deepEqual(bodies, ['first']);
    assert.equal(parser.done, true);
  });

  it('keeps multi-byte UTF-8 intact when a character is split between packets', () => {
    const body = Buffer.from('grüße €', 'utf8');
    const head = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`, 'latin1');
    const r = parse([Buffer.concat([head, body.subarray(0, 3)]), body.subarray(3, 9), body.subarray(9)]);
    assert.equal(r.body, 'grüße €');
  });
});
