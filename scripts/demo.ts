// npm run demo — migrate, seed and serve. Without DATABASE_URL the data lives in an embedded
// PostgreSQL (PGlite) under .data/, kept between runs.
import { hashPassword } from '#app/auth/password.server';
import { openDatabase } from '#app/db.server';
import { env } from '#app/env.server';
import { logger } from '#app/logger.server';
import { migratePostgres } from '#db/migrate';
import { demoTenants, DEMO_PASSWORD, seedDemo } from '#tenants/demo';
import { startServer } from '../server';

const e = env();
if (e.DATABASE_URL) await migratePostgres(e.DATABASE_OWNER_URL ?? e.DATABASE_URL);
const { db, kind } = await openDatabase();
const { created } = await seedDemo(db, hashPassword);
await startServer();

const signIns = demoTenants.flatMap((t) => t.staff.map((s) => `  ${s.email.padEnd(36)} ${t.slug.padEnd(26)} ${s.roles.join(', ')}`));
console.log(
  [
    '',
    `Delovod is running at ${e.PUBLIC_URL}  (database: ${kind === 'pglite' ? `embedded, ${e.PGLITE_DIR}` : 'PostgreSQL'})`,
    created.length ? `Created demo tenants: ${created.join(', ')}` : 'Reusing the demo data from the previous run.',
    '',
    `Demo sign-ins (password for all: ${DEMO_PASSWORD}):`,
    ...signIns,
    '',
  ].join('\n'),
);
logger.info({ url: e.PUBLIC_URL }, 'demo ready');
