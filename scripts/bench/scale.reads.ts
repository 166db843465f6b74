import type { ScaleFigure } from './scale.context.ts';
import type { ScaleHttp } from './scale.http.ts';

// The fleet-wide reads of bench:scale: /v1/status and /v1/dependency-graph as an org admin sees them,
// the first page and a deep page (reached by following next_cursor), and the unpaged answer.

const PAGE = 100;
const DEEP_PAGES = Number(process.env.BENCH_SCALE_DEEP_PAGES ?? 20);

/** Times the first page, the page DEEP_PAGES cursors in, and the whole answer of one paged read. */
async function pagedRead(http: ScaleHttp, token: string, path: string, label: string, size: number, count: (body: any) => number): Promise<ScaleFigure[]> {
  const figures: ScaleFigure[] = [];
  const first = await http.call(token, 'GET', `${path}?limit=${PAGE}`);
  figures.push({ name: `${label} first page: time`, size, value: first.ms, unit: 'ms', note: `${count(first.body)} items, ${(first.bytes / 1024).toFixed(0)} KiB` });
  let cursor = first.body.next_cursor as string | undefined;
  let page = first;
  let depth = 1;
  for (; depth <= DEEP_PAGES && cursor; depth++) {
    page = await http.call(token, 'GET', `${path}?limit=${PAGE}&cursor=${encodeURIComponent(cursor)}`);
    cursor = page.body.next_cursor;
  }
  figures.push({ name: `${label} deep page: time`, size, value: page.ms, unit: 'ms', note: `page ${depth} of ${PAGE}: ${count(page.body)} items, ${(page.bytes / 1024).toFixed(0)} KiB` });
  const whole = await http.call(token, 'GET', path);
  figures.push({ name: `${label} unpaged: time`, size, value: whole.ms, unit: 'ms', note: `${count(whole.body)} items` });
  figures.push({ name: `${label} unpaged: size`, size, value: whole.bytes / 1024 / 1024, unit: 'MiB' });
  return figures;
}

/** /v1/status (pages of services with their monitors) and /v1/dependency-graph (pages of nodes with their edges). */
export async function fleetReads(http: ScaleHttp, token: string, size: number): Promise<ScaleFigure[]> {
  return [
    ...(await pagedRead(http, token, '/v1/status', '/v1/status', size, (b) => b.services.length)),
    ...(await pagedRead(http, token, '/v1/dependency-graph', '/v1/dependency-graph', size, (b) => b.nodes.length)),
  ];
}
