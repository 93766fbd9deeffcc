// Every SECURITY DEFINER function checks its caller's scope itself: connected as the runtime
// role, as an attacker with the app's database credentials would be, a national operation is
// refused unless a live session of a national-office member with the right role is presented by
// its token (which the database does not keep); the worker's scans refuse a tenant's scope; a
// user's organisations cannot be read from inside a tenant's scope.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '#app/auth/password.server';
import { seedDemo } from '#tenants/demo';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import { openSession } from '#tests/support/sessions';
import { connectPostgres, type DatabaseHandle } from './client';
import { rowsOf } from './rows';

let testDb: TestDatabase;
let app: DatabaseHandle;
const ids: Record<string, string> = {};
let national = '';
let surdulica = '';

beforeAll(async () => {
  testDb = await createTestDatabase(inject('templateDatabase'));
  app = connectPostgres(testDb.appUrl, { max: 2 });
  await seedDemo(app.db, hashPassword);
  for (const r of rowsOf<{ id: string; email: string }>(await app.db.execute(sql`select id, email from users`))) ids[r.email] = r.id;
  for (const r of rowsOf<{ id: string; slug: string; kind: string }>(await app.db.execute(sql`select id, slug, kind from tenants`))) {
    if (r.kind === 'national') national = r.id;
    if (r.slug === 'surdulica') surdulica = r.id;
  }
});
afterAll(async () => {
  await app?.close();
  await testDb?.drop();
});

interface Scope {
  tenantId?: string;
  userId?: string;
  sessionToken?: string;
}

/** `statement` in one transaction with these settings, as the runtime role; the database's error code if refused. */
async function run(scope: Scope, statement: ReturnType<typeof sql>): Promise<{ ok: true; rows: unknown[] } | { ok: false; code: string; message: string }> {
  try {
    const rows = await app.db.transaction(async (tx) => {
      await tx.execute(
        sql`select set_config('app.tenant_id', ${scope.tenantId ?? ''}, true), set_config('app.user_id', ${scope.userId ?? ''}, true), set_config('app.session_token', ${scope.sessionToken ?? ''}, true)`,
      );
      return rowsOf(await tx.execute(statement));
    });
    return { ok: true, rows };
  } catch (error) {
    const e = (error as { cause?: { code?: string; message?: string } }).cause ?? (error as { code?: string; message?: string });
    return { ok: false, code: e.code ?? '', message: e.message ?? '' };
  }
}

const refused = { ok: false, code: '42501' };
const tenantExists = async (id: string) => rowsOf<{ n: number }>(await app.db.execute(sql`select count(*)::int as n from tenants where id = ${id}`))[0].n === 1;

describe('national operations refuse the runtime role', () => {
  const offboard = () => sql`select offboard_tenant(${surdulica}::uuid) as removed`;

  it('cannot delete a tenant by calling offboard_tenant() directly, with any settings short of a reviewer’s live session', async () => {
    const petar = ids['petar.nikolic@ite.test'];
    const ana = ids['ana.markovic@ite.test'];
    const milos = ids['milos.tomic@surdulica.test'];
    const [petarToken, anaToken, milosToken, expiredToken] = await Promise.all([
      openSession(app.db, petar),
      openSession(app.db, ana),
      openSession(app.db, milos),
      openSession(app.db, petar, -60_000),
    ]);
    const petarSessionId = rowsOf<{ id: string }>(await app.db.execute(sql`select id from sessions where user_id = ${petar} and expires_at > now() limit 1`))[0].id;
    const attempts: Array<[string, Scope]> = [
      ['no settings at all', {}],
      ['the national scope and the reviewer named, no token', { tenantId: national, userId: petar }],
      ['a made-up token', { tenantId: national, userId: petar, sessionToken: 'x'.repeat(43) }],
      ['the session id the database keeps, as if it were the token', { tenantId: national, userId: petar, sessionToken: petarSessionId }],
      ['an expired session of the reviewer', { tenantId: national, userId: petar, sessionToken: expiredToken }],
      ['the reviewer’s session in a tenant’s scope', { tenantId: surdulica, userId: petar, sessionToken: petarToken }],
      ['the reviewer’s session named for another user', { tenantId: national, userId: ana, sessionToken: petarToken }],
      ['a national editor (no reviewer role)', { tenantId: national, userId: ana, sessionToken: anaToken }],
      ['a tenant administrator claiming the national scope', { tenantId: national, userId: milos, sessionToken: milosToken }],
    ];
    for (const [what, scope] of attempts) {
      expect(await run(scope, offboard()), what).toMatchObject(refused);
      expect(await tenantExists(surdulica), what).toBe(true);
    }
    // Nor by deleting the row, nor by asking the offboarding role for its rights.
    expect(await run({ tenantId: national, userId: petar, sessionToken: petarToken }, sql`delete from tenants where id = ${surdulica}`)).toMatchObject({ ok: false, code: '42501' });
    expect(await run({}, sql`set role delovod_offboarding`)).toMatchObject({ ok: false });
    expect(await run({}, sql`select national_caller(array['national_reviewer'])`)).toMatchObject(refused);

    // The one way: a national reviewer's live session, presented by its token.
    const done = await run({ tenantId: national, userId: petar, sessionToken: petarToken }, offboard());
    expect(done.ok).toBe(true);
    expect((done as { rows: Array<{ removed: Record<string, number> }> }).rows[0].removed).toMatchObject({ tenants: 1 });
    expect(await tenantExists(surdulica)).toBe(false);
  });

  it('cannot read the national aggregates outside a national-office member’s session', async () => {
    const calls = [sql`select * from outbox_backlog()`, sql`select * from national_document_stats(now() - interval '1 year', now())`, sql`select national_outbox_age()`];
    const ana = ids['ana.markovic@ite.test'];
    const anaToken = await openSession(app.db, ana);
    const apr = rowsOf<{ id: string }>(await app.db.execute(sql`select id from tenants where slug = 'apr'`))[0]?.id;
    for (const call of calls) {
      expect(await run({}, call)).toMatchObject(refused);
      expect(await run({ tenantId: national, userId: ana }, call)).toMatchObject(refused);
      if (apr) expect(await run({ tenantId: apr, userId: ana, sessionToken: anaToken }, call)).toMatchObject(refused);
      expect(await run({ tenantId: national, userId: ana, sessionToken: anaToken }, call)).toMatchObject({ ok: true });
    }
  });
});

describe('the worker’s scans and the identity read', () => {
  it('refuse a tenant’s or a user’s scope, and serve the worker outside any', async () => {
    const none = sql`'{}'::uuid[]`;
    const scans = [
      sql`select * from claim_outbox(0)`,
      sql`select * from overdue_steps(now(), 3, 10)`,
      sql`select * from overdue_adoptions(current_date)`,
      sql`select complete_outbox(${none}, ${none})`,
      sql`select unrelay_outbox(${none}, ${none})`,
      sql`select * from stale_outbox(60, 10)`,
      sql`select worker_outbox_age()`,
    ];
    const nikola = ids['nikola.petrovic@surdulica.test'];
    const leskovac = rowsOf<{ id: string }>(await app.db.execute(sql`select id from tenants where kind <> 'national' limit 1`))[0].id;
    for (const scan of scans) {
      expect(await run({ tenantId: leskovac }, scan)).toMatchObject(refused);
      expect(await run({ userId: nikola }, scan)).toMatchObject(refused);
      expect(await run({}, scan)).toMatchObject({ ok: true });
    }
    const organisations = sql`select * from user_tenants(${ids['ana.markovic@ite.test']}::uuid)`;
    expect(await run({ tenantId: leskovac, userId: nikola }, organisations)).toMatchObject(refused);
    const outside = await run({ userId: ids['ana.markovic@ite.test'] }, organisations);
    expect(outside.ok && outside.rows.length).toBeGreaterThan(0);
  });

  it('leaves no SECURITY DEFINER function unaccounted for: each is one of those checked here or the public catalog count', async () => {
    const definers = rowsOf<{ name: string }>(
      await app.db.execute(sql`select p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' and p.prosecdef order by 1`),
    ).map((r) => r.name);
    expect(definers).toEqual(
      [
        'adoption_counts', 'claim_outbox', 'complete_outbox', 'national_caller', 'national_document_stats', 'national_outbox_age', 'offboard_tenant', 'outbox_backlog',
        'overdue_adoptions', 'overdue_steps', 'stale_outbox', 'unrelay_outbox', 'user_tenants', 'worker_outbox_age',
      ].sort(),
    );
    // The catalog's adoption counts are public by design (every tenant and every applicant sees
    // them beside the templates): tenants per version, nothing else.
    expect(await run({}, sql`select * from adoption_counts()`)).toMatchObject({ ok: true });
  });
});
