import { Pool } from 'undici';

// The bench's HTTP client to the control plane: one keep-alive pool, JSON in and out, the answer's
// size and time with every call (the figures of bench:scale are sizes and times of real answers).

export interface Answer {
  status: number;
  body: any;
  bytes: number;
  ms: number;
}

export interface ScaleHttp {
  /**
   * A call with a bearer token; throws on a status ≥ 300 unless `allow` lists it. A read or a runner
   * registration answered 503 (the control plane's pool saturated on a loaded machine) is retried
   * after its Retry-After, at most three times, as a runner does; `ms` is then the last attempt's.
   */
  call(token: string, method: string, path: string, body?: unknown, allow?: number[]): Promise<Answer>;
  close(): Promise<void>;
}

export function scaleHttp(url: string, connections = 32): ScaleHttp {
  const pool = new Pool(url, { connections, headersTimeout: 120_000, bodyTimeout: 120_000 });
  return {
    async call(token, method, path, body, allow = []) {
      for (let attempt = 1; ; attempt++) {
        const answer = await once(token, method, path, body, allow, attempt < 4 && (method === 'GET' || path === '/v1/runner/register'));
        if (answer !== 'retry') return answer;
        await new Promise((r) => setTimeout(r, 5_000));
      }
    },
    close: () => pool.close(),
  };

  async function once(token: string, method: string, path: string, body: unknown, allow: number[], retry: boolean): Promise<Answer | 'retry'> {
    const t = performance.now();
    const res = await pool.request({
      method: method as 'GET',
      path,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    const ms = performance.now() - t;
    if (retry && res.statusCode === 503 && !allow.includes(503)) return 'retry';
    if (res.statusCode >= 300 && !allow.includes(res.statusCode)) throw new Error(`${method} ${path} → ${res.statusCode}: ${text.slice(0, 400)}`);
    return { status: res.statusCode, body: text ? JSON.parse(text) : undefined, bytes: Buffer.byteLength(text), ms };
  }
}

/** Runs `work(i)` for i in [0, count) with at most `concurrency` in flight; resolves with each call's ms. */
export async function inParallel(count: number, concurrency: number, work: (i: number) => Promise<unknown>): Promise<number[]> {
  const times = new Array<number>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        await work(i);
        times[i] = performance.now() - t;
      }
    }),
  );
  return times;
}
