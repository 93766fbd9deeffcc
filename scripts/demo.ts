// npm run demo — migrate, seed and serve. Without DATABASE_URL the data lives in an embedded
// PostgreSQL (PGlite) under .data/, kept between runs.
import { hashPassword } from '#app/auth/password.server';
import { openDatabase } from '#app/db.server';
import { env } from '#app/env.server';
import { logger } from '#app/logger.server';
import { migratePostgres } from '#db/migrate';
import { createMailer } from '#jobs/email/transport';
import { startInlineRunner } from '#jobs/inline';
import { demoTenants, DEMO_PASSWORD, seedDemo } from '#tenants/demo';
import { startServer } from '../server';

const e = env();
if (e.DATABASE_URL) await migratePostgres(e.DATABASE_OWNER_URL ?? e.DATABASE_URL);
const { db, kind } = await openDatabase();
const { created } = await seedDemo(db, hashPassword);
await startServer();
// Without Redis the jobs run in this process (with Redis, start `npm run worker` beside it).
if (!e.REDIS_URL) {
  const mailer = createMailer({ smtpUrl: e.SMTP_URL, mailDir: e.MAIL_DIR, from: e.EMAIL_FROM });
  startInlineRunner({ db, mailer, log: logger.child({ process: 'inline-jobs' }), now: () => new Date() });
}

const signIns = demoTenants.flatMap((t) => t.staff.map((s) => `  ${s.email.padEnd(36)} ${t.slug.padEnd(26)} ${s.roles.join(', ')}`));
console.log(
  [
    '',
    `Delovod is running at ${e.PUBLIC_URL}  (database: ${kind === 'pglite' ? `embedded, ${e.PGLITE_DIR}` : 'PostgreSQL'})`,
    `Second factor: ${e.MFA_FOR_STAFF === 'required' ? 'required of national staff and tenant administrators' : 'not required of staff roles (MFA_FOR_STAFF=optional, the demo default; in production national staff and administrators must use it)'}`,
    `Jobs: ${e.REDIS_URL ? 'BullMQ (run npm run worker)' : 'in-process'}; emails: ${e.SMTP_URL ? 'SMTP' : `.eml files in ${e.MAIL_DIR}${e.DEV_MAILBOX ? `, shown at ${e.PUBLIC_URL}/national/mail` : ''}`}`,
    created.length ? `Created demo tenants: ${created.join(', ')}` : 'Reusing the demo data from the previous run.',
    '',
    `Demo sign-ins (password for all: ${DEMO_PASSWORD}):`,
    ...signIns,
    '',
  ].join('\n'),
);
logger.info({ url: e.PUBLIC_URL }, 'demo ready');
