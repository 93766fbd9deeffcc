// `npm run verify-audit`: an intact chain passes; a stored event altered behind the app's back
// (by a superuser, the only one who can) is found, with the first broken link.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '#app/auth/password.server';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { seedDemo } from '#tenants/demo';
import { adminUrl, createTestDatabase, type TestDatabase } from '#tests/support/pg';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../', import.meta.url));
let database: TestDatabase;
let app: DatabaseHandle;

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  app = connectPostgres(database.appUrl, { max: 2 });
  await seedDemo(app.db, hashPassword);
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

async function verify(...slugs: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/verify-audit.ts', ...slugs], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: database.appUrl, LOG_LEVEL: 'silent' },
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('verify-audit', () => {
  it('passes intact chains', async () => {
    const { code, out } = await verify();
    expect(code).toBe(0);
    expect(out).toMatch(/surdulica: intact \(\d+ events\)/);
  });

  it('finds a tampered event and names the first broken link', async () => {
    const url = new URL(adminUrl);
    url.pathname = `/${database.name}`;
    const su = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      await su.begin(async (tx) => {
        await tx`alter table audit_events disable trigger audit_events_append_only`;
        await tx`update audit_events set data = jsonb_set(data, '{staff}', '99')
          where seq = 1 and tenant_id = (select id from tenants where slug = 'surdulica')`;
        await tx`alter table audit_events enable trigger audit_events_append_only`;
      });
    } finally {
      await su.end();
    }
    const { code, out } = await verify('surdulica', 'business-registers-agency');
    expect(code).toBe(1);
    expect(out).toContain('surdulica: BROKEN at event 1 (hash)');
    expect(out).toMatch(/business-registers-agency: intact/);
  });
});
