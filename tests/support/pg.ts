// Test databases on the machine's PostgreSQL: one migrated template per migration set, and a
// fresh clone of it per test file, so files run in parallel without seeing each other.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import postgres from 'postgres';
import { migrationsFolder } from '#db/migrate';

export const adminUrl = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const OWNER_ROLE = 'delovod_owner';

export function urlFor(database: string, role: string): string {
  const url = new URL(adminUrl);
  url.username = role;
  url.password = '';
  url.pathname = `/${database}`;
  return url.toString();
}

export function templateName(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(migrationsFolder, { recursive: true }).map(String).sort()) {
    if (file.endsWith('.sql') || file.endsWith('.json')) hash.update(file).update(readFileSync(`${migrationsFolder}/${file}`));
  }
  return `delovod_tpl_${hash.digest('hex').slice(0, 12)}`;
}

export function admin() {
  return postgres(adminUrl, { max: 1, onnotice: () => {} });
}

export interface TestDatabase {
  name: string;
  ownerUrl: string;
  appUrl: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(template: string): Promise<TestDatabase> {
  const name = `delovod_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const sql = admin();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await sql.unsafe(`CREATE DATABASE ${name} TEMPLATE ${template} OWNER ${OWNER_ROLE}`);
        break;
      } catch (error) {
        // Two clones of one template at the same instant collide; the second simply retries.
        if (attempt > 20 || !String(error).includes('being accessed by other users')) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await sql.end();
  }
  return {
    name,
    ownerUrl: urlFor(name, OWNER_ROLE),
    appUrl: urlFor(name, 'delovod_app'),
    async drop() {
      const s = admin();
      try {
        await s.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await s.end();
      }
    },
  };
}
