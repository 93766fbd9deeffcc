import type { TestProject } from 'vitest/node';
import { migratePostgres } from '#db/migrate';
import { admin, OWNER_ROLE, templateName, urlFor } from './pg';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

/** Migrates one template database per migration set (reused across runs) for the test files to clone. */
export default async function setup(project: TestProject) {
  const template = templateName();
  const sql = admin();
  try {
    // Serialises concurrent test runs on one machine while the template is made.
    await sql`select pg_advisory_lock(7216)`;
    const [role] = await sql`select 1 from pg_roles where rolname = ${OWNER_ROLE}`;
    // The owner that migrates: may create the runtime role, is neither superuser nor BYPASSRLS.
    if (!role) await sql.unsafe(`CREATE ROLE ${OWNER_ROLE} LOGIN CREATEROLE NOSUPERUSER NOBYPASSRLS`);
    const [exists] = await sql`select 1 from pg_database where datname = ${template}`;
    if (!exists) {
      const building = `${template}_building`;
      await sql.unsafe(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      await sql.unsafe(`CREATE DATABASE ${building} OWNER ${OWNER_ROLE}`);
      await migratePostgres(urlFor(building, OWNER_ROLE));
      await sql.unsafe(`ALTER DATABASE ${building} RENAME TO ${template}`);
    }
    await sql`select pg_advisory_unlock(7216)`;
  } finally {
    await sql.end();
  }
  project.provide('templateDatabase', template);
}
