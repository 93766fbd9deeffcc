/** @type {import('@remix-run/dev').AppConfig} */
export default {
  // Unit tests and server-side modules sit beside routes; only route modules are routes.
  ignoredRouteFiles: ['**/.*', '**/*.test.{ts,tsx}', '**/*.server.{ts,tsx}'],
  serverModuleFormat: 'esm',
  serverPlatform: 'node',
  // mathjs's entry makes every one of its functions when it is imported (about 0.5 s of each web
  // process's start); bundled, esbuild keeps only the arithmetic the expressions use (expressions.ts).
  serverDependenciesToBundle: [/^mathjs/],
  // The server build bundles these too: \`npm run dev\` rebuilds and restarts when they change.
  watchPaths: ['db', 'tenants', 'jobs'],
  // The v3 flags the classic compiler accepts; v3_routeConfig is Vite-only (ADR 002).
  // Lazy route discovery stays off (ADR 013): the browser loads the whole route manifest once
  // (an immutable, cached file) instead of the server matching every parent path of each page
  // to send a partial one, which cost the inbox 13 % of its CPU (npm run bench:ab). React
  // Router 7 keeps the same choice as `routeDiscovery: { mode: 'initial' }`.
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
    v3_lazyRouteDiscovery: false,
  },
};
