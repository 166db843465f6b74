import { DEMO_TAG, isDemoObject, isSubset } from './fleet.preflight.ts';
import { PharosApiError, type PharosClient } from './pharos.client.ts';

// The demo's public status page, "Acme status" at /status/acme: the services a customer of the
// simulated shop touches, grouped as a customer sees them and shown under friendly names (the
// page never shows internal service names). Owned by the storefront team; composed by the org
// admin the demo runs as, since its services belong to several teams.

export const DEMO_PAGE_SLUG = 'acme';
export const DEMO_PAGE_NAME = 'acme-status';

/** Component groups, in page order: [service, display name]. */
export const demoPageComponents: ReadonlyArray<{ group: string; components: ReadonlyArray<readonly [service: string, display: string]> }> = [
  { group: 'Shop', components: [['storefront-web', 'Website'], ['api-gateway', 'Mobile apps'], ['search-api', 'Search'], ['identity', 'Sign-in']] },
  { group: 'Ordering', components: [['cart', 'Shopping cart'], ['checkout-api', 'Checkout'], ['payments-api', 'Payments'], ['orders', 'Order processing']] },
  { group: 'Delivery', components: [['fulfillment-api', 'Shipping and tracking'], ['returns', 'Returns']] },
  { group: 'Messages', components: [['notifications', 'E-mails and push notifications']] },
];

/** What was done with the page: `kept` when a page of that slug in the organization is not the demo's; `taken` when another organization holds the slug. */
export interface StatusPageReport {
  state: 'created' | 'updated' | 'unchanged' | 'kept' | 'taken';
  url?: string;
}

/** The request body of the demo's page. */
export function demoStatusPage(teamIds: ReadonlyMap<string, string>, serviceIds: ReadonlyMap<string, string>): Record<string, unknown> {
  const idOf = (name: string) => {
    const id = serviceIds.get(name);
    if (!id) throw new Error(`The demo's status page shows ${name}, which the fleet does not have.`);
    return id;
  };
  return {
    name: DEMO_PAGE_NAME,
    team_id: teamIds.get('storefront'),
    title: 'Acme status',
    slug: DEMO_PAGE_SLUG,
    visibility: 'public',
    description: 'The public status page of the simulated Acme shop (declared by npm run demo).',
    custom_text: 'Live status of the Acme shop. Cut an edge with npm run demo -- cut shipping-integration carrier-api to see an incident here.',
    components: demoPageComponents.flatMap((g) => g.components.map(([service, display]) => ({ service_id: idOf(service), display_name: display, group: g.group }))),
    history_days: 90,
    tags: { ...DEMO_TAG },
  };
}

type Page = { id: string; slug: string; url: string; version: number; tags?: Record<string, string> } & Record<string, unknown>;

/** Declares the page (found by slug); leaves a page of the same slug that the demo did not declare as it is. */
export async function declareStatusPage(client: PharosClient, teamIds: ReadonlyMap<string, string>, serviceIds: ReadonlyMap<string, string>): Promise<StatusPageReport> {
  const body = demoStatusPage(teamIds, serviceIds);
  const found = (await client.list<Page>('/v1/status-pages')).find((p) => p.slug === DEMO_PAGE_SLUG);
  if (found && !isDemoObject(found)) return { state: 'kept', url: found.url };
  if (found) {
    if (isSubset(body, found)) return { state: 'unchanged', url: found.url };
    return { state: 'updated', url: (await client.replace<Page>(`/v1/status-pages/${found.id}`, body, found.version)).url };
  }
  try {
    return { state: 'created', url: (await client.create<Page>('/v1/status-pages', body)).url };
  } catch (error) {
    // Slugs are unique on the server: another organization on this Pharos may hold "acme".
    if (error instanceof PharosApiError && error.status === 409) return { state: 'taken' };
    throw error;
  }
}
