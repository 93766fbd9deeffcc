// Fail-closed tenant isolation, proven against the catalog and by behaviour, on the machine's
// PostgreSQL and on the embedded PGlite.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import { connectPostgres, openEmbedded, assertRuntimeRole, type DatabaseHandle, type Database } from './client';
import { rowsOf } from './rows';
import { appendAudit, awaitAtCommit, chainHash, verifyAuditChain } from './audit';
import { auditEvents, memberships, orgUnits, outbox, tenants, users } from './schema';
import { ResponseInTransactionError, sendNow, withTenantOn } from './tenant';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

/** drizzle wraps the driver's error; the database's own message is in `cause`. */
async function databaseError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { cause?: Error };
    return e.cause?.message ?? e.message;
  }
  throw new Error('expected the database to refuse');
}

async function tenantTables(db: Database): Promise<string[]> {
  const r = await db.execute(sql`
    select c.relname as name from pg_class c
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
    where c.relkind in ('r', 'p') order by 1`);
  return rowsOf<{ name: string }>(r).map((x) => x.name);
}

/** Two tenants with a unit, a member and an outbox row each, written as the runtime role. */
async function seedTwoTenants(db: Database) {
  await db.insert(tenants).values([
    { id: A, slug: 'a-town', kind: 'municipality', nameCyrl: 'А', nameLatn: 'A', nameEn: 'A' },
    { id: B, slug: 'b-town', kind: 'municipality', nameCyrl: 'Б', nameLatn: 'B', nameEn: 'B' },
  ]);
  const [ua, ub] = await db
    .insert(users)
    .values([{ email: 'a@example.test' }, { email: 'b@example.test' }])
    .returning({ id: users.id });
  for (const [tenantId, userId] of [[A, ua.id], [B, ub.id]] as const) {
    await withTenantOn(db, { tenantId }, async (tx) => {
      const [unit] = await tx.insert(orgUnits).values({ tenantId, code: 'U1', name: 'Јединица', nameEn: 'Unit' }).returning();
      await tx.insert(memberships).values({ tenantId, userId, fullName: 'Петар Петровић', position: 'Референт', orgUnitId: unit.id });
      // eslint-disable-next-line no-restricted-syntax -- a row of no real kind: only its isolation is tested
      await tx.insert(outbox).values({ tenantId, job: 'test', payload: { tenantId } });
    });
  }
}

function isolationSuite(open: () => Promise<{ app: DatabaseHandle; cleanup: () => Promise<void> }>) {
  let app: DatabaseHandle;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ app, cleanup } = await open());
    await seedTwoTenants(app.db);
  });
  afterAll(() => cleanup?.());

  it('runs as a role that cannot bypass row level security', async () => {
    await expect(assertRuntimeRole(app.db)).resolves.toBeUndefined();
  });

  it("shows tenant A only A's rows, on every tenant table", async () => {
    for (const table of await tenantTables(app.db)) {
      const seen = await withTenantOn(app.db, { tenantId: A }, async (tx) =>
        rowsOf<{ tenant_id: string }>(await tx.execute(sql.raw(`select distinct tenant_id::text from ${table}`))),
      );
      expect(seen.every((r) => r.tenant_id === A), table).toBe(true);
    }
    const units = await withTenantOn(app.db, { tenantId: A }, (tx) => tx.select().from(orgUnits));
    expect(units.map((u) => u.tenantId)).toEqual([A]);
  });

  it('scopes a transaction by slug as by id, and an unknown slug to no tenant at all', async () => {
    const codes = (scope: Parameters<typeof withTenantOn>[1]) => withTenantOn(app.db, scope, async (tx) => (await tx.select().from(orgUnits)).map((u) => u.tenantId));
    expect(await codes({ tenantSlug: 'b-town' })).toEqual([B]);
    expect(await codes({ tenantSlug: 'a-town' })).toEqual(await codes({ tenantId: A }));
    expect(await codes({ tenantSlug: 'nowhere' })).toEqual([]);
    expect(await codes({ tenantSlug: "a-town' or 'x'='x" })).toEqual([]);
  });

  it("leaves B's rows untouched by UPDATE and DELETE from A", async () => {
    const touched = await withTenantOn(app.db, { tenantId: A }, async (tx) => {
      const updated = await tx.execute(sql`update memberships set position = 'hacked' where tenant_id = ${B}`);
      const deleted = await tx.execute(sql`delete from outbox where tenant_id = ${B} returning id`);
      return [rowsOf(deleted).length, (updated as unknown as { count?: number; affectedRows?: number })];
    });
    expect(touched[0]).toBe(0);
    const still = await withTenantOn(app.db, { tenantId: B }, (tx) => tx.select().from(memberships));
    expect(still.map((m) => m.position)).toEqual(['Референт']);
    const box = await withTenantOn(app.db, { tenantId: B }, (tx) => tx.select().from(outbox));
    expect(box).toHaveLength(1);
  });

  it("refuses to insert a row of B while scoped to A", async () => {
    const message = await databaseError(
      withTenantOn(app.db, { tenantId: A }, (tx) =>
        tx.insert(orgUnits).values({ tenantId: B, code: 'X', name: 'Х', nameEn: 'X' }),
      ),
    );
    expect(message).toMatch(/row-level security/);
  });

  it('reads every tenant table as empty with no tenant set, inside and outside a transaction', async () => {
    for (const table of await tenantTables(app.db)) {
      const outside = rowsOf(await app.db.execute(sql.raw(`select 1 from ${table}`)));
      expect(outside, table).toHaveLength(0);
      // A committed transaction leaves '' behind on the pooled connection, not NULL.
      await withTenantOn(app.db, { tenantId: A }, async () => undefined);
      const after = rowsOf(await app.db.execute(sql.raw(`select 1 from ${table}`)));
      expect(after, table).toHaveLength(0);
    }
  });

  it('chains events in the database exactly as the verifier hashes them, whatever they carry', async () => {
    // Texts that look like the pieces audit_append fills in, or that JSON and UTF-8 treat specially.
    const texts = ['Ћирилица „наводници“ \\ "quotes"\n\t', '{"seq":"1","occurredAt":"2026-01-01T00:00:00.000Z"}', '"occurredAt":"', '😀 ŠĐČĆŽ', ''];
    await withTenantOn(app.db, { tenantId: A }, async (tx) => {
      for (const [n, text] of texts.entries()) {
        await appendAudit(tx, A, { type: 'test.texts', subjectType: 'test', subjectId: String(n), userAgent: text, ip: '192.0.2.1', data: { text, n, nested: { list: [1, 2.5, null, text, true] } } });
      }
    });
    const events = await withTenantOn(app.db, { tenantId: A }, (tx) => tx.select().from(auditEvents).orderBy(auditEvents.seq));
    const written = events.filter((e) => e.type === 'test.texts');
    expect(written.map((e) => [e.userAgent, (e.data as { text: string }).text])).toEqual(texts.map((t) => [t, t]));
    // One transaction, one moment; and a tenant's events never go back in time as seq goes up.
    expect(new Set(written.map((e) => e.occurredAt)).size).toBe(1);
    const times = events.map((e) => Date.parse(e.occurredAt));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    for (const e of written) expect(e.hash).toBe(chainHash(e.prevHash, { ...e, data: e.data as Record<string, unknown> }));
    expect(await withTenantOn(app.db, { tenantId: A }, (tx) => verifyAuditChain(tx, A))).toEqual({ ok: true, events: events.length });
  });

  it('awaits a write deferred to COMMIT, and fails with its own error when it fails, however much ran after it', async () => {
    const codes = () => withTenantOn(app.db, { tenantId: A }, async (tx) => (await tx.select().from(orgUnits)).map((u) => u.code).sort());
    const before = await codes();
    await withTenantOn(app.db, { tenantId: A }, async (tx) => {
      await awaitAtCommit(tx, sendNow(tx.insert(orgUnits).values({ tenantId: A, code: 'LATE', name: 'Касније', nameEn: 'Later' })));
    });
    expect(await codes()).toEqual([...before, 'LATE'].sort());
    const message = await databaseError(
      withTenantOn(app.db, { tenantId: A }, async (tx) => {
        // Not a member id: the deferred insert fails, and the read after it only because of that.
        await awaitAtCommit(tx, sendNow(tx.insert(memberships).values({ tenantId: A, userId: 'not-a-user', fullName: 'X', position: 'X' })));
        await tx.select().from(orgUnits);
      }),
    );
    expect(message).toMatch(/invalid input syntax for type uuid/);
    expect(await codes()).toEqual([...before, 'LATE'].sort());
    await withTenantOn(app.db, { tenantId: A }, (tx) => tx.delete(orgUnits).where(eq(orgUnits.code, 'LATE')));
  });

  it('refuses a Response thrown inside a transaction that writes, and rolls the work back; a read-only one may throw it', async () => {
    const code = `R${Date.now() % 100000}`;
    const thrown = withTenantOn(app.db, { tenantId: A }, async (tx) => {
      await tx.insert(orgUnits).values({ tenantId: A, code, name: 'Јединица', nameEn: 'Unit' });
      throw new Response(null, { status: 302, headers: { Location: '/done' } });
    });
    await expect(thrown).rejects.toBeInstanceOf(ResponseInTransactionError);
    await expect(thrown).rejects.toThrow(/inside a tenant transaction that writes/);
    const left = await withTenantOn(app.db, { tenantId: A }, (tx) => tx.select().from(orgUnits).where(eq(orgUnits.code, code)));
    expect(left).toEqual([]);
    const read = withTenantOn(app.db, { tenantId: A }, async () => {
      throw new Response('Not Found', { status: 404 });
    }, { readOnly: true });
    await expect(read).rejects.toBeInstanceOf(Response);
  });

  it('lists a user\'s tenants only through the directory function', async () => {
    const r = await app.db.execute(sql`select u.id, (select count(*)::int from user_tenants(u.id)) as n from users u order by email`);
    expect(rowsOf<{ n: number }>(r).map((x) => x.n)).toEqual([1, 1]);
    await expect(app.db.execute(sql`select * from memberships`)).resolves.toBeDefined();
    expect(rowsOf(await app.db.execute(sql`select * from memberships`))).toHaveLength(0);
  });
}

/** Runs `fn` with a pool of its own of `max` connections of the runtime role. */
async function withPool(testDb: TestDatabase, max: number, fn: (app: DatabaseHandle) => Promise<void>): Promise<void> {
  const app = connectPostgres(testDb.appUrl, { max });
  try {
    await fn(app);
  } finally {
    await app.close();
  }
}

/** What a pooled connection carries over: a tenant setting, an open transaction (`{ t: '', x: null }`: nothing). */
const leftover = async (app: DatabaseHandle) =>
  rowsOf(await app.db.execute(sql`select current_setting('app.tenant_id', true) as t, pg_current_xact_id_if_assigned() as x`));

describe('tenant isolation on PostgreSQL', () => {
  let testDb: TestDatabase;
  isolationSuite(async () => {
    testDb = await createTestDatabase(inject('templateDatabase'));
    const app = connectPostgres(testDb.appUrl, { max: 2 });
    return { app, cleanup: async () => { await app.close(); await testDb.drop(); } };
  });

  it('has RLS enabled and forced, with USING and WITH CHECK, on every tenant table', async () => {
    const owner = connectPostgres(testDb.ownerUrl, { max: 1 });
    try {
      const tables = await tenantTables(owner.db);
      expect(tables.length).toBeGreaterThanOrEqual(5);
      const r = await owner.db.execute(sql`
        select c.relname as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
          (select count(*)::int from pg_policy p where p.polrelid = c.oid and p.polname = 'tenant_isolation'
             and p.polqual is not null and p.polwithcheck is not null and p.polpermissive and p.polcmd = '*'
             and p.polroles = '{0}') as isolation,
          (select count(*)::int from pg_policy p where p.polrelid = c.oid and p.polname <> 'tenant_isolation'
             and (p.polroles @> '{0}' or p.polroles @> array[(select oid from pg_roles where rolname = 'delovod_app')])) as others
        from pg_class c where c.relname in ${tables} and c.relnamespace = 'public'::regnamespace`);
      for (const t of rowsOf<{ name: string; enabled: boolean; forced: boolean; isolation: number; others: number }>(r)) {
        expect(t, t.name).toMatchObject({ enabled: true, forced: true, isolation: 1, others: 0 });
      }
    } finally {
      await owner.close();
    }
  });

  it('runs the tenant transaction as one transaction: all of it or nothing, savepoints inside', async () => {
    await withPool(testDb, 1, async (app) => {
      const units = (tenantId: string) => withTenantOn(app.db, { tenantId }, (tx) => tx.select({ code: orgUnits.code }).from(orgUnits));
      await expect(
        withTenantOn(app.db, { tenantId: A }, async (tx) => {
          await tx.insert(orgUnits).values({ tenantId: A, code: 'GONE', name: 'Нестаје', nameEn: 'Gone' });
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      // A savepoint that fails is undone alone; the rest commits.
      await withTenantOn(app.db, { tenantId: A }, async (tx) => {
        await tx.insert(orgUnits).values({ tenantId: A, code: 'KEPT', name: 'Остаје', nameEn: 'Kept' });
        await expect(
          tx.transaction(async (sp) => {
            await sp.insert(orgUnits).values({ tenantId: A, code: 'INNER', name: 'Унутра', nameEn: 'Inner' });
            await sp.insert(orgUnits).values({ tenantId: B, code: 'X', name: 'Х', nameEn: 'X' });
          }),
        ).rejects.toThrow();
      });
      expect((await units(A)).map((u) => u.code).sort()).toEqual(['KEPT', 'U1']);
      expect((await units(B)).map((u) => u.code)).toEqual(['U1']);
      // Settings and statements issued together, in parallel inside the transaction, keep their order.
      const [who, rows] = await withTenantOn(app.db, { tenantId: B, userId: A }, (tx) =>
        Promise.all([tx.execute(sql`select current_setting('app.tenant_id') as t, current_setting('app.user_id') as u`), tx.select().from(memberships)]),
      );
      expect(rowsOf(who)).toEqual([{ t: B, u: A }]);
      expect(rows.map((m) => m.tenantId)).toEqual([B]);
      // The one pooled connection is back in the pool with nothing set.
      expect(await leftover(app)).toEqual([{ t: '', x: null }]);
    });
  });

  it('chains the audit events of a tenant transaction at its end, in order, and none of one that fails', async () => {
    await withPool(testDb, 3, async (app) => {
      const event = (type: string) => ({ type, subjectType: 'test', subjectId: type, data: {} });
      const types = () => withTenantOn(app.db, { tenantId: A }, async (tx) => (await tx.select().from(auditEvents).orderBy(auditEvents.seq)).map((e) => e.type));
      const before = await types();
      await expect(
        withTenantOn(app.db, { tenantId: A }, async (tx) => {
          await appendAudit(tx, A, event('lost'));
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      // Two transactions at once: each one's events stay together and in the order appended.
      await Promise.all(
        ['x', 'y'].map((name) =>
          withTenantOn(app.db, { tenantId: A }, async (tx) => {
            await appendAudit(tx, A, event(`${name}1`));
            await tx.transaction(async (sp) => appendAudit(sp, A, event(`${name}-savepoint`)));
            await expect(
              tx.transaction(async (sp) => {
                await appendAudit(sp, A, event(`${name}-undone`));
                throw new Error('savepoint rolled back');
              }),
            ).rejects.toThrow();
            await appendAudit(tx, A, event(`${name}2`));
          }),
        ),
      );
      const added = (await types()).slice(before.length);
      expect(added).toHaveLength(6);
      for (const name of ['x', 'y']) {
        const mine = added.filter((t) => t.startsWith(name));
        expect(mine).toEqual([`${name}-savepoint`, `${name}1`, `${name}2`]);
        // Deferred events are written together, one after the other.
        expect(added.indexOf(`${name}2`) - added.indexOf(`${name}1`)).toBe(1);
      }
      expect(await withTenantOn(app.db, { tenantId: A }, (tx) => verifyAuditChain(tx, A))).toEqual({ ok: true, events: before.length + 6 });
    });
  });

  it('commits nothing of a transaction whose audit events fail to write with COMMIT already on its way', async () => {
    await withPool(testDb, 1, async (app) => {
      const units = () => withTenantOn(app.db, { tenantId: A }, async (tx) => (await tx.select().from(orgUnits)).map((u) => u.code));
      const before = await units();
      const message = await databaseError(
        withTenantOn(app.db, { tenantId: A }, async (tx) => {
          await tx.insert(orgUnits).values({ tenantId: A, code: 'AUD', name: 'Ревизија', nameEn: 'Audit' });
          // Not a user id: the events' insert, sent together with COMMIT, fails.
          await appendAudit(tx, A, { type: 'unit.created', subjectType: 'unit', subjectId: 'AUD', data: {}, actorUserId: 'not-a-user' });
        }),
      );
      expect(message).toMatch(/invalid input syntax for type uuid/);
      expect(await units()).toEqual(before);
      expect(await withTenantOn(app.db, { tenantId: A }, (tx) => verifyAuditChain(tx, A))).toMatchObject({ ok: true });
      expect(await leftover(app)).toEqual([{ t: '', x: null }]);
    });
  });

  it('refuses writes in a read-only tenant transaction, and leaves the connection clean for the next', async () => {
    await withPool(testDb, 1, async (app) => {
      const message = await databaseError(
        withTenantOn(app.db, { tenantId: A }, (tx) => tx.insert(orgUnits).values({ tenantId: A, code: 'RO', name: 'Само читање', nameEn: 'Read only' }), { readOnly: true }),
      );
      expect(message).toMatch(/read-only transaction/);
      // Reads answer at once; the next transaction on the one connection sees no leftover.
      for (let i = 0; i < 5; i++) {
        const seen = await withTenantOn(app.db, { tenantId: i % 2 ? A : B }, async (tx) => (await tx.select().from(orgUnits)).map((u) => u.tenantId), { readOnly: true });
        expect(new Set(seen)).toEqual(new Set([i % 2 ? A : B]));
      }
      await withTenantOn(app.db, { tenantId: B }, (tx) => tx.insert(orgUnits).values({ tenantId: B, code: 'RW', name: 'Пише', nameEn: 'Writes' }));
      expect(await leftover(app)).toEqual([{ t: '', x: null }]);
    });
  });

  it('gives a connection back to the pool only once its read-only transaction has committed, however busy the pool', async () => {
    await withPool(testDb, 3, async (app) => {
      // Queries outside any tenant transaction, racing read-only ones for the same three
      // connections: none may run inside one of them (its settings would scope them).
      const outside: { tenant: string | null; inTransaction: boolean; units: number }[] = [];
      await Promise.all(
        Array.from({ length: 12 }, async (_, k) => {
          for (let i = 0; i < 30; i++) {
            outside.push(
              ...rowsOf<{ tenant: string | null; inTransaction: boolean; units: number }>(
                await app.db.execute(sql`select current_setting('app.tenant_id', true) as tenant, now() <> statement_timestamp() as "inTransaction", (select count(*)::int from org_units) as units`),
              ),
            );
            await withTenantOn(app.db, { tenantId: k % 2 ? A : B }, (tx) => Promise.all([tx.select().from(orgUnits), tx.select().from(orgUnits)]), { readOnly: true });
          }
        }),
      );
      expect(outside).toHaveLength(360);
      expect(outside.filter((o) => (o.tenant ?? '') !== '' || o.inTransaction || o.units !== 0)).toEqual([]);
    });
  });

  it('reports a tenant transaction that cannot start with the database’s own error', async () => {
    await withPool(testDb, 1, async (app) => {
      const message = await databaseError(withTenantOn(app.db, { tenantId: 'not-a-tenant' }, (tx) => tx.select().from(orgUnits)));
      expect(message).toMatch(/invalid input syntax for type uuid|not-a-tenant/);
      const after = await withTenantOn(app.db, { tenantId: A }, (tx) => tx.select().from(orgUnits));
      expect(after.length).toBeGreaterThan(0);
    });
  });

  it('gives the runtime role no superuser, no BYPASSRLS and no owned relation', async () => {
    const owner = connectPostgres(testDb.ownerUrl, { max: 1 });
    try {
      const r = await owner.db.execute(sql`
        select r.rolsuper, r.rolbypassrls,
          (select count(*)::int from pg_class c where c.relowner = r.oid) as owned,
          (select count(*)::int from pg_proc p where p.proowner = r.oid) as functions
        from pg_roles r where r.rolname = 'delovod_app'`);
      expect(rowsOf(r)[0]).toEqual({ rolsuper: false, rolbypassrls: false, owned: 0, functions: 0 });
    } finally {
      await owner.close();
    }
  });

  it('keeps audit events append-only, even for the owner', async () => {
    const owner = connectPostgres(testDb.ownerUrl, { max: 1 });
    try {
      expect(await databaseError(owner.db.execute(sql`delete from audit_events`))).toMatch(/append-only/);
      expect(await databaseError(owner.db.execute(sql`update audit_events set hash = ''`))).toMatch(/append-only/);
    } finally {
      await owner.close();
    }
  });
});

describe('tenant isolation on the embedded PGlite', () => {
  isolationSuite(async () => {
    const app = await openEmbedded('memory://');
    return { app, cleanup: () => app.close() };
  });
});
