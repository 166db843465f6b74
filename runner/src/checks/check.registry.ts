import type { CheckRegistry } from './check.types.ts';
import { createDnsCheck } from './dns.check.ts';
import { createHttpCheck } from './http.check.ts';
import { createMultistepCheck } from './multistep.check.ts';
import { createTcpCheck } from './tcp.check.ts';
import { createTlsCheck } from './tls.check.ts';

/** The one place check types are wired; the CheckRegistry type makes a missing type a compile error. */
export function createCheckRegistry(): CheckRegistry {
  return {
    http: createHttpCheck(),
    tcp: createTcpCheck(),
    dns: createDnsCheck(),
    tls: createTlsCheck(),
    multistep: createMultistepCheck(),
  };
}
