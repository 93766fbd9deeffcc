import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePgliteDb } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgresDb } from 'drizzle-orm/postgres-js/migrator';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import postgres from 'postgres';

// Found through the package's imports map ('#db/*'): the source tree's folder whether this module
// runs from db/ or bundled into build/ (the compiled server and worker, the Remix build).
export const migrationsFolder = dirname(dirname(createRequire(import.meta.url).resolve('#db/migrations/meta/_journal.json')));

/** Migrates as the owner role (which creates the runtime role on first run). */
export async function migratePostgres(ownerUrl: string): Promise<void> {
  const client = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await migratePostgresDb(drizzlePostgres(client), { migrationsFolder });
  } finally {
    await client.end({ timeout: 5 });
  }
}

export async function migratePglite(client: PGlite): Promise<void> {
  await migratePgliteDb(drizzlePglite(client), { migrationsFolder });
}
