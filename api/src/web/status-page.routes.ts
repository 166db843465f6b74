import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { PharosError } from '../contract/errors.ts';
import { StatusPageSummary } from '../contract/status-page.schema.ts';
import type { Principal } from '../auth/principal.ts';
import { defineRoute, type AnyRoute, type HandlerResult } from '../http/route.ts';
import { IdParams } from '../modules/resources/crud.routes.ts';
import type { ComputedSummary, StatusPageSummaryService } from '../modules/status-pages/status-page-summary.service.ts';
import { consoleSecurityHeaderValues } from './console.router.ts';
import { renderStatusPage, renderStatusPageNotFound, statusStylesheetPath } from './status-page.render.ts';

// Any string: a slug that is not valid answers the same 404 as an unknown one (not a 422 that would
// tell a reader something about the address space).
const SlugParams = Type.Object({ slug: Type.String({ description: 'The page\'s slug, as in its url.' }) });
const slugPattern = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

const html = 'text/html; charset=utf-8';
const publicCache = 'public, max-age=30';
/** Rendered pages kept (one per page whose summary is current, in practice). */
const RENDERED_MAX = 100;

/** No public page here: one answer for unknown slugs and internal pages alike, so an internal page's existence does not show. */
const noPublicPage = () => new PharosError('not_found', 'No public status page has this address; check the link, or sign in to the console for internal pages.');

/** Whether the client asked for HTML (a browser following a link does). */
function wantsHtml(headers: Record<string, string | string[] | undefined>): boolean {
  const accept = headers.accept;
  return /\btext\/html\b/i.test(Array.isArray(accept) ? accept.join(',') : (accept ?? ''));
}

/** 304 when the client's If-None-Match names the current summary. */
function notModified(headers: Record<string, string | string[] | undefined>, etag: string): boolean {
  const header = headers['if-none-match'];
  const values = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((v) => v.trim().replace(/^W\//, ''));
  return values.includes(etag) || values.includes('*');
}

function summaryResponse(found: ComputedSummary, headers: Record<string, string | string[] | undefined>, extra: Record<string, string>): HandlerResult {
  const all = { ETag: found.etag, ...extra };
  return notModified(headers, found.etag) ? { status: 304, headers: all } : { status: 200, body: found.summary, headers: all };
}

/**
 * The status pages' reader side: the public page (HTML, no script) and its JSON summary for anyone,
 * the summary of any page for signed-in principals who may read it, and the page's stylesheet.
 */
export function statusPageRoutes(summaries: StatusPageSummaryService): AnyRoute[] {
  const stylesheet = readFileSync(join(import.meta.dirname, 'status-page.css'), 'utf8');
  const find = (slug: string) => (slugPattern.test(slug) && slug.length <= 63 ? summaries.publicSummary(slug) : Promise.resolve(undefined));
  // Rendering costs far more than serving (tens of ms for 10 components × 90 days): a page is
  // rendered once per computed summary (named by its ETag), bounded to the most recent ones.
  const rendered = new Map<string, string>();
  const htmlOf = (found: ComputedSummary): string => {
    let html = rendered.get(found.etag);
    if (html === undefined) {
      html = renderStatusPage(found.summary);
      rendered.set(found.etag, html);
      for (const key of rendered.keys()) {
        if (rendered.size <= RENDERED_MAX) break;
        rendered.delete(key);
      }
    }
    return html;
  };
  return [
    defineRoute({
      method: 'get', path: '/status/{slug}', operationId: 'public_status_page', summary: 'A public status page (HTML, no sign-in)', tag: 'Status pages', auth: 'public',
      params: SlugParams,
      responses: {
        200: { description: 'The page: overall status, components with daily uptime bars, open incidents and maintenance with their public updates, past incidents.', contentType: 'text/html' },
        404: { description: 'No public page has this slug (internal pages answer the same): an HTML page when the request accepts text/html (browsers), else problem+json.', contentType: 'text/html' },
      },
      handle: async (req) => {
        const found = await find(req.params.slug);
        if (!found) {
          // Browsers (they ask for text/html) get a page; API clients the problem+json every other route answers.
          if (!wantsHtml(req.headers)) throw noPublicPage();
          return { status: 404, body: renderStatusPageNotFound(), contentType: html, headers: { ...consoleSecurityHeaderValues, 'Cache-Control': 'no-store' } };
        }
        const headers = { ...consoleSecurityHeaderValues, 'Cache-Control': publicCache, ETag: found.etag };
        if (notModified(req.headers, found.etag)) return { status: 304, headers };
        return { status: 200, body: htmlOf(found), contentType: html, headers };
      },
    }),
    defineRoute({
      method: 'get', path: '/status/{slug}/summary.json', operationId: 'public_status_page_summary', summary: 'A public status page\'s summary as JSON (no sign-in; CORS open, for embedding)', tag: 'Status pages', auth: 'public',
      params: SlugParams,
      responses: { 200: { description: 'Everything the page shows and nothing more; Cache-Control: public, max-age=30, an ETag (If-None-Match answers 304) and Access-Control-Allow-Origin: *.', schema: StatusPageSummary } },
      handle: async (req) => {
        const found = await find(req.params.slug);
        if (!found) throw noPublicPage();
        return summaryResponse(found, req.headers, { 'Cache-Control': publicCache, 'Access-Control-Allow-Origin': '*', 'X-Content-Type-Options': 'nosniff' });
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/status-pages/{id}/summary', operationId: 'get_status_page_summary', summary: 'What a status page shows its readers (any visibility; internal pages are read this way)', tag: 'Status pages', auth: 'principal',
      params: IdParams,
      responses: { 200: { description: 'The page\'s summary, as /status/{slug}/summary.json answers for a public page.', schema: StatusPageSummary } },
      handle: async (req) => summaryResponse(await summaries.summaryFor(req.principal as Principal, req.params.id), req.headers, { 'Cache-Control': 'private, no-cache' }),
    }),
    defineRoute({
      method: 'get', path: statusStylesheetPath, operationId: 'status_page_stylesheet', summary: 'The status pages\' stylesheet', tag: 'Status pages', auth: 'public',
      responses: { 200: { description: 'CSS.', contentType: 'text/css' } },
      handle: async () => ({ status: 200, body: stylesheet, contentType: 'text/css; charset=utf-8', headers: { 'Cache-Control': 'public, max-age=300', 'X-Content-Type-Options': 'nosniff' } }),
    }),
  ];
}
