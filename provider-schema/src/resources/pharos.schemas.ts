import alertRule from '../../schema/alert-rule.schema.json' with { type: 'json' };
import channel from '../../schema/channel.schema.json' with { type: 'json' };
import incidentSettings from '../../schema/incident-settings.schema.json' with { type: 'json' };
import maintenanceWindow from '../../schema/maintenance-window.schema.json' with { type: 'json' };
import monitorDataSource from '../../schema/monitor.data-source.schema.json' with { type: 'json' };
import monitor from '../../schema/monitor.schema.json' with { type: 'json' };
import providerSchema from '../../schema/provider.schema.json' with { type: 'json' };
import behaviours from '../../schema/resource.behaviours.json' with { type: 'json' };
import routingPolicy from '../../schema/routing-policy.schema.json' with { type: 'json' };
import runnerToken from '../../schema/runner-token.schema.json' with { type: 'json' };
import silence from '../../schema/silence.schema.json' with { type: 'json' };
import serviceDependency from '../../schema/service-dependency.schema.json' with { type: 'json' };
import serviceDataSource from '../../schema/service.data-source.schema.json' with { type: 'json' };
import service from '../../schema/service.schema.json' with { type: 'json' };
import slo from '../../schema/slo.schema.json' with { type: 'json' };
import statusPage from '../../schema/status-page.schema.json' with { type: 'json' };
import teamMember from '../../schema/team-member.schema.json' with { type: 'json' };
import teamDataSource from '../../schema/team.data-source.schema.json' with { type: 'json' };
import team from '../../schema/team.schema.json' with { type: 'json' };
import { asSchemaFile, type SchemaFile } from '../schema/schema.loader.ts';

/**
 * The schema files bundled into the shipped provider. Static imports, because the bundle must
 * run without the repository; a test fails when this list and schema/*.json disagree.
 */
export function pharosSchemaFiles(): SchemaFile[] {
  const files: [unknown, string][] = [
    [providerSchema, 'provider.schema.json'],
    [team, 'team.schema.json'],
    [teamMember, 'team-member.schema.json'],
    [service, 'service.schema.json'],
    [serviceDependency, 'service-dependency.schema.json'],
    [monitor, 'monitor.schema.json'],
    [alertRule, 'alert-rule.schema.json'],
    [routingPolicy, 'routing-policy.schema.json'],
    [channel, 'channel.schema.json'],
    [maintenanceWindow, 'maintenance-window.schema.json'],
    [slo, 'slo.schema.json'],
    [runnerToken, 'runner-token.schema.json'],
    [silence, 'silence.schema.json'],
    [statusPage, 'status-page.schema.json'],
    [incidentSettings, 'incident-settings.schema.json'],
    [teamDataSource, 'team.data-source.schema.json'],
    [serviceDataSource, 'service.data-source.schema.json'],
    [monitorDataSource, 'monitor.data-source.schema.json'],
    [behaviours, 'resource.behaviours.json'],
  ];
  return files.map(([json, name]) => asSchemaFile(json, name));
}
