import { Type } from '@sinclair/typebox';
import { Page } from '../../contract/common.schema.ts';
import { IncidentDetail, IncidentListQuery, IncidentNoteInput, IncidentPatch, IncidentSummary, IncidentTimelineEntry } from '../../contract/incident.schema.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { callerOf } from '../resources/crud.routes.ts';
import type { IncidentService } from './incident.service.ts';

const Params = Type.Object({ id: Type.String({ maxLength: 64, description: 'The incident\'s id (inc_…) or its number.' }) });
const noStore = { 'Cache-Control': 'no-store' };
const responder = ' (team editor of one of its teams, or org admin)';

/** /v1/incidents: list, detail, acknowledge, resolve, notes and PATCH. */
export function incidentRoutes(incidents: IncidentService): AnyRoute[] {
  const tag = 'Incidents';
  const found = { 200: { description: 'The incident with its alerts, timeline and the changes around it.', schema: IncidentDetail } };
  return [
    defineRoute({
      method: 'get', path: '/v1/incidents', operationId: 'list_incidents', summary: 'Incidents of the teams you can see, newest first', tag, auth: 'principal',
      query: IncidentListQuery,
      responses: { 200: { description: 'A page of incidents, newest first (by opened_at).', schema: Page(IncidentSummary) } },
      handle: async (req) => ({ status: 200, body: await incidents.list(callerOf(req).principal, req.query), headers: noStore }),
    }),
    defineRoute({
      method: 'get', path: '/v1/incidents/{id}', operationId: 'get_incident', summary: 'An incident: root cause, impacted, alerts, timeline, deploys', tag, auth: 'principal',
      params: Params, responses: found,
      handle: async (req) => {
        const body = await incidents.get(callerOf(req).principal, req.params.id);
        return { status: 200, body, version: body.version, headers: noStore };
      },
    }),
    defineRoute({
      method: 'patch', path: '/v1/incidents/{id}', operationId: 'update_incident', summary: `Move an incident's state, rename it, or turn its self-resolution off${responder}`, tag, auth: 'principal',
      params: Params, body: IncidentPatch, bodyTypes: ['application/merge-patch+json'], conditional: true, responses: found,
      handle: async (req) => {
        const body = await incidents.update(callerOf(req), req.params.id, req.body, req.ifMatch);
        return { status: 200, body, version: body.version };
      },
    }),
    defineRoute({
      method: 'post', path: '/v1/incidents/{id}/acknowledge', operationId: 'acknowledge_incident', summary: `Acknowledge an incident; again keeps the first acknowledgement${responder}`, tag, auth: 'principal',
      params: Params, conditional: true, idempotent: true, responses: found,
      handle: async (req) => {
        const body = await incidents.acknowledge(callerOf(req), req.params.id, req.ifMatch);
        return { status: 200, body, version: body.version };
      },
    }),
    defineRoute({
      method: 'post', path: '/v1/incidents/{id}/resolve', operationId: 'resolve_incident', summary: `Resolve an incident by hand${responder}`, tag, auth: 'principal',
      params: Params, conditional: true, idempotent: true, responses: found,
      handle: async (req) => {
        const body = await incidents.resolve(callerOf(req), req.params.id, req.ifMatch);
        return { status: 200, body, version: body.version };
      },
    }),
    defineRoute({
      method: 'post', path: '/v1/incidents/{id}/notes', operationId: 'add_incident_note', summary: `Add a note to an incident's timeline${responder}`, tag, auth: 'principal',
      params: Params, body: IncidentNoteInput, idempotent: true,
      responses: { 201: { description: 'The timeline entry of the note.', schema: IncidentTimelineEntry } },
      handle: async (req) => ({ status: 201, body: await incidents.addNote(callerOf(req), req.params.id, req.body.text, req.body.public === true) }),
    }),
  ];
}
