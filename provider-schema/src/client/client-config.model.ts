import type { Diagnostics } from '../engine/diagnostics.model.ts';
import { attributePath } from '../engine/attribute-path.model.ts';

export interface ClientConfig {
  /** Base URL without a trailing slash, e.g. http://localhost:8080. */
  readonly endpoint: string;
  readonly token: string | undefined;
}

/**
 * Provider block values win; PHAROS_API_URL / PHAROS_TOKEN fill what the block leaves out, so CI
 * can keep the token out of the configuration. Returns undefined (with diagnostics) when unusable.
 */
export function resolveClientConfig(
  block: { endpoint?: unknown; token?: unknown },
  env: NodeJS.ProcessEnv,
  diagnostics: Diagnostics,
): ClientConfig | undefined {
  const endpoint = (typeof block.endpoint === 'string' && block.endpoint !== '' ? block.endpoint : env['PHAROS_API_URL']) ?? '';
  const token = typeof block.token === 'string' && block.token !== '' ? block.token : env['PHAROS_TOKEN'] || undefined;
  if (endpoint === '') {
    diagnostics.error('Missing Pharos API endpoint', 'Set endpoint in the provider "pharos" block or the PHAROS_API_URL environment variable, e.g. http://localhost:8080.', attributePath('endpoint'));
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    diagnostics.error('Invalid Pharos API endpoint', `"${endpoint}" is not a URL; use the form http://host:port.`, attributePath('endpoint'));
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    diagnostics.error('Invalid Pharos API endpoint', `"${endpoint}" must use http or https.`, attributePath('endpoint'));
    return undefined;
  }
  if (!token) diagnostics.warning('No Pharos API token', 'Neither the provider block nor PHAROS_TOKEN sets a token; the API will likely answer 401.');
  return { endpoint: endpoint.replace(/\/+$/, ''), token };
}
