import { PharosError, type FieldError } from '../../contract/errors.ts';
import { StatusPage, StatusPageInput, statusPageErrors, type StatusPageInput as Input } from '../../contract/status-page.schema.ts';
import { resolveTeam } from '../resources/references.ts';
import type { SpecKind } from '../resources/spec-kind.ts';
import { StatusPageRepository } from './status-page.repository.ts';

const repository = () => new StatusPageRepository();

/** Where readers find a page: the public address for public pages, the console's page for internal ones. */
export function statusPageUrl(baseUrl: string, page: { id: string; slug: string; visibility: string }): string {
  const base = baseUrl.replace(/\/+$/, '');
  return page.visibility === 'public' ? `${base}/status/${page.slug}` : `${base}/status-pages/${page.id}`;
}

/**
 * The 409 of a taken slug. Slugs are unique on the whole server (public addresses carry no
 * organization), so the holder may be another organization's page: the message never says whose.
 */
export function slugTaken(slug: string): PharosError {
  return new PharosError('conflict', `The slug "${slug}" is already in use on this Pharos server (status page addresses /status/{slug} are unique across all organizations): pick another slug, e.g. "${slug}-status".`, [
    { pointer: '/slug', message: `The slug "${slug}" is already in use on this Pharos server; pick another slug.` },
  ]);
}

/**
 * Status pages: a team's page showing services as components under display names of their own.
 * A component may show another team's service when the writer can read it (an org admin composing
 * a company page); a service the writer cannot read answers like a missing one, so existence does
 * not leak.
 */
export const statusPageKind: SpecKind = {
  type: 'status_page',
  label: 'Status page',
  path: 'status-pages',
  tag: 'Status pages',
  table: 'status_pages',
  idKind: 'status_page',
  input: StatusPageInput,
  output: StatusPage,
  filters: [],
  rules: (doc) => statusPageErrors(doc as Input),
  async place(ctx, doc, current) {
    const page = doc as Input;
    const team = await resolveTeam(ctx, page.team_id);
    const ids = page.components.map((c) => c.service_id);
    const owners = await repository().serviceTeams(ctx.trx, ctx.principal.orgId, ids);
    const errors: FieldError[] = [];
    ids.forEach((id, i) => {
      const owner = owners.get(id);
      if (owner === undefined || !(ctx.principal.orgAdmin || ctx.principal.teams.has(owner))) {
        errors.push({ pointer: `/components/${i}/service_id`, message: `Service "${id}" does not exist or you have no access to it; check the id (a page shows services its writer can read: GET /v1/services lists them).` });
      }
    });
    if (errors.length) throw new PharosError('validation_failed', errors.map((e) => `${e.pointer}: ${e.message}`).join(' '), errors);
    if (await repository().slugTaken(ctx.trx, page.slug, current?.id)) throw slugTaken(page.slug);
    return { teamId: team.id, type: page.visibility };
  },
  columns: (doc) => ({ slug: String(doc.slug) }),
  present: (row, { baseUrl }) => {
    const spec = row.spec as Input;
    return { url: statusPageUrl(baseUrl, { id: row.id, slug: spec.slug, visibility: spec.visibility }) };
  },
};
