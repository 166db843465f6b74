import { Resolver } from 'node:dns/promises';
import { performance } from 'node:perf_hooks';
import type { DnsCheck } from '../../../api/src/contract/index.ts';
import { CheckFailure, toCheckFailure } from './check.errors.ts';
import type { Check } from './check.types.ts';
import { failedOutcome, judgedOutcome, startClock } from './outcome.builder.ts';

type RecordType = NonNullable<DnsCheck['record_type']>;

/** DNS check: resolves one record type (optionally at a given resolver) and requires every expected value. */
export function createDnsCheck(): Check<'dns'> {
  return {
    type: 'dns',
    async run(monitor, ctx) {
      const clock = startClock();
      const config = monitor.dns;
      if (!config) return failedOutcome(clock, new CheckFailure('invalid_monitor', 'dns monitor without a "dns" block'), ctx);
      const recordType = config.record_type ?? 'A';
      // A dedicated Resolver per check: its timeout follows the budget, and cancel() stops it on abort.
      const resolver = new Resolver({ timeout: Math.max(1, ctx.deadline - Date.now()), tries: 1 });
      const onAbort = (): void => resolver.cancel();
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      try {
        if (config.resolver) resolver.setServers([config.resolver]);
        const start = performance.now();
        const answers = await query(resolver, config.hostname, recordType);
        const lookupMs = Math.round((performance.now() - start) * 100) / 100;
        const details = { record_type: recordType, answers: answers.slice(0, 50).map((a) => a.slice(0, 1024)) };
        const missing = (config.expected_values ?? []).filter((expected) => !answers.some((a) => sameValue(a, expected, recordType)));
        if (missing.length > 0) {
          const failure = new CheckFailure('dns_mismatch', `expected ${recordType} value(s) not in the answer: ${missing.join(', ')} (got: ${answers.join(', ') || 'nothing'})`);
          return failedOutcome(clock, failure, ctx, { details, timings: { dns_ms: lookupMs, total_ms: lookupMs } });
        }
        return judgedOutcome(clock, monitor, { responseTimeMs: lookupMs }, { details, timings: { dns_ms: lookupMs, total_ms: lookupMs } });
      } catch (err) {
        return failedOutcome(clock, dnsFailure(err, ctx.signal, config.hostname, recordType), ctx);
      } finally {
        ctx.signal.removeEventListener('abort', onAbort);
      }
    },
  };
}

/** Answers as comparable strings: MX as "priority exchange", TXT chunks joined. */
async function query(resolver: Resolver, hostname: string, type: RecordType): Promise<string[]> {
  switch (type) {
    case 'A':
      return resolver.resolve4(hostname);
    case 'AAAA':
      return resolver.resolve6(hostname);
    case 'CNAME':
      return resolver.resolveCname(hostname);
    case 'TXT':
      return (await resolver.resolveTxt(hostname)).map((chunks) => chunks.join(''));
    case 'MX':
      return (await resolver.resolveMx(hostname)).sort((a, b) => a.priority - b.priority).map((mx) => `${mx.priority} ${mx.exchange}`);
  }
}

/**
 * Host names compare case-insensitively and without the trailing dot; an expected MX value may
 * name just the exchange or "priority exchange"; IPv6 compares in canonical form.
 */
function sameValue(answer: string, expected: string, type: RecordType): boolean {
  if (type === 'TXT') return answer === expected;
  const norm = (s: string): string => s.trim().toLowerCase().replace(/\.$/, '');
  if (type === 'MX') {
    const exchange = answer.slice(answer.indexOf(' ') + 1);
    return norm(answer) === norm(expected) || norm(exchange) === norm(expected);
  }
  if (type === 'AAAA') return canonicalV6(answer) === canonicalV6(expected);
  return norm(answer) === norm(expected);
}

function canonicalV6(address: string): string {
  try {
    return new URL(`http://[${address.trim()}]/`).hostname;
  } catch {
    return address.trim().toLowerCase();
  }
}

function dnsFailure(err: unknown, signal: AbortSignal, hostname: string, type: RecordType): CheckFailure {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (code === 'ENODATA' || code === 'ENOTFOUND') {
    return new CheckFailure('dns_no_answer', `no ${type} record for ${hostname} (${code})`, { cause: err });
  }
  if (code === 'ECANCELLED' || code === 'ETIMEOUT') return new CheckFailure('timeout', `DNS query for ${hostname} timed out`, { cause: err });
  if (err instanceof Error && /Invalid IP address|setServers/.test(err.message)) {
    return new CheckFailure('invalid_monitor', `invalid resolver address: ${err.message}`, { cause: err });
  }
  const failure = toCheckFailure(err, signal);
  return failure.code === 'network_error' ? new CheckFailure('dns_failed', failure.message, { cause: err }) : failure;
}
