import { IncidentSettingsDocument, IncidentSettingsInput, type IncidentSettingsInput as Input } from '../../contract/incident-settings.schema.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { callerOf } from '../resources/crud.routes.ts';
import { presentIncidentSettings, type IncidentSettingsService } from './incident-settings.service.ts';

/** GET and PUT /v1/incident-settings: one document per organization. */
export function incidentSettingsRoutes(settings: IncidentSettingsService): AnyRoute[] {
  const found = { 200: { description: "The organization's incident settings (the defaults until an org admin writes them).", schema: IncidentSettingsDocument } };
  return [
    defineRoute({
      method: 'get', path: '/v1/incident-settings', operationId: 'get_incident_settings', summary: "Get the organization's incident settings (correlation window, auto-resolution)", tag: 'Incidents', auth: 'principal',
      responses: found,
      handle: async (req) => {
        const stored = await settings.get(callerOf(req));
        return { status: 200, body: presentIncidentSettings(stored), version: stored.version };
      },
    }),
    defineRoute({
      method: 'put', path: '/v1/incident-settings', operationId: 'replace_incident_settings', summary: "Replace the organization's incident settings (org admin; a missing field takes its default)", tag: 'Incidents', auth: 'principal',
      body: IncidentSettingsInput, conditional: true,
      responses: found,
      handle: async (req) => {
        const stored = await settings.replace(callerOf(req), req.body as Input, req.ifMatch);
        return { status: 200, body: presentIncidentSettings(stored), version: stored.version };
      },
    }),
  ];
}
