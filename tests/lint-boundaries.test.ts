import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function violations(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('server-only import boundary', () => {
  it('refuses db/, jobs/ and tenants/ in modules that reach the browser', async () => {
    expect(await violations("import { users } from '#db/schema';\nexport const x = users;\n", 'app/ui/widget.tsx')).toHaveLength(1);
    expect(await violations("import { seedDemo } from '../../tenants/demo';\nexport const x = seedDemo;\n", 'app/workflow/engine.ts')).toHaveLength(1);
  });

  it('allows them in *.server.ts modules and route modules', async () => {
    expect(await violations("import { users } from '#db/schema';\nexport const x = users;\n", 'app/auth/thing.server.ts')).toEqual([]);
    expect(await violations("import { users } from '#db/schema';\nexport const x = users;\n", 'app/routes/t.$tenant.inbox.tsx')).toEqual([]);
  });
});

describe('the typed outbox', () => {
  async function outboxViolations(code: string, filePath: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath });
    return result.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
  }

  it('refuses a raw outbox insert, through drizzle or in SQL, anywhere but jobs/kinds.ts', async () => {
    const drizzle = "import { outbox } from '#db/schema';\nexport const f = (tx: any) => tx.insert(outbox).values({ tenantId: 'x', job: 'email.notification', payload: {} });\n";
    const raw = "import { sql } from 'drizzle-orm';\nexport const f = (tx: any) => tx.execute(sql`INSERT INTO public.outbox (tenant_id, job, payload) values (1, 2, 3)`);\n";
    const literal = "export const q = 'insert into outbox (job) values ($1)';\n";
    for (const file of ['app/reports/reports.server.ts', 'tenants/signup.ts', 'jobs/definitions/reports.ts', 'scripts/bench/jobs.ts']) {
      expect(await outboxViolations(drizzle, file)).toHaveLength(1);
      expect(await outboxViolations(raw, file)).toHaveLength(1);
      expect(await outboxViolations(literal, file)).toHaveLength(1);
    }
    expect(await outboxViolations(drizzle, 'jobs/kinds.ts')).toEqual([]);
  });

  it('lets the outbox be read and other tables be written', async () => {
    const fine = "import { outbox, reports } from '#db/schema';\nexport const f = (tx: any) => [tx.select().from(outbox), tx.insert(reports).values({})];\n";
    expect(await outboxViolations(fine, 'app/reports/reports.server.ts')).toEqual([]);
  });
});

describe('zod in the browser bundle', () => {
  // The named `z` made esbuild ship every one of zod's languages to every page (eslint.config.js).
  it('refuses the named z export of zod in every kind of module, and takes the namespace import', async () => {
    const lint = async (code: string, filePath: string) => (await eslint.lintText(code, { filePath }))[0].messages.filter((m) => /import \* as z from 'zod'/.test(m.message));
    for (const file of ['app/routes/t.$tenant.inbox.tsx', 'app/ui/widget.tsx', 'app/auth/thing.server.ts', 'jobs/definitions/reports.ts', 'tenants/signup.ts']) {
      expect(await lint("import { z } from 'zod';\nexport const s = z.string();\n", file)).toHaveLength(1);
      expect(await lint("import * as z from 'zod';\nexport const s = z.string();\n", file)).toEqual([]);
    }
  });
});

describe('modules imported for their side effects', () => {
  // package.json declares the project's modules free of side effects (its "sideEffects" lists the
  // exceptions), so esbuild drops a module none of whose exports is used, in the browser's build and
  // the server's: a module imported only to run (`import './x'`) would silently not run. (The
  // server's esbuild makes such an import an error, `--log-override:ignored-bare-import=error`;
  // the Remix compiler keeps its warnings to itself.)
  it('are each listed in package.json’s sideEffects, as the file the import resolves to', () => {
    const { sideEffects: declared, imports: aliases } = JSON.parse(readFileSync('package.json', 'utf8')) as { sideEffects: string[]; imports: Record<string, string> };
    const resolve = (from: string, target: string): string => {
      const alias = Object.entries(aliases).find(([key]) => target.startsWith(key.replace('*', '')));
      const base = alias ? alias[1].replace('*', target.slice(alias[0].length - 1)) : `./${join(dirname(from), target)}`;
      const found = ['', '.ts', '.tsx', '/index.ts', '/index.tsx'].map((ext) => `${base}${ext}`).find((f) => existsSync(f) && statSync(f).isFile());
      if (!found) throw new Error(`${from}: cannot resolve ${target}`);
      return found;
    };
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', 'app', 'db', 'jobs', 'tenants', 'server.ts'], { encoding: 'utf8' })
      .split('\n')
      .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f));
    const bare: string[] = [];
    for (const file of files) {
      for (const [, target] of readFileSync(file, 'utf8').matchAll(/^\s*import\s+['"]((?:\.|#)[^'"]+)['"]/gm)) bare.push(resolve(file, target));
    }
    expect(bare).toContain('./app/ui/zod-in-browser.ts');
    expect(bare.filter((f) => !declared.includes(f) && !(f.endsWith('.css') && declared.includes('*.css')))).toEqual([]);
  });
});

// The bounded contexts and their order are declared in .dependency-cruiser.mjs; what breaks the
// order is read by dependency-cruiser from the real imports of the tree.
describe('the import graph between contexts', () => {
  interface Violation {
    from: string;
    to: string;
    rule: { name: string };
  }
  const cruise = (): { summary: { error: number; ignore: number; violations: Violation[] } } =>
    JSON.parse(
      execFileSync('node_modules/.bin/depcruise', ['app', 'db', 'jobs', 'tenants', '--config', '.dependency-cruiser.mjs', '--ignore-known', '--output-type', 'json'], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      }),
    );
  const known: Violation[] = JSON.parse(readFileSync('.dependency-cruiser-known-violations.json', 'utf8'));

  it('has no edge from a context to one above it but the known ones, and each known one is still there', () => {
    const { summary } = cruise();
    const edge = (v: Violation) => `${v.rule.name}: ${v.from} → ${v.to}`;
    expect(summary.violations.map(edge).sort()).toEqual(known.map(edge).sort());
    expect(summary.error).toBe(0);
  }, 120_000);
});

describe('one formatter for numbers, amounts and dates', () => {
  async function formatterViolations(code: string, filePath: string): Promise<number> {
    const [result] = await eslint.lintText(code, { filePath });
    return result.messages.filter((m) => m.ruleId === 'no-restricted-syntax' && m.message.includes('app/i18n/format.ts')).length;
  }
  const stray = [
    'export const a = (n: number) => n.toLocaleString("sr");\n',
    'export const b = (d: Date) => d.toLocaleDateString("sr");\n',
    'export const c = new Intl.NumberFormat("sr").format(1);\n',
    'export const d = new Intl.DateTimeFormat("sr").format(new Date());\n',
  ];

  it('refuses a formatter of its own in pages, components, PDFs, emails and the domain', async () => {
    for (const file of ['app/routes/t.$tenant.reports.tsx', 'app/ui/widget.tsx', 'app/workflow/documents/pdf.server.ts', 'jobs/email/texts.ts', 'tenants/signup.ts']) {
      for (const code of stray) expect(await formatterViolations(code, file), `${file}: ${code}`).toBe(1);
    }
    expect(await formatterViolations('export const e = (n: number) => n.toFixed(2);\n', 'app/routes/national.reports.tsx')).toBe(1);
  });

  it('leaves it to the formatter module, and an exact decimal its own toFixed outside rendering', async () => {
    for (const code of stray) expect(await formatterViolations(code, 'app/i18n/format.ts')).toBe(0);
    expect(await formatterViolations('export const e = (d: { toFixed(n: number): string }) => d.toFixed(2);\n', 'app/workflow/engine/card.server.ts')).toBe(0);
  });
});

// Issue 23: every action reads its form through one zod schema (app/framework/form.server.ts).
// Its cases lint a route module's and the wizard's own paths, so the rule reaches them;
// that every module of the tree keeps it is `npm run lint`'s to say (npm test and CI run it).
describe('one way to read a form', () => {
  async function formViolations(code: string, filePath: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath });
    return result.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
  }

  it('refuses an action that reads its form itself or dispatches on a raw intent', async () => {
    const raw = "export async function action({ request }: { request: Request }) {\n  const form = await request.formData();\n  return form.get('intent') === 'save' ? 1 : 2;\n}\n";
    const aliased = "export const intentOf = (fd: FormData) => fd.getAll('intent');\n";
    for (const file of ['app/routes/t.$tenant.admin.units.tsx', 'app/routes/national.templates.$key.v.$version.server.ts', 'app/api/clients.server.ts', 'tenants/wizard.server.ts']) {
      expect(await formViolations(raw, file), file).toHaveLength(2);
      expect(await formViolations(aliased, file), file).toHaveLength(1);
    }
    expect(await formViolations(raw, 'app/framework/form.server.ts')).toEqual([]);
  });

  it('lets an action parse its form with its schema', async () => {
    const parsed = "import { parseForm } from '../framework/form.server';\nimport * as z from 'zod';\nconst schema = z.discriminatedUnion('intent', [z.object({ intent: z.literal('a') })]);\nexport const action = async ({ request }: { request: Request }) => (await parseForm(request, schema)).status;\n";
    expect(await formViolations(parsed, 'app/routes/t.$tenant.admin.units.tsx')).toEqual([]);
  });
});
