import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

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
    include: ['app/**/*.test.{ts,tsx}', 'db/**/*.test.ts', 'jobs/**/*.test.ts', 'tenants/**/*.test.ts', 'tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
