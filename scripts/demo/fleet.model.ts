// The simulated e-commerce fleet of the reference customer, as plain data: 6 teams, 28 internal
// services, 3 external APIs, their endpoints and the downstream calls each endpoint makes. The
// dependency graph is derived from those calls, so the simulator, the declaration and the docs can
// never disagree about it. No I/O here; createFleetModel() returns a fresh copy on every call.

export type HttpMethod = 'GET' | 'POST';
export type ServiceKind = 'internal' | 'external';
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface TeamModel {
  name: string;
  description: string;
}

/** One HTTP call an endpoint makes to a downstream service while serving a request. */
export interface DownstreamCall {
  service: string;
  method: HttpMethod;
  path: string;
}

/** What a business monitor asserts on the endpoint's JSON body (besides status 200 and response time). */
export interface EndpointCheck {
  property: string;
  operator: 'equals' | 'exists';
  target?: string;
}

export interface EndpointModel {
  method: HttpMethod;
  path: string;
  summary: string;
  /** Called in parallel on every request; any failure makes this endpoint answer 502 (or 504 on timeout). */
  calls: DownstreamCall[];
  /** The JSON body of a successful response. */
  response: JsonObject;
  /** Set on key endpoints: Pharos gets a business monitor for each. */
  key?: EndpointCheck;
}

export interface ServiceModel {
  name: string;
  team: string;
  kind: ServiceKind;
  tier: '1' | '2' | '3';
  description: string;
  /** Business endpoints; every service also answers GET /health. */
  endpoints: EndpointModel[];
  /**
   * A connection pool of this many connections (e.g. to the service's database): its /health then
   * reports {"pool": {"utilization_pct", "wait_count"}} from the requests in flight, and the health
   * monitor reads both as health-endpoint metrics.
   */
  pool?: { size: number };
}

export interface FleetModel {
  teams: TeamModel[];
  services: ServiceModel[];
}

export interface DependencyEdge {
  from: string;
  to: string;
}

export const HEALTH_PATH = '/health';

/**
 * Header naming the calling service: the simulator's stand-in for the source address a network
 * policy sees. Services send it on downstream calls, edge monitors send the caller's name, and a
 * cut edge's downstream drops connections carrying it.
 */
export const CALLER_HEADER = 'x-pharos-demo-caller';

type CallSpec = `${HttpMethod} ${string}`;

function endpoint(method: HttpMethod, path: string, summary: string, response: JsonObject, calls: Record<string, CallSpec[]> = {}, key?: EndpointCheck): EndpointModel {
  const list: DownstreamCall[] = [];
  for (const [service, specs] of Object.entries(calls)) {
    for (const spec of specs) {
      const [m, p] = spec.split(' ') as [HttpMethod, string];
      list.push({ service, method: m, path: p });
    }
  }
  return { method, path, summary, calls: list, response, ...(key ? { key } : {}) };
}

const get = (path: string, summary: string, response: JsonObject, calls?: Record<string, CallSpec[]>, key?: EndpointCheck) => endpoint('GET', path, summary, response, calls, key);
const post = (path: string, summary: string, response: JsonObject, calls?: Record<string, CallSpec[]>, key?: EndpointCheck) => endpoint('POST', path, summary, response, calls, key);
const exists = (property: string): EndpointCheck => ({ property, operator: 'exists' });
const equals = (property: string, target: string): EndpointCheck => ({ property, operator: 'equals', target });

function service(name: string, team: string, tier: ServiceModel['tier'], description: string, endpoints: EndpointModel[], kind: ServiceKind = 'internal'): ServiceModel {
  return { name, team, kind, tier, description, endpoints };
}

const product = { sku: 'sku-1042', name: 'Walnut desk lamp', price: { amount: 4900, currency: 'EUR' } };

/** A fresh copy of the reference fleet. */
export function createFleetModel(): FleetModel {
  const teams: TeamModel[] = [
    { name: 'storefront', description: 'Web storefront, search, recommendations, reviews and content' },
    { name: 'catalog', description: 'Product catalog, pricing, inventory and media' },
    { name: 'checkout', description: 'Cart, checkout, promotions and tax' },
    { name: 'payments', description: 'Payments, fraud checks, refunds and the ledger' },
    { name: 'fulfillment', description: 'Orders, warehouses, shipping and returns' },
    { name: 'platform', description: 'Gateway, identity, customer profiles, messaging and feature flags' },
  ];

  const services: ServiceModel[] = [
    // storefront
    service('storefront-web', 'storefront', '1', 'Server-rendered web storefront', [
      get('/', 'Home page', { page: 'home', sections: ['hero', 'featured', 'recommended'], products: 12 }, { 'catalog-api': ['GET /products/featured'], 'content-api': ['GET /pages/home'], recommendations: ['GET /recommendations/c-1001'], identity: ['GET /sessions/current'] }, equals('$.page', 'home')),
      get('/product/sku-1042', 'Product page', { page: 'product', product, reviews: 38 }, { 'catalog-api': ['GET /products/sku-1042'], reviews: ['GET /reviews/sku-1042'] }, equals('$.product.sku', 'sku-1042')),
      get('/search/lamp', 'Search results page', { page: 'search', query: 'lamp', hits: 27 }, { 'search-api': ['GET /search'] }),
    ]),
    service('search-api', 'storefront', '2', 'Full-text product search', [
      get('/search', 'Search products', { query: 'lamp', total: 27, items: [{ sku: 'sku-1042', score: 0.92 }] }, { 'catalog-api': ['GET /products/index'], pricing: ['GET /prices/bulk'] }, exists('$.items[0].sku')),
      get('/suggest', 'Autocomplete', { prefix: 'la', suggestions: ['lamp', 'lampshade', 'laptop stand'] }),
    ]),
    service('recommendations', 'storefront', '3', 'Personalised product recommendations', [
      get('/recommendations/c-1001', 'Recommendations for a customer', { customer_id: 'c-1001', items: [{ sku: 'sku-2210' }, { sku: 'sku-0311' }] }, { 'customer-profile': ['GET /customers/c-1001'], 'catalog-api': ['GET /products/index'] }, exists('$.items[0].sku')),
      get('/trending', 'Trending products', { window: '24h', items: [{ sku: 'sku-1042', views: 1830 }] }, { 'catalog-api': ['GET /products/featured'] }),
    ]),
    service('reviews', 'storefront', '3', 'Product reviews and ratings', [
      get('/reviews/sku-1042', 'Reviews of a product', { sku: 'sku-1042', rating: 4.6, count: 38 }, { 'catalog-api': ['GET /products/sku-1042'] }, exists('$.rating')),
      post('/reviews', 'Submit a review', { id: 'rev-9912', status: 'pending_moderation' }, { identity: ['POST /tokens/verify'], 'catalog-api': ['GET /products/sku-1042'] }),
    ]),
    service('content-api', 'storefront', '2', 'Editorial content, served from the CMS provider', [
      get('/pages/home', 'Home page content', { slug: 'home', blocks: 6 }, { 'cms-provider': ['GET /v2/entries/home'] }, equals('$.slug', 'home')),
      get('/banners', 'Active banners', { items: [{ id: 'bnr-3', title: 'Winter sale' }] }, { 'cms-provider': ['GET /v2/entries/banners'] }),
      get('/pages/faq', 'FAQ page content', { slug: 'faq', questions: 14 }, { 'cms-provider': ['GET /v2/entries/faq'] }),
    ]),

    // catalog
    service('catalog-api', 'catalog', '1', 'Product catalog', [
      get('/products/featured', 'Featured products with price, stock and images', { items: [product], total: 12 }, { pricing: ['GET /prices/bulk'], inventory: ['GET /stock/bulk'], 'product-media': ['GET /media/bulk'] }, exists('$.items[0].sku')),
      get('/products/sku-1042', 'One product with price, stock and images', { ...product, in_stock: true, images: 4 }, { pricing: ['GET /prices/sku-1042'], inventory: ['GET /stock/sku-1042'], 'product-media': ['GET /media/sku-1042'] }, equals('$.sku', 'sku-1042')),
      get('/products/index', 'Product index for search', { count: 2314, updated_at: '2026-11-22T03:00:00Z' }),
    ]),
    service('pricing', 'catalog', '1', 'Prices and price rules', [
      get('/prices/sku-1042', 'Price of a product', { sku: 'sku-1042', amount: 4900, currency: 'EUR' }, { promotions: ['GET /promotions/active'] }, equals('$.currency', 'EUR')),
      get('/prices/bulk', 'Prices of many products', { items: [{ sku: 'sku-1042', amount: 4900 }, { sku: 'sku-2210', amount: 1299 }], currency: 'EUR' }, { promotions: ['GET /promotions/active'], 'feature-flags': ['GET /flags'] }),
      post('/prices/quote', 'Price a basket', { subtotal: 6199, discount: 620, currency: 'EUR' }, { promotions: ['POST /promotions/apply'] }),
    ]),
    service('inventory', 'catalog', '1', 'Stock levels and reservations', [
      get('/stock/sku-1042', 'Stock of a product', { sku: 'sku-1042', available: 41 }, { warehouse: ['GET /warehouses/stock/sku-1042'] }, exists('$.available')),
      get('/stock/bulk', 'Stock of many products', { items: [{ sku: 'sku-1042', available: 41 }, { sku: 'sku-2210', available: 0 }] }),
      post('/reservations', 'Reserve stock for an order', { id: 'res-4410', status: 'reserved' }, { warehouse: ['POST /warehouses/reserve'] }),
    ]),
    service('product-media', 'catalog', '3', 'Product images and videos', [
      get('/media/sku-1042', 'Media of a product', { sku: 'sku-1042', images: [{ url: 'https://cdn.example/sku-1042/1.jpg', width: 1200 }] }),
      get('/media/bulk', 'Media of many products', { items: [{ sku: 'sku-1042', thumbnail: 'https://cdn.example/sku-1042/t.jpg' }] }),
    ]),

    // checkout
    service('cart', 'checkout', '1', 'Shopping carts', [
      get('/carts/current', 'The current cart', { id: 'cart-77', items: 2, subtotal: 6199, currency: 'EUR' }, { identity: ['GET /sessions/current'], pricing: ['GET /prices/bulk'] }, exists('$.id')),
      post('/carts/current/items', 'Add an item', { id: 'cart-77', items: 3 }, { inventory: ['GET /stock/sku-1042'], pricing: ['GET /prices/sku-1042'] }),
      get('/carts/current/totals', 'Cart totals', { subtotal: 6199, discount: 620, total: 5579, currency: 'EUR' }, { pricing: ['POST /prices/quote'] }),
    ]),
    service('checkout-api', 'checkout', '1', 'Checkout: quotes, shipping options and order placement', [
      post('/checkout/quote', 'Quote a checkout', { total: 6233, tax: 654, currency: 'EUR' }, { cart: ['GET /carts/current/totals'], 'tax-service': ['POST /tax/quote'] }, exists('$.total')),
      post('/checkout/place-order', 'Place an order', { order_id: 'ord-5521', status: 'confirmed' }, { cart: ['GET /carts/current'], 'payments-api': ['POST /payments/authorize'], orders: ['POST /orders'], 'customer-profile': ['GET /customers/c-1001/addresses'] }, equals('$.status', 'confirmed')),
      get('/checkout/shipping-options', 'Shipping options for the cart', { options: [{ carrier: 'dhl', service: 'express', price: 990 }] }, { 'shipping-integration': ['GET /rates'] }, exists('$.options[0].carrier')),
    ]),
    service('promotions', 'checkout', '2', 'Discounts and coupons', [
      get('/promotions/active', 'Active promotions', { items: [{ id: 'promo-winter', percent: 10 }] }, { 'feature-flags': ['GET /flags/checkout'] }),
      post('/promotions/apply', 'Apply promotions to a basket', { applied: ['promo-winter'], discount: 620 }),
    ]),
    service('tax-service', 'checkout', '2', 'Sales tax and VAT', [
      post('/tax/quote', 'Tax for a basket', { amount: 654, rate: 0.19, country: 'DE' }, {}, exists('$.amount')),
      get('/tax/rates/de', 'Tax rates of a country', { country: 'DE', standard: 0.19, reduced: 0.07 }),
    ]),

    // payments
    service('payments-api', 'payments', '1', 'Payment authorization and capture', [
      post('/payments/authorize', 'Authorize a payment', { id: 'pay-7781', status: 'authorized', amount: 6233 }, { 'fraud-check': ['POST /score'], 'payment-gateway': ['POST /v1/authorizations'], ledger: ['POST /entries'] }, equals('$.status', 'authorized')),
      get('/payments/pay-7781', 'One payment', { id: 'pay-7781', status: 'captured', amount: 6233 }, { ledger: ['GET /entries/pay-7781'] }),
      post('/payments/capture', 'Capture a payment', { id: 'pay-7781', status: 'captured' }, { 'payment-gateway': ['POST /v1/captures'], ledger: ['POST /entries'] }),
    ]),
    service('fraud-check', 'payments', '1', 'Fraud scoring', [
      post('/score', 'Score a transaction', { score: 0.07, decision: 'accept' }, { 'customer-profile': ['GET /customers/c-1001'] }, equals('$.decision', 'accept')),
      get('/rules', 'Active fraud rules', { items: [{ id: 'velocity-5m', enabled: true }] }),
    ]),
    service('refunds', 'payments', '2', 'Refunds', [
      post('/refunds', 'Refund a payment', { id: 'rf-301', status: 'refunded', amount: 4900 }, { 'payments-api': ['GET /payments/pay-7781'], 'payment-gateway': ['POST /v1/refunds'], ledger: ['POST /entries'] }, equals('$.status', 'refunded')),
      get('/refunds/rf-301', 'One refund', { id: 'rf-301', status: 'refunded' }, { ledger: ['GET /entries/pay-7781'] }),
    ]),
    service('ledger', 'payments', '1', 'Double-entry payment ledger', [
      post('/entries', 'Record an entry', { id: 'le-99120', status: 'booked' }, {}, equals('$.status', 'booked')),
      get('/entries/pay-7781', 'Entries of a payment', { payment_id: 'pay-7781', entries: [{ account: 'receivables', amount: 6233 }] }),
    ]),

    // fulfillment
    {
      ...service('orders', 'fulfillment', '1', 'Orders', [
        post('/orders', 'Create an order', { id: 'ord-5521', status: 'created' }, { inventory: ['POST /reservations'], 'order-events': ['POST /topics/orders/publish'] }, equals('$.status', 'created')),
        get('/orders/recent', 'Recent orders of the customer', { items: [{ id: 'ord-5521', status: 'shipped' }] }),
        get('/orders/ord-5521', 'One order', { id: 'ord-5521', status: 'shipped', lines: 2 }),
      ]),
      pool: { size: 10 },
    },
    service('fulfillment-api', 'fulfillment', '1', 'Shipments: picking, labels and tracking', [
      get('/shipments/pending', 'Shipments waiting for a label', { items: [{ id: 'shp-88', order_id: 'ord-5521' }] }, { 'order-events': ['GET /subscriptions/fulfillment/poll'], orders: ['GET /orders/ord-5521'] }, exists('$.items')),
      post('/shipments', 'Create a shipment', { id: 'shp-88', status: 'label_created' }, { warehouse: ['POST /warehouses/pick'], 'shipping-integration': ['POST /labels'] }, equals('$.status', 'label_created')),
      get('/shipments/shp-88/tracking', 'Tracking of a shipment', { id: 'shp-88', status: 'in_transit' }, { 'shipping-integration': ['GET /tracking/shp-88'] }),
    ]),
    service('shipping-integration', 'fulfillment', '1', 'Adapter to the shipping carrier API', [
      get('/rates', 'Shipping rates', { currency: 'EUR', rates: [{ carrier: 'dhl', service: 'express', price: 990 }] }, { 'carrier-api': ['GET /v3/rates'] }, exists('$.rates[0].price')),
      post('/labels', 'Buy a shipping label', { tracking_number: 'JD0146000012345', status: 'created' }, { 'carrier-api': ['POST /v3/labels'] }),
      get('/tracking/shp-88', 'Tracking events', { id: 'shp-88', status: 'in_transit', events: 3 }, { 'carrier-api': ['GET /v3/tracking/shp-88'] }, equals('$.status', 'in_transit')),
    ]),
    service('warehouse', 'fulfillment', '2', 'Warehouse management', [
      get('/warehouses/stock/sku-1042', 'Stock per warehouse', { sku: 'sku-1042', warehouses: [{ id: 'ber-1', on_hand: 30 }, { id: 'ham-2', on_hand: 11 }] }, {}, exists('$.warehouses')),
      post('/warehouses/reserve', 'Reserve stock in a warehouse', { warehouse: 'ber-1', status: 'reserved' }),
      post('/warehouses/pick', 'Create a pick list', { id: 'pick-310', status: 'queued' }, { 'order-events': ['POST /topics/orders/publish'] }),
    ]),
    service('returns', 'fulfillment', '2', 'Customer returns', [
      post('/returns', 'Open a return', { id: 'rt-12', status: 'label_sent' }, { orders: ['GET /orders/ord-5521'], refunds: ['POST /refunds'], 'shipping-integration': ['POST /labels'] }),
      get('/returns/rt-12', 'One return', { id: 'rt-12', status: 'received' }, { orders: ['GET /orders/ord-5521'] }),
    ]),

    // platform
    service('api-gateway', 'platform', '1', 'Edge gateway of the mobile apps', [
      get('/mobile/home', 'Mobile home screen', { screen: 'home', products: 8 }, { identity: ['GET /sessions/current'], 'catalog-api': ['GET /products/featured'] }, equals('$.screen', 'home')),
      get('/mobile/cart', 'Mobile cart screen', { screen: 'cart', items: 2 }, { cart: ['GET /carts/current'] }),
      get('/mobile/orders', 'Mobile orders screen', { screen: 'orders', items: 1 }, { orders: ['GET /orders/recent'] }),
    ]),
    service('identity', 'platform', '1', 'Sessions and tokens', [
      get('/sessions/current', 'The current session', { authenticated: true, customer_id: 'c-1001' }, { 'customer-profile': ['GET /customers/c-1001'], 'feature-flags': ['GET /flags'] }, equals('$.customer_id', 'c-1001')),
      post('/tokens/verify', 'Verify an access token', { valid: true, subject: 'c-1001' }),
    ]),
    service('customer-profile', 'platform', '1', 'Customer profiles and addresses', [
      get('/customers/c-1001', 'One customer', { id: 'c-1001', name: 'Ada Example', segment: 'gold' }, {}, equals('$.id', 'c-1001')),
      get('/customers/c-1001/addresses', 'Addresses of a customer', { items: [{ id: 'addr-1', city: 'Berlin', country: 'DE' }] }),
      get('/customers/c-1001/preferences', 'Notification preferences', { email: true, sms: false }),
    ]),
    service('order-events', 'platform', '1', 'Message queue carrying order events between services', [
      post('/topics/orders/publish', 'Publish an order event', { accepted: true, offset: 882211 }, {}, exists('$.offset')),
      get('/subscriptions/notifications/poll', 'Poll the notifications subscription', { messages: [{ type: 'order.created', order_id: 'ord-5521' }] }),
      get('/subscriptions/fulfillment/poll', 'Poll the fulfillment subscription', { messages: [{ type: 'order.paid', order_id: 'ord-5521' }] }),
    ]),
    service('notifications', 'platform', '2', 'E-mail and push notifications', [
      get('/notifications/pending', 'Notifications waiting to be sent', { items: [{ type: 'order_confirmation', order_id: 'ord-5521' }] }, { 'order-events': ['GET /subscriptions/notifications/poll'], 'customer-profile': ['GET /customers/c-1001/preferences'] }, exists('$.items')),
      post('/notifications/email', 'Send an e-mail', { id: 'ntf-5120', status: 'queued' }, { 'customer-profile': ['GET /customers/c-1001'] }),
      get('/templates', 'Message templates', { items: [{ id: 'order_confirmation', locale: 'de-DE' }] }),
    ]),
    service('feature-flags', 'platform', '2', 'Feature flags', [
      get('/flags', 'All flags', { flags: { new_checkout: true, recommendations_v2: false } }, {}, exists('$.flags')),
      get('/flags/checkout', 'Checkout flags', { flag: 'new_checkout', enabled: true }),
    ]),

    // external APIs the fleet depends on, each owned by the team that integrates it
    service('payment-gateway', 'payments', '1', 'External payment service provider (card authorizations)', [
      post('/v1/authorizations', 'Authorize a card payment', { id: 'auth_5Yh2', status: 'approved' }),
      post('/v1/captures', 'Capture an authorization', { id: 'cap_81Qa', status: 'succeeded' }),
      post('/v1/refunds', 'Refund a capture', { id: 're_77Zk', status: 'succeeded' }),
    ], 'external'),
    service('cms-provider', 'storefront', '2', 'External headless CMS serving storefront content', [
      get('/v2/entries/home', 'Home page entry', { sys: { id: 'home', type: 'Entry' }, fields: { title: 'Home' } }),
      get('/v2/entries/banners', 'Banner entries', { items: [{ sys: { id: 'bnr-3' }, fields: { title: 'Winter sale' } }] }),
      get('/v2/entries/faq', 'FAQ entry', { sys: { id: 'faq', type: 'Entry' }, fields: { title: 'FAQ' } }),
    ], 'external'),
    service('carrier-api', 'fulfillment', '1', 'External shipping carrier API (rates, labels, tracking)', [
      get('/v3/rates', 'Rates', { rates: [{ product: 'express', price: { value: 9.9, currency: 'EUR' } }] }),
      post('/v3/labels', 'Buy a label', { shipmentNo: 'JD0146000012345', label: { format: 'PDF' } }),
      get('/v3/tracking/shp-88', 'Tracking', { shipmentNo: 'JD0146000012345', status: 'in_transit', events: 3 }),
    ], 'external'),
  ];
  return { teams, services };
}

/** The dependency edges, derived from the calls the endpoints make; one per (from, to), in model order. */
export function dependencyEdges(model: FleetModel): DependencyEdge[] {
  const seen = new Set<string>();
  const edges: DependencyEdge[] = [];
  for (const s of model.services) {
    for (const e of s.endpoints) {
      for (const c of e.calls) {
        const id = `${s.name}\u0000${c.service}`;
        if (seen.has(id)) continue;
        seen.add(id);
        edges.push({ from: s.name, to: c.service });
      }
    }
  }
  return edges;
}

/** Every endpoint a service answers, /health first. */
export function endpointsOf(s: ServiceModel): Array<{ method: HttpMethod; path: string }> {
  return [{ method: 'GET', path: HEALTH_PATH }, ...s.endpoints.map((e) => ({ method: e.method, path: e.path }))];
}

/** Problems of a model: unknown teams or services, calls to endpoints that do not exist, duplicate names. */
export function modelErrors(model: FleetModel): string[] {
  const errors: string[] = [];
  const teams = new Set(model.teams.map((t) => t.name));
  const byName = new Map<string, ServiceModel>();
  for (const s of model.services) {
    if (byName.has(s.name)) errors.push(`duplicate service ${s.name}`);
    byName.set(s.name, s);
    if (!teams.has(s.team)) errors.push(`${s.name}: unknown team ${s.team}`);
  }
  for (const s of model.services) {
    const paths = new Set<string>();
    for (const e of s.endpoints) {
      const id = `${e.method} ${e.path}`;
      if (e.path === HEALTH_PATH || paths.has(id)) errors.push(`${s.name}: duplicate endpoint ${id}`);
      paths.add(id);
      for (const c of e.calls) {
        const target = byName.get(c.service);
        if (!target) errors.push(`${s.name} ${id}: calls unknown service ${c.service}`);
        else if (c.service === s.name) errors.push(`${s.name} ${id}: calls itself`);
        else if (!target.endpoints.some((t) => t.method === c.method && t.path === c.path)) errors.push(`${s.name} ${id}: ${c.service} has no endpoint ${c.method} ${c.path}`);
      }
    }
  }
  return errors;
}
