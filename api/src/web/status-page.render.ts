import { h, type ComponentChild } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { StatusPageSummary } from '../contract/status-page.schema.ts';
import { StatusPageBody } from './console/components/status-page.component.ts';

/** Where the public page's stylesheet is served (the console's view of a page links the same one). */
export const statusStylesheetPath = '/status-assets/status.css';

// Every text goes through preact's renderer, which escapes it; nothing is concatenated into the HTML
// but the fixed frame below.
function documentOf(title: string, body: ComponentChild): string {
  const html = renderToString(
    h(
      'html',
      { lang: 'en' },
      h('head', null, h('meta', { charSet: 'utf-8' }), h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }), h('title', null, title), h('link', { rel: 'stylesheet', href: statusStylesheetPath })),
      h('body', { class: 'sp-page' }, h('main', { id: 'main' }, body), h('footer', { class: 'sp-footer' }, h('p', null, 'Status page served by Pharos.'))),
    ),
  );
  return `<!doctype html>\n${html}`;
}

/** The public status page as HTML (no script: it reads the same with JavaScript off). */
export function renderStatusPage(summary: StatusPageSummary): string {
  return documentOf(`${summary.page.title}: ${summary.status.description}`, StatusPageBody({ summary }));
}

/** What /status/{slug} answers for a slug with no public page, whether or not an internal page has it. */
export function renderStatusPageNotFound(): string {
  return documentOf('Status page not found', h('div', { class: 'sp' }, h('h1', null, 'Status page not found'), h('p', null, 'There is no public status page at this address. Check the link you were given.')));
}
