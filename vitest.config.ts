import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The test layers (README § Development loop): `unit` needs PostgreSQL and Redis but no build and
// runs alone in under two minutes (`npm run test:fast`); `http` and `e2e` run the built server
// (and Chromium); `system` runs whole commands and processes (the demo, the scale seed, the
// bench, the outbox through Redis outages). `npm test` runs them all.
const slowJobs = ['jobs/jobs.test.ts', 'jobs/webhooks/webhooks.test.ts'];

// Checks of the project's own files (imports, dependencies): quick, no services; in the unit layer.
const projectChecks = ['tests/lint-boundaries.test.ts', 'tests/dependency-engines.test.ts'];

const unitFiles = ['app/**/*.test.{ts,tsx}', 'db/**/*.test.ts', 'jobs/**/*.test.ts', 'tenants/**/*.test.ts', ...projectChecks];

// A worker runs one file after another in the same process (`isolate: false`): the modules a file
// imports (the domain, drizzle, mathjs …) load once per worker instead of once per file, which
// was about two thirds of the fast layer's time. Each file still gets its own database and server.
// A file that changes the process's environment (which env() reads once) keeps a process of its
// own in the layer's `:isolated` project, so the change can neither leak into the files after it
// nor come after env() has been read.
function layer(name: string, include: string[], { exclude = [] as string[], ownProcess = [] as string[] } = {}): TestProjectInlineConfiguration[] {
  return [
    { extends: true as const, test: { name, include, exclude: [...exclude, ...ownProcess], isolate: false, setupFiles: ['tests/support/shared-process.ts'] } },
    ...(ownProcess.length ? [{ extends: true as const, test: { name: `${name}:isolated`, include: ownProcess } }] : []),
  ];
}

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
      ...layer('unit', unitFiles, { exclude: slowJobs, ownProcess: ['jobs/webhooks/address-guard.test.ts'] }),
      ...layer('http', ['tests/http/**/*.test.ts'], { ownProcess: ['tests/http/sealing-configured.test.ts', 'tests/http/webhooks-admin.test.ts'] }),
      ...layer('e2e', ['tests/e2e/**/*.test.ts']),
      ...layer('system', ['tests/*.test.ts', 'tests/system/**/*.test.ts', ...slowJobs], { exclude: projectChecks, ownProcess: ['jobs/webhooks/webhooks.test.ts'] }),
    ],
  },
});
