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

// Numbers, amounts, months and dates are written by app/i18n/format.ts (and the money and
// document formatters built on it) on every surface — screen, PDF, CSV, email — so one page
// never writes them two ways and the browser's hydration never disagrees with the server.
const formatterMessage = 'Write numbers, amounts and dates with app/i18n/format.ts (formatNumber, formatMonth, formatDay, formatInstant) or the document formatters.';
export const strayFormatters = [
  { selector: 'CallExpression[callee.property.name=/^toLocale(Date|Time)?String$/]', message: formatterMessage },
  { selector: "NewExpression[callee.object.name='Intl'][callee.property.name=/^(NumberFormat|DateTimeFormat)$/]", message: formatterMessage },
];
// Exact decimals (decimal.js, mathjs BigNumber) have a toFixed of their own; rendering code has no use for a float's.
export const renderingToFixed = [{ selector: "CallExpression[callee.property.name='toFixed']", message: formatterMessage }];

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

// zod is imported as a namespace (`import * as z from 'zod'`, as zod's own documentation does).
// Its named `z` export (and its default, the same object) is a namespace that esbuild (the Remix
// compiler) cannot tree-shake:
// every page's scripts carried all of zod, its 40-odd unused languages included (264 KB of 454).
export const zodAsNamespace = [
  {
    selector: "ImportDeclaration[source.value=/^zod(\\u002Fv4(\\u002Fclassic)?)?$/] > :matches(ImportSpecifier[imported.name='z'], ImportDefaultSpecifier)",
    message: "Import zod as a namespace, import * as z from 'zod': with the named z, esbuild ships every locale of zod to the browser.",
  },
];

// What every source file is held to.
const everywhere = [...rawOutboxInserts, ...zodAsNamespace];

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
    rules: { 'no-restricted-syntax': ['error', ...everywhere] },
  },
  // A later block's options replace an earlier one's for the same rule: each repeats what applies.
  {
    files: ['app/**/*.{ts,tsx}', 'jobs/**/*.ts', 'tenants/**/*.ts'],
    ignores: ['jobs/kinds.ts', '**/*.test.{ts,tsx}'],
    rules: { 'no-restricted-syntax': ['error', ...everywhere, ...strayFormatters, ...rawFormReads] },
  },
  {
    files: ['app/i18n/format.ts', 'app/time/belgrade.ts'],
    rules: { 'no-restricted-syntax': ['error', ...everywhere, ...rawFormReads] },
  },
  {
    files: ['app/framework/form.server.ts', 'app/security/input.server.ts'],
    rules: { 'no-restricted-syntax': ['error', ...everywhere, ...strayFormatters] },
  },
  {
    files: ['app/routes/**/*.{ts,tsx}', 'app/ui/**/*.{ts,tsx}', 'app/workflow/documents/**/*.ts', 'jobs/email/**/*.ts', 'app/reports/**/*.ts'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: { 'no-restricted-syntax': ['error', ...everywhere, ...strayFormatters, ...renderingToFixed, ...rawFormReads] },
  },
);
