// The demo's programmatic API, for tests and benchmarks:
//   const fleet = await startFleet({ controlPort: 0 });
//   fleet.services.get('shipping-integration')!.url; fleet.control.cut('shipping-integration', 'carrier-api');
//   await fleet.stop();
export { startFleet, CALLER_HEADER, type FleetOptions, type RunningFleet, type RunningService } from './fleet.server.ts';
export { FleetControl, ControlError, describeStatus, MAX_SLOW_MS, type FleetStatus } from './fleet.control.ts';
export { createFleetModel, dependencyEdges, endpointsOf, modelErrors, HEALTH_PATH, type FleetModel, type ServiceModel, type EndpointModel, type DependencyEdge, type TeamModel } from './fleet.model.ts';
export { declareFleet, demoIncidentSettings, desiredMonitors, healthMonitorName, endpointMonitorName, edgeMonitorName, DEMO_TAG, DeclareConflictError, type DeclareOptions, type DeclareReport } from './fleet.declare.ts';
export { ControlClient, ControlClientError, controlRequest, DEFAULT_CONTROL_PORT } from './control.client.ts';
export { PharosClient, PharosApiError } from './pharos.client.ts';
