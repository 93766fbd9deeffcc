// The framework floor of `npm run bench`: a Remix app of its own, built and served by the bench
// (scripts/bench/floor/server.ts), never part of the product. Same compiler settings as the app.
/** @type {import('@remix-run/dev').AppConfig} */
export default {
  serverModuleFormat: 'esm',
  serverPlatform: 'node',
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
    v3_lazyRouteDiscovery: false,
  },
};
