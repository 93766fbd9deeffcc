import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The test layers (README § Development loop): `unit` needs PostgreSQL and Redis but no build and
// runs alone in under two minutes (`npm run test:fast`); `http` and `e2e` run the built server
// (and Chromium); `system` runs whole commands and processes (the demo, the scale seed, the
// bench, the outbox through Redis outages). `npm test` runs them all.
const slowJobs = ['jobs/jobs.test.ts', 'jobs/webhooks/webhooks.test.ts'];

export default defineConfig({
  resolve: {
    alias: [
      { find: /^#app\/(.*)$/, replacement: here('./app/$1') },
      { find: /^#db\/(.*)$/, replacement: here('./db/$1') },
      { find: /^#jobs\/(.*)$/, replacement: here('./jobs/$1') },
      { find: /^#tenants\/(.*)$/, replacement: here('./tenants/$1') },
      { find: /^#tests\/(.*)$/, replacement: here('./tests/$1') },
    ],
  },
  test: {
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['app/**/*.test.{ts,tsx}', 'db/**/*.test.ts', 'jobs/**/*.test.ts', 'tenants/**/*.test.ts', 'tests/lint-boundaries.test.ts'],
          exclude: slowJobs,
        },
      },
      { extends: true, test: { name: 'http', include: ['tests/http/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'system', include: ['tests/*.test.ts', 'tests/system/**/*.test.ts', ...slowJobs], exclude: ['tests/lint-boundaries.test.ts'] },
      },
    ],
  },
});
