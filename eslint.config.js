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

// An action reads its form through one zod schema (app/framework/form.server.ts, ADR 019): reading
// the request's form itself, or dispatching on a raw `intent`, would go round it — and an unknown
// intent would again fall through to a default, a no-op or a 500.
export const rawFormReads = [
  {
    selector: "CallExpression[callee.property.name='formData'][arguments.length=0]",
    message: 'Read an action’s form with parseForm or parseFields (app/framework/form.server.ts): one zod schema, a discriminated union on intent.',
  },
  {
    selector: "CallExpression[callee.property.name=/^(get|getAll|has)$/][arguments.0.value='intent']",
    message: 'Parse `intent` with the form’s zod schema (parseForm or parseFields of app/framework/form.server.ts), not by reading the field.',
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
  {
    files: ['app/**/*.{ts,tsx}', 'tenants/**/*.ts'],
    ignores: ['app/framework/form.server.ts', 'app/security/input.server.ts', '**/*.test.{ts,tsx}'],
    rules: { 'no-restricted-syntax': ['error', ...rawOutboxInserts, ...rawFormReads] },
  },
);
