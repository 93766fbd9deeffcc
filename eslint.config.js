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

// Links go through app/ui/link.tsx: the same markup and navigation as Remix's, without its
// dozen hooks per link on every render.
const remixLinks = {
  paths: [{ name: '@remix-run/react', importNames: ['Link', 'NavLink'], message: 'Use Link and NavLink from app/ui/link.tsx.' }],
};

export default tseslint.config(
  { ignores: ['build/**', 'public/build/**', 'node_modules/**', '.data/**', '.cache/**', 'coverage/**', 'bench-results/**'] },
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
    // The test that compares the two renders Remix's.
    ignores: ['app/ui/link.test.tsx'],
    rules: { 'no-restricted-imports': ['error', remixLinks] },
  },
  {
    files: ['app/**/*.{ts,tsx}'],
    ignores: ['app/**/*.server.{ts,tsx}', 'app/routes/**', 'app/**/*.test.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { ...serverOnlyImports, ...remixLinks }] },
  },
);
