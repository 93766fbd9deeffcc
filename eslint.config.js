import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Code that can reach the browser bundle must not import the server's layers. The classic
// Remix compiler does not enforce this, so the linter does (DESIGN §2).
export const serverOnlyImports = {
  patterns: [
    {
      regex: '^(#(db|jobs|tenants)/|(\\.\\./)+(db|jobs|tenants)/)',
      message: 'Only *.server.ts modules and route loaders/actions may import db/, jobs/ or tenants/.',
    },
  ],
};

// Jobs are requested through the typed outbox only (jobs/kinds.ts, `enqueue`): a raw insert of an
// outbox row, with its job name as a plain string, is refused everywhere else.
const outboxInsert = /insert\s+into\s+("?public"?\.)?"?outbox\b/i;
export const rawOutboxInserts = [
  {
    selector: "CallExpression[callee.property.name='insert'][arguments.0.name='outbox']",
    message: 'Request jobs with enqueue(tx, { name, payload }) from #jobs/kinds, not by inserting outbox rows.',
  },
  {
    selector: `TemplateElement[value.raw=${outboxInsert}]`,
    message: 'Request jobs with enqueue(tx, { name, payload }) from #jobs/kinds, not by inserting outbox rows in SQL.',
  },
  {
    selector: `Literal[value=${outboxInsert}]`,
    message: 'Request jobs with enqueue(tx, { name, payload }) from #jobs/kinds, not by inserting outbox rows in SQL.',
  },
];

export default tseslint.config(
  { ignores: ['build/**', 'public/build/**', 'scripts/bench/floor/build/**', 'scripts/bench/floor/public/**', 'node_modules/**', '.data/**', '.cache/**', 'coverage/**', 'bench-results/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['app/**/*.{ts,tsx}'],
    ignores: ['app/**/*.server.{ts,tsx}', 'app/routes/**', 'app/**/*.test.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', serverOnlyImports] },
  },
  {
    files: ['**/*.{ts,tsx,js}'],
    ignores: ['jobs/kinds.ts', 'tests/lint-boundaries.test.ts'],
    rules: { 'no-restricted-syntax': ['error', ...rawOutboxInserts] },
  },
);
