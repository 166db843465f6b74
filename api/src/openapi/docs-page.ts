import express, { type Router } from 'express';
import swaggerUi from 'swagger-ui-dist';

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Pharos API reference</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="reference"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

const init = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#reference', deepLinking: true, persistAuthorization: true });`;

/** /docs: an interactive reference for /openapi.json, served from the bundled swagger-ui assets (no CDN). */
export function docsRouter(): Router {
  const router = express.Router();
  router.get(['/docs', '/docs/'], (_req, res) => void res.type('html').send(page));
  router.get('/docs/init.js', (_req, res) => void res.type('application/javascript').send(init));
  router.use('/docs/assets', express.static(swaggerUi.getAbsoluteFSPath(), { index: false, maxAge: '1h' }));
  return router;
}
