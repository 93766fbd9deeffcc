// The bounded contexts of Delovod, by folder, from the bottom up, and the one rule between them:
// a context may import its own modules and the contexts below it, never one above. With a
// strict order no two contexts can import each other, so there is no cycle between contexts.
// tests/lint-boundaries.test.ts runs this; `npm run graph` draws docs/architecture/contexts.dot.
// An edge listed in .dependency-cruiser-known-violations.json is a back-edge already there
// (each is in docs/architecture/contexts.md with what would remove it); any other fails.
import { contexts, texts } from './scripts/import-graph/contexts.mjs';

// Each module is in the first context whose path matches it (registry before documents and
// tenancy, the outbox and reports before jobs).
const notEarlier = (i) => contexts.slice(0, i).map((c) => c.path).join('|');

export default {
  forbidden: contexts.flatMap((from, i) =>
    contexts.slice(i + 1).map((to, k) => ({
      name: `${from.name}-not-${to.name}`,
      comment: `${from.name} is below ${to.name}: ${to.name} may use ${from.name}, not the other way round.`,
      severity: 'error',
      from: { path: from.path, ...(i ? { pathNot: notEarlier(i) } : {}) },
      to: { path: to.path, pathNot: [notEarlier(i + 1 + k), texts].filter(Boolean).join('|') },
    })),
  ),
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|\\.test\\.tsx?$|^tests/|^scripts/|^build/|^public/' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
