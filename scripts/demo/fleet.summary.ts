import { dependencyEdges, type FleetModel } from './fleet.model.ts';
import type { RunningService } from './fleet.server.ts';
import { describe, statusPageWords, type DeclareReport } from './fleet.declare.ts';

// The text `npm run demo` prints once the fleet runs (and is declared).

export function fleetSummary(model: FleetModel, services: ReadonlyMap<string, RunningService>, controlUrl: string | undefined, declared?: DeclareReport, consoleUrl?: string): string {
  const list = [...services.values()];
  const internal = list.filter((s) => s.kind === 'internal');
  const endpoints = list.reduce((n, s) => n + s.endpoints.length, 0);
  const width = Math.max(...list.map((s) => s.name.length));
  const lines = [
    '',
    `Pharos demo fleet: ${internal.length} services and ${list.length - internal.length} external APIs, ${endpoints} endpoints, ${dependencyEdges(model).length} dependency edges, ${model.teams.length} teams.`,
    '',
    ...model.teams.flatMap((t) => [
      `  ${t.name}`,
      ...list
        .filter((s) => s.team === t.name)
        .map((s) => `    ${s.name.padEnd(width)}  ${s.url}  ${s.endpoints.length} endpoints${s.kind === 'external' ? '  (external API)' : ''}`),
    ]),
    '',
  ];
  if (controlUrl) lines.push(`Control: ${controlUrl}  (buttons in a browser; GET /status, POST /break/{service}, /slow/{service}/{ms}, /cut/{from}/{to}, /heal)`);
  if (declared) {
    lines.push(
      `Declared in Pharos: teams ${describe(declared.teams)}; services ${describe(declared.services)};`,
      `  dependencies ${describe(declared.dependencies)}; monitors ${describe(declared.monitors)}.`,
      'Monitors run on runners; edge monitors only on runners labelled with the caller team\'s zone (see docs/demo.md#runners).',
      `Status page "Acme status" (public, no sign-in): ${statusPageWords(declared.statusPage)}.`,
      `Edge monitors name their edge (dependency_id); incident settings ${declared.incidentSettings === 'kept' ? 'kept as you set them' : `${declared.incidentSettings} (an incident resolves itself 20 s after its alerts resolved)`}; incidents: GET /v1/incidents (docs/demo.md#incidents).`,
    );
    if (declared.pagers) {
      lines.push(
        `Pagers: each team's channel demo-pager (signed webhook) posts to ${controlUrl ?? '<control>'}/pages/<team>; rules <team>-service-unhealthy and <team>-path-blocked page the team.`,
        '  Pages print here as they arrive; `npm run demo -- pages` lists them (docs/demo.md#who-gets-paged).',
      );
    }
  }
  lines.push(
    '',
    'Try first, the reference outage (a network policy blocks shipping-integration -> carrier-api):',
    '  npm run demo -- cut shipping-integration carrier-api',
    '  curl -i ' + `${services.get('shipping-integration')?.url ?? ''}/rates` + '     # 502: the business endpoint fails',
    '  curl -i ' + `${services.get('shipping-integration')?.url ?? ''}/health` + '    # 200: /health stays green',
    '  Pharos: monitors shipping-integration-get-rates and shipping-integration-reaches-carrier-api go down; shipping-integration-health stays up.',
    ...(declared?.pagers ? ['  Paged: fulfillment only (PAGE → fulfillment  FIRING  critical  fulfillment-path-blocked …); heal all brings its RESOLVED page.', '  The incident: npm run demo -- incidents (root cause the cut edge; the dependents\' pages held).'] : []),
    ...(declared && consoleUrl ? [`  Watch it in the console: ${consoleUrl}/map (sign in with the admin token): the cut edge is drawn down and named the incident's root cause.`] : []),
    '  npm run demo -- heal all',
    'Other commands: npm run demo -- break <service> | slow <service> <ms> | heal [<service>|all] | status',
    '',
  );
  return lines.join('\n');
}
