/**
 * The console's paths, in preact-iso's pattern syntax. The server answers each with the console's
 * page (so a link or a reload lands on the view); the console's router maps them to views.
 */
export const consolePaths = ['/', '/map', '/incidents', '/incidents/:id', '/monitors/:id', '/sla', '/teams/:id', '/overview', '/status-pages', '/status-pages/:id'] as const;
