import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import express, { type RequestHandler, type Response, type Router } from 'express';
import { consoleDistDir } from './console.build.ts';
import { consolePaths } from './console/routes.ts';

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Pharos</title>
  <link rel="icon" href="/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/console/console.css">
  <script type="module" src="/console/console.js"></script>
</head>
<body>
  <div id="app"></div>
  <noscript>The Pharos console needs JavaScript. The REST API (/docs) and the public status pages work without it.</noscript>
</body>
</html>`;

const notBuilt = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pharos: console not built</title></head>
<body><h1>The console is not built</h1><p>Its bundle is missing from api/src/web/dist. Run <code>npm run build:console</code> (npm install and npm start do it), then reload.</p></body></html>`;

/**
 * Headers of every console response: the page may load scripts, styles and data from this server
 * only (every asset is served by Pharos itself; nothing comes from a CDN), and may not be framed.
 * Inline style attributes are allowed because the chart and graph libraries size their canvases
 * with them; inline scripts are not.
 */
export function consoleSecurityHeaders(res: Response): void {
  for (const [name, value] of Object.entries(consoleSecurityHeaderValues)) res.setHeader(name, value);
}

/** The headers consoleSecurityHeaders sets, for pages answered through the route table (the public status pages). */
export const consoleSecurityHeaderValues: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/**
 * The web console: its page at every console path and its bundle under /console/. The console is a
 * client of the public REST API only; this router serves files and holds no data.
 */
export function consoleRouter(distDir = consoleDistDir): Router {
  const router = express.Router();
  router.get([...consolePaths], (_req, res) => {
    consoleSecurityHeaders(res);
    res.setHeader('Cache-Control', 'no-cache');
    const built = existsSync(join(distDir, 'console.js'));
    res.status(built ? 200 : 503).type('html').send(built ? page : notBuilt);
  });
  router.get('/console/*path', precompressed(distDir));
  // Chunks carry a content hash in their name and never change; the entry files are revalidated.
  router.use('/console/chunks', express.static(join(distDir, 'chunks'), { index: false, immutable: true, maxAge: '365d', fallthrough: true }));
  router.use('/console', (_req, res, next) => {
    consoleSecurityHeaders(res);
    next();
  }, express.static(distDir, { index: false, maxAge: 0, fallthrough: true }));
  return router;
}

const types: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/**
 * Sends the build's brotli or gzip copy of a script or stylesheet to a browser that accepts it
 * (Vary: Accept-Encoding); anything else falls through to the static files.
 */
function precompressed(distDir: string): RequestHandler {
  return (req, res, next) => {
    const relativePath = req.path.replace(/^\/console\//, '');
    const type = types[extname(relativePath)];
    if (!type || relativePath.split('/').includes('..')) return next();
    const accepted = String(req.headers['accept-encoding'] ?? '');
    const encoding = /\bbr\b/.test(accepted) ? 'br' : /\bgzip\b/.test(accepted) ? 'gzip' : undefined;
    const file = encoding && join(distDir, `${relativePath}.${encoding === 'br' ? 'br' : 'gz'}`);
    if (!file || !existsSync(file)) return next();
    consoleSecurityHeaders(res);
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Encoding', encoding);
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('Cache-Control', relativePath.startsWith('chunks/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.sendFile(file, { dotfiles: 'deny', lastModified: true, etag: true });
  };
}
