import express, { type Router } from 'express';

// A beam of light over a tower: Pharos's icon, drawn small enough to stay legible at 16 px.
const icon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b57d0"/><path d="M16 4l10 5-10 3-10-3z" fill="#ffd54f"/><path d="M13 12h6l2 16H11z" fill="#fff"/><path d="M12.4 17h7.2l.4 3h-8z" fill="#b3261e"/></svg>`;

/** The icon browsers ask for (/favicon.ico without a link, /favicon.svg from the console's and status pages' link). */
export function faviconRouter(): Router {
  const router = express.Router();
  router.get(['/favicon.svg', '/favicon.ico'], (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('image/svg+xml').send(icon);
  });
  return router;
}
