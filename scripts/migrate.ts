// npm run db:migrate — migrates DATABASE_OWNER_URL (or DATABASE_URL), else the embedded PGlite.
import { openEmbedded } from '#db/client';
import { migratePostgres } from '#db/migrate';
import { env } from '#app/env.server';

const e = env();
const ownerUrl = e.DATABASE_OWNER_URL ?? e.DATABASE_URL;
if (ownerUrl) {
  await migratePostgres(ownerUrl);
  console.log('Migrated the PostgreSQL database.');
} else {
  const handle = await openEmbedded(e.PGLITE_DIR);
  await handle.close();
  console.log(`Migrated the embedded database in ${e.PGLITE_DIR}.`);
}
