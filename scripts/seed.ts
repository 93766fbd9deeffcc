// npm run db:seed — adds the demo tenants and staff where they are missing.
import { hashPassword } from '#app/auth/password.server';
import { closeDatabase, openDatabase } from '#app/db.server';
import { seedDemo } from '#tenants/demo';

const { db } = await openDatabase();
const { created, catalog } = await seedDemo(db, hashPassword);
console.log(created.length ? `Seeded: ${created.join(', ')}` : 'Demo data already present.');
// Catalog sync: standard template versions this database did not have yet (adopters move to
// them by upgrading, or when the national office sets an adopt-by date).
if (catalog.published.length) console.log(`Published standard template versions: ${catalog.published.join(', ')}`);
if (catalog.taken.length) console.warn(`Not published, the version number is a national office draft: ${catalog.taken.join(', ')}`);
await closeDatabase();
