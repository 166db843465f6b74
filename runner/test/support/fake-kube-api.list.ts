// List requests with kube-apiserver's semantics: resourceVersion / resourceVersionMatch, selectors,
// and limit + continue paging over a consistent snapshot (every page reads the state at the first
// page's resourceVersion; a token older than the compacted history answers 410 Expired).

import { parseFieldSelector, parseLabelSelector, SelectorError } from './fake-kube-api.selectors.ts';
import { apiVersionOf, type ObjectMeta, type ResourceType } from './fake-kube-api.resources.ts';
import { badRequest, expiredContinue, KubeStatusError } from './fake-kube-api.status.ts';
import type { KubeStore } from './fake-kube-api.store.ts';

export interface KubeList {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  /** As the real server sends typed lists: items without kind and apiVersion. */
  items: { metadata: ObjectMeta; [field: string]: unknown }[];
}

interface ContinueToken {
  v: 'meta.k8s.io/v1';
  rv: number;
  start: string;
}

const encodeContinue = (token: ContinueToken) => Buffer.from(JSON.stringify(token)).toString('base64url');

function decodeContinue(value: string): ContinueToken {
  let token: Partial<ContinueToken>;
  try {
    token = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<ContinueToken>;
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data or malformed JSON; use the metadata.continue value of the previous page');
  }
  if (token?.v !== 'meta.k8s.io/v1' || typeof token.rv !== 'number' || typeof token.start !== 'string') {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  return token as ContinueToken;
}

/** Parses a resourceVersion query value: a decimal integer. */
export function parseResourceVersion(value: string): number {
  if (!/^\d+$/.test(value)) throw badRequest(`invalid resource version "${value}": resourceVersion must be a decimal integer taken from metadata.resourceVersion`);
  return Number(value);
}

export function tooLargeResourceVersion(requested: number, current: number): KubeStatusError {
  return new KubeStatusError(504, 'Timeout', `Too large resource version: ${requested}, current: ${current}`, { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version', field: '' }], retryAfterSeconds: 1 });
}

/** Parses selectors, mapping a parse failure to 400 BadRequest. */
export function selectorsOf(type: ResourceType, query: URLSearchParams) {
  try {
    return { labels: parseLabelSelector(query.get('labelSelector')), fields: parseFieldSelector(query.get('fieldSelector'), type.fieldSelectors) };
  } catch (error) {
    if (error instanceof SelectorError) throw badRequest(error.message);
    throw error;
  }
}

function readRevision(store: KubeStore, query: URLSearchParams, token: ContinueToken | undefined): number {
  const rvParam = query.get('resourceVersion');
  const match = query.get('resourceVersionMatch');
  if (token) {
    if (rvParam) throw badRequest('specifying resource version is not allowed when using continue');
    return token.rv;
  }
  if (match && !rvParam) throw new KubeStatusError(422, 'Invalid', 'resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (match && match !== 'Exact' && match !== 'NotOlderThan') throw new KubeStatusError(422, 'Invalid', `resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  if (!rvParam) return store.resourceVersion;
  const rv = parseResourceVersion(rvParam);
  if (rv > store.resourceVersion) throw tooLargeResourceVersion(rv, store.resourceVersion);
  if (match === 'Exact') {
    if (rv === 0) throw new KubeStatusError(422, 'Invalid', 'resourceVersionMatch "Exact" is forbidden for resourceVersion "0"');
    return rv;
  }
  return store.resourceVersion;
}

/** Answers a list request on one resource type, optionally within one namespace. */
export function listObjects(store: KubeStore, type: ResourceType, namespace: string | undefined, query: URLSearchParams): KubeList {
  const { labels, fields } = selectorsOf(type, query);
  const continueParam = query.get('continue');
  const token = continueParam ? decodeContinue(continueParam) : undefined;
  const limitParam = query.get('limit');
  const limit = limitParam ? Number(limitParam) : 0;
  if (!Number.isInteger(limit) || limit < 0) throw badRequest(`invalid limit "${limitParam}": limit must be a non-negative integer`);
  const rv = readRevision(store, query, token);
  let entries;
  try {
    entries = store.snapshot(type, rv);
  } catch (error) {
    if (token && error instanceof KubeStatusError && error.code === 410) throw expiredContinue();
    throw error;
  }
  const prefix = namespace !== undefined ? `${namespace}/` : '';
  const inScope = entries.filter(({ key }) => key.startsWith(prefix) && (!token || key >= token.start));
  const matching = inScope.filter(({ object }) => labels(object.metadata.labels) && fields(object));
  const page = limit > 0 ? matching.slice(0, limit) : matching;
  const metadata: KubeList['metadata'] = { resourceVersion: String(rv) };
  if (limit > 0 && matching.length > limit) {
    const last = page[page.length - 1]!;
    metadata.continue = encodeContinue({ v: 'meta.k8s.io/v1', rv, start: `${last.key}\u0000` });
    // The real server counts the rest only when it need not filter (no selectors).
    if (!query.get('labelSelector') && !query.get('fieldSelector')) metadata.remainingItemCount = inScope.length - page.length;
  }
  return {
    kind: `${type.kind}List`,
    apiVersion: apiVersionOf(type),
    metadata,
    items: page.map(({ object }) => {
      const { kind: _kind, apiVersion: _apiVersion, ...item } = object;
      return item;
    }),
  };
}
