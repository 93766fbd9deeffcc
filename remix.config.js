/** @type {import('@remix-run/dev').AppConfig} */
export default {
  // Unit tests and server-side modules sit beside routes; only route modules are routes.
  ignoredRouteFiles: ['**/.*', '**/*.test.{ts,tsx}', '**/*.server.{ts,tsx}'],
  serverModuleFormat: 'esm',
  serverPlatform: 'node',
  serverDependenciesToBundle: [],
  // The server build bundles these too: \`npm run dev\` rebuilds and restarts when they change.
  watchPaths: ['db', 'tenants', 'jobs'],
  // Every v3 flag the classic compiler accepts; v3_routeConfig is Vite-only (ADR 002).
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
    v3_lazyRouteDiscovery: true,
  },
};
