import type { LoadTestInput } from '../api/src/contract/load-test.schema.ts';

// Arguments of `npm run loadtest`: what to load, where, how much, and the pass criteria.

export const usage = `usage: npm run loadtest -- (--monitor <id> | --service <id> --url <url> [--method GET] [--header 'Name: value']… [--body <text>])
         --regions <a,b> (--requests <n> | --duration <seconds>) --concurrency <n>
         [--rate <requests/s per region>] [--timeout-ms <ms>] [--p95-below <ms>] [--error-rate-below <fraction>] [--json]

Creates a load test (POST /v1/load-tests), prints its progress, waits for the verdict and prints the
figures. Exit status: 0 passed, 1 failed, aborted or error, 2 bad usage or refused by the API.
Ctrl-C aborts the test (DELETE /v1/load-tests/{id}) before exiting.
Environment: PHAROS_API_URL (default http://localhost:8080), PHAROS_TOKEN (an API token of a team editor or above).`;

export interface LoadTestArgs {
  input: LoadTestInput;
  json: boolean;
}

/** Bad usage: the message says what to fix. */
export class UsageError extends Error {}

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const flags = new Set(['--monitor', '--service', '--url', '--method', '--header', '--body', '--regions', '--requests', '--duration', '--concurrency', '--rate', '--timeout-ms', '--p95-below', '--error-rate-below']);

/** Parses argv (without node and script); throws UsageError. The API checks ranges and limits again. */
export function parseLoadTestArgs(argv: readonly string[]): LoadTestArgs {
  const values = new Map<string, string[]>();
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') {
      json = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!flags.has(name)) throw new UsageError(`unknown argument "${arg}"`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  const one = (name: string): string | undefined => {
    const list = values.get(name);
    if (list && list.length > 1 && name !== '--header') throw new UsageError(`${name} is given more than once`);
    return list?.[0];
  };
  const number = (name: string, integer: boolean): number | undefined => {
    const raw = one(name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new UsageError(`${name} must be a ${integer ? 'whole ' : ''}number above 0; got "${raw}"`);
    return n;
  };

  const monitor = one('--monitor');
  const service = one('--service');
  const url = one('--url');
  if (monitor !== undefined && (service !== undefined || url !== undefined)) throw new UsageError('give --monitor, or --service with --url, not both');
  if (monitor === undefined && (service === undefined || url === undefined)) throw new UsageError('give --monitor <id>, or --service <id> with --url <url>');
  if (monitor !== undefined && (values.has('--method') || values.has('--header') || values.has('--body'))) throw new UsageError('--method, --header and --body go with --url; a monitor brings its own request');
  const regions = (one('--regions') ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  if (regions.length === 0) throw new UsageError('--regions is required, e.g. --regions eu-west-1,us-east-1');
  const requests = number('--requests', true);
  const duration = number('--duration', true);
  if ((requests === undefined) === (duration === undefined)) throw new UsageError('give either --requests <n> or --duration <seconds>');
  const concurrency = number('--concurrency', true);
  if (concurrency === undefined) throw new UsageError('--concurrency is required: requests in flight at once, per region');

  const input: LoadTestInput = { regions, concurrency };
  if (monitor !== undefined) input.monitor_id = monitor;
  else {
    const method = (one('--method') ?? 'GET').toUpperCase();
    if (!(methods as readonly string[]).includes(method)) throw new UsageError(`--method must be one of ${methods.join(', ')}; got "${one('--method')}"`);
    const headers: Record<string, string> = {};
    for (const header of values.get('--header') ?? []) {
      const colon = header.indexOf(':');
      if (colon < 1) throw new UsageError(`--header must look like "Name: value"; got "${header}"`);
      headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
    }
    input.service_id = service!;
    input.request = { method: method as (typeof methods)[number], url: url!, ...(Object.keys(headers).length ? { headers } : {}), ...(values.has('--body') ? { body: one('--body')! } : {}) };
  }
  if (requests !== undefined) input.requests = requests;
  if (duration !== undefined) input.duration_seconds = duration;
  const rate = number('--rate', false);
  if (rate !== undefined) input.rate_per_second = rate;
  const timeout = number('--timeout-ms', true);
  if (timeout !== undefined) input.timeout_ms = timeout;
  const p95 = number('--p95-below', false);
  const errorRateRaw = one('--error-rate-below');
  let errorRate: number | undefined;
  if (errorRateRaw !== undefined) {
    errorRate = Number(errorRateRaw);
    if (errorRateRaw.trim() === '' || !(errorRate >= 0 && errorRate <= 1)) throw new UsageError(`--error-rate-below must be a fraction from 0 to 1, e.g. 0.01; got "${errorRateRaw}"`);
  }
  if (p95 !== undefined || errorRate !== undefined) input.criteria = { ...(p95 !== undefined ? { p95_below_ms: p95 } : {}), ...(errorRate !== undefined ? { error_rate_below: errorRate } : {}) };
  return { input, json };
}
