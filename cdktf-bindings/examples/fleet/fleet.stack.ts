import type { Construct } from 'constructs';
import { LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { alertRule, provider, ServiceMonitors, team } from '../../src';

/**
 * A small fleet: two teams, five services (one external), their dependency graph, the standard
 * monitors of each service and one alert rule. The provider reads PHAROS_API_URL and PHAROS_TOKEN
 * from the environment of `terraform plan/apply`, so neither is written into cdk.tf.json.
 */
export class FleetStack extends TerraformStack {
  public constructor(scope: Construct, id: string) {
    super(scope, id);
    // Relative: the state stays next to cdk.tf.json (the default is an absolute path of the synth machine).
    new LocalBackend(this, { path: 'terraform.tfstate' });
    new provider.PharosProvider(this, 'pharos');

    const commerce = new team.Team(this, 'commerce', { name: 'commerce', description: 'Storefront, orders and payments' });
    const logistics = new team.Team(this, 'logistics', { name: 'logistics', description: 'Inventory and shipping' });

    const payments = new ServiceMonitors(this, 'payment-provider', {
      name: 'payment-provider', team: commerce, kind: 'external',
      baseUrl: 'https://api.payment-provider.example',
      health: { path: '/v1/health', degradedAfterMs: 1500 },
    });
    const inventory = new ServiceMonitors(this, 'inventory', {
      name: 'inventory', team: logistics, zone: 'logistics',
      baseUrl: 'http://inventory.internal',
      health: { json: { '$.status': 'ok' } },
      keyEndpoint: { name: 'stock-lookup', path: '/v1/stock/probe-sku', json: { '$.sku': 'probe-sku' } },
    });
    const shipping = new ServiceMonitors(this, 'shipping', {
      name: 'shipping', team: logistics, zone: 'logistics',
      baseUrl: 'http://shipping.internal',
      keyEndpoint: { name: 'quote', path: '/v1/quotes', method: 'POST', body: '{"weight_grams":500,"country":"DE"}', headers: { 'content-type': 'application/json' }, degradedAfterMs: 800 },
    });
    const orders = new ServiceMonitors(this, 'order-processing', {
      name: 'order-processing', team: commerce, zone: 'commerce', tags: { tier: '1' },
      baseUrl: 'http://orders.internal',
      keyEndpoint: { name: 'accepting-orders', path: '/v1/orders/probe', json: { '$.accepting': 'true' } },
      dependsOn: [inventory, shipping, payments],
    });
    new ServiceMonitors(this, 'storefront', {
      name: 'storefront', team: commerce, zone: 'edge', tags: { tier: '1' },
      baseUrl: 'http://storefront.internal',
      keyEndpoint: { name: 'home-page', path: '/', bodyContains: '<title>' },
      dependsOn: [orders],
    });

    new alertRule.AlertRule(this, 'orders-down', {
      name: 'order-processing-down',
      teamId: commerce.id,
      // The service's name as a reference, so the rule is created after the service and destroyed before it
      // (the API resolves names when a rule is written and refuses to delete a service a rule names).
      expression: `down(service("${orders.service.name}"))`,
      forDuration: '2m',
      severity: 'critical',
      message: 'order-processing is down: customers cannot check out.',
    });

    new TerraformOutput(this, 'order-processing-service-id', { value: orders.serviceId });
  }
}
