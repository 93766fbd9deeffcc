// npm run db:seed — adds the demo tenants and staff where they are missing.
import { hashPassword } from '#app/auth/password.server';
import { closeDatabase, openDatabase } from '#app/db.server';
import { seedDemo } from '#tenants/demo';

const { db } = await openDatabase();
const { created } = await seedDemo(db, hashPassword);
console.log(created.length ? `Seeded: ${created.join(', ')}` : 'Demo data already present.');
await closeDatabase();
