// How long approving a signup takes for a body with 500 staff: the tenant, its units, 501
// memberships and accounts, 500 invitations with their emails, and adoptions (public holidays are computed, not stored), in one
// transaction. A benchmark, not a test. Uses DATABASE_URL (runtime role, migrated) or an
// embedded in-memory database.
import { connectPostgres, openEmbedded } from '#db/client';
import { hashPassword } from '#app/auth/password.server';
import { seedDemo } from '#tenants/demo';
import { approveSignup } from '#tenants/review';
import { saveSignupStep, signupByToken, startSignup, submitSignup } from '#tenants/signup';
import { rowsOf } from '#db/rows';
import { sql } from 'drizzle-orm';
import { standardCatalog } from '#app/workflow/catalog/index';

const STAFF = 500;
const handle = process.env.DATABASE_URL ? connectPostgres(process.env.DATABASE_URL, { max: 4 }) : await openEmbedded('memory://');
try {
  await seedDemo(handle.db, hashPassword);
  const [reviewer] = rowsOf<{ id: string }>(await handle.db.execute(sql`select id from users where email = 'petar.nikolic@ite.test'`));
  const keys = standardCatalog.map((t) => t.key);
  const run = Date.now().toString(36);
  const units = [{ code: 'OU', name: 'Општинска управа' }, ...Array.from({ length: 9 }, (_, i) => ({ code: `O${i + 1}`, name: `Одељење ${i + 1}`, parentCode: 'OU' }))];
  const staff = Array.from({ length: STAFF }, (_, i) => ({
    email: `person${i}.${run}@bench.test`,
    fullName: `Запослени ${i}`,
    position: 'Референт',
    unitCode: `O${(i % 9) + 1}`,
    roles: ['employee'],
  }));
  const { signup, token } = await startSignup(handle.db, keys);
  await saveSignupStep(handle.db, signup, {
    step: 'review',
    answers: {
      body: { kind: 'municipality', nameCyrl: 'Општина Клупе', maticniBroj: '07250118', pib: '100991123', address: 'Трг 1' },
      admin: { fullName: 'Админ', position: 'Администратор', email: `admin.${run}@bench.test` },
      units,
      staff,
      templates: keys,
    },
    columns: { maticniBroj: '07250118', pib: '100991123', nameCyrl: 'Општина Клупе', contactEmail: `admin.${run}@bench.test` },
  });
  const submitted = await submitSignup(handle.db, (await signupByToken(handle.db, token))!);
  if (!submitted.ok) throw new Error('the bench body is already on this database; use a fresh one');
  const started = process.hrtime.bigint();
  const result = await approveSignup(handle.db, {
    signupId: signup.id,
    slug: `klupe-${run}`,
    reviewer: { userId: reviewer.id, ip: null, userAgent: 'bench' },
    catalogKeys: keys,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (!result.ok) throw new Error(`approval failed: ${result.reason}`);
  console.log(`provisioned a tenant with ${STAFF} staff, ${units.length} units and ${result.adopted.length} adopted templates in ${ms.toFixed(0)} ms (${handle.kind})`);
} finally {
  await handle.close();
}
