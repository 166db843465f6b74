import { isUnknown, type ObjectValue } from '../codec/value.model.ts';
import { attributePath } from '../engine/attribute-path.model.ts';
import type { Diagnostics } from '../engine/diagnostics.model.ts';
import type { Logger } from '../engine/logger.port.ts';
import type { ProviderConfigurer } from '../engine/resource.handler.ts';
import { resolveClientConfig } from './client-config.model.ts';
import { PharosClient } from './pharos.client.ts';
import type { RetryPolicy } from './retry.policy.ts';

export interface ClientConfigurerDeps {
  readonly env: NodeJS.ProcessEnv;
  readonly log: Logger;
  readonly retry: RetryPolicy;
  readonly fetch: typeof fetch;
  readonly userAgent: string;
}

/** The provider block (endpoint, token) → a PharosClient for every handler of this process. */
export function createClientConfigurer(deps: ClientConfigurerDeps): ProviderConfigurer<PharosClient> {
  return {
    validate(config: ObjectValue, diagnostics: Diagnostics) {
      const endpoint = config['endpoint'];
      if (typeof endpoint === 'string' && !isUnknown(endpoint)) {
        try {
          new URL(endpoint);
        } catch {
          diagnostics.error('Invalid Pharos API endpoint', `"${endpoint}" is not a URL; use the form http://host:port.`, attributePath('endpoint'));
        }
      }
    },
    configure(config, diagnostics) {
      const resolved = resolveClientConfig(config, deps.env, diagnostics);
      if (!resolved) return undefined;
      deps.log.debug(`Pharos API endpoint ${resolved.endpoint}`);
      return new PharosClient({ config: resolved, fetch: deps.fetch, retry: deps.retry, log: deps.log, userAgent: deps.userAgent });
    },
  };
}
