import { Type } from '@sinclair/typebox';
import { Page } from '../../contract/common.schema.ts';
import { AuditEntry } from '../../contract/alerting.schema.ts';
import { PharosError } from '../../contract/errors.ts';
import type { Principal } from '../../auth/principal.ts';
import type { Db } from '../../db/database.ts';
import { decodeCursor, toPage } from '../../http/cursor.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { pageQuery } from '../resources/crud.routes.ts';
import { iso } from '../resources/versioning.ts';
import type { AuditRepository } from './audit.repository.ts';

type Row = Awaited<ReturnType<AuditRepository['list']>>[number];

const present = (row: Row) => ({
  id: row.id,
  at: iso(row.at),
  actor: { type: row.actor_type, id: row.actor_id, name: row.actor_name },
  action: row.action,
  resource_type: row.resource_type,
  resource_id: row.resource_id,
  ...(row.team_id ? { team_id: row.team_id } : {}),
  ...(row.request_id ? { request_id: row.request_id } : {}),
  ...(row.before !== null ? { before: row.before } : {}),
  ...(row.after !== null ? { after: row.after } : {}),
});

/** GET /v1/audit: org admins see everything, team admins their teams' entries. */
export function auditRoutes(db: Db, audit: AuditRepository): AnyRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/v1/audit', operationId: 'list_audit_entries', summary: 'Audit log, newest first (admins)', tag: 'Access', auth: 'principal',
      query: Type.Object({ ...pageQuery, resource_type: Type.Optional(Type.String({ maxLength: 64 })), resource_id: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
      responses: { 200: { description: 'A page of audit entries.', schema: Page(AuditEntry) } },
      handle: async (req) => {
        const p = req.principal as Principal;
        const teamIds = p.orgAdmin ? undefined : [...p.teams].filter(([, role]) => role === 'team_admin').map(([id]) => id);
        if (teamIds && teamIds.length === 0) throw new PharosError('forbidden', 'Only org admins and team admins can read the audit log.');
        const limit = req.query.limit ?? 50;
        const rows = await audit.list(db, p.orgId, { teamIds, resourceType: req.query.resource_type, resourceId: req.query.resource_id, after: decodeCursor(req.query.cursor), limit });
        return { status: 200, body: toPage(rows, limit, present) };
      },
    }),
  ];
}
