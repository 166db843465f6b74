import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveChannel, backoffMs, type LiveStatus } from '../src/web/console/live.channel.ts';
import type { LiveEvent } from '../src/contract/live.schema.ts';

// The console's live channel against a scripted fetch: one connection for all subscribers, batches
// to each, Last-Event-ID on reconnect, backoff while refused, sign-out on 401, closed with the last.

test('backoffMs: 1 s doubling to 30 s, drawn between half and all of that', () => {
  const cases: Array<[number, number, number]> = [[0, 0, 500], [0, 1, 1_000], [1, 1, 2_000], [3, 0.5, 6_000], [5, 1, 30_000], [9, 0, 15_000], [50, 1, 30_000]];
  for (const [attempt, random, expected] of cases) assert.equal(backoffMs(attempt, () => random), expected, `attempt ${attempt}, random ${random}`);
});

/** A fetch whose answers the test scripts: each call gets the next answer; a stream answer is fed by the test. */
function scriptedFetch() {
  const calls: Array<{ headers: Record<string, string>; signal: AbortSignal }> = [];
  const answers: Array<() => Response> = [];
  let feed: ReadableStreamDefaultController<Uint8Array> | undefined;
  const encoder = new TextEncoder();
  const fetch = (async (_url: string, init: { headers: Record<string, string>; signal: AbortSignal }) => {
    calls.push(init);
    const answer = answers.shift();
    if (!answer) throw new TypeError('Failed to fetch');
    return answer();
  }) as unknown as typeof globalThis.fetch;
  return {
    fetch,
    calls,
    stream: () => answers.push(() => new Response(new ReadableStream<Uint8Array>({ start: (c) => void (feed = c) }), { status: 200, headers: { 'content-type': 'text/event-stream' } })),
    status: (status: number) => answers.push(() => new Response(JSON.stringify({ code: 'x' }), { status })),
    send: (text: string) => feed!.enqueue(encoder.encode(text)),
    cut: () => feed!.error(new TypeError('network error')),
  };
}

const until = async (check: () => boolean, ms = 2_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

test('one connection for every subscriber; batches reach each; a drop reconnects with Last-Event-ID; the last unsubscribe closes it', async () => {
  const net = scriptedFetch();
  let signedOut = 0;
  const channel = new LiveChannel({ headers: () => ({ authorization: 'Bearer phs_x' }), unauthorized: () => signedOut++, fetch: net.fetch, random: () => 0 });
  const got: Record<'a' | 'b', LiveEvent[][]> = { a: [], b: [] };
  const statuses: LiveStatus[] = [];
  net.stream();
  const offA = channel.subscribe({ batch: (e) => got.a.push(e), status: (s) => statuses.push(s) });
  const offB = channel.subscribe({ batch: (e) => got.b.push(e), status: () => undefined });
  await until(() => channel.status === 'live');
  assert.equal(net.calls.length, 1, 'one connection for both');
  assert.equal(net.calls[0]!.headers.authorization, 'Bearer phs_x');
  assert.equal(net.calls[0]!.headers['last-event-id'], undefined);

  net.send('retry: 3000\n\n: connected\n\nevent: batch\nid: 7\ndata: {"events":[{"type":"reset"}]}\n\n');
  await until(() => got.b.length === 1);
  assert.deepEqual(got.a, [[{ type: 'reset' }]]);

  net.status(503);
  net.stream();
  net.cut();
  await until(() => channel.status === 'live' && net.calls.length === 3, 3_000);
  assert.deepEqual(statuses, ['connecting', 'live', 'reconnecting', 'live']);
  assert.equal(net.calls[1]!.headers['last-event-id'], '7');
  assert.equal(net.calls[2]!.headers['last-event-id'], '7', 'still the last id after a refused attempt');

  offA();
  assert.equal(net.calls[2]!.signal.aborted, false, 'open while a subscriber remains');
  offB();
  assert.equal(net.calls[2]!.signal.aborted, true, 'closed with the last subscriber');
  assert.equal(signedOut, 0);
});

test('a 401 asks the console to sign out', async () => {
  const net = scriptedFetch();
  let signedOut = 0;
  const channel = new LiveChannel({ headers: () => ({}), unauthorized: () => signedOut++, fetch: net.fetch, random: () => 0 });
  net.status(401);
  const off = channel.subscribe({ batch: () => undefined, status: () => undefined });
  await until(() => signedOut === 1);
  off();
});
