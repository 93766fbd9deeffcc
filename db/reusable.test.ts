// A reusable select gives what drizzle's own query gives, in any transaction, on either
// database: the placeholders filled per call (a list as one array), a left join's missing side
// as null, row level security as for any statement of the transaction; and its SQL is built once.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import { connectPostgres, openEmbedded, type Database, type DatabaseHandle, type Queryable } from './client';
import { reusableSelect } from './reusable';
import { memberships, orgUnits, tenants, users } from './schema';
import { withTenantOn } from './tenant';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

/** Tenant A: a member with a unit and one without; tenant B: a member with a unit. */
async function seed(db: Database) {
  await db.insert(tenants).values([
    { id: A, slug: 'a-town', kind: 'municipality', nameCyrl: 'А', nameLatn: 'A', nameEn: 'A' },
    { id: B, slug: 'b-town', kind: 'municipality', nameCyrl: 'Б', nameLatn: 'B', nameEn: 'B' },
  ]);
  const people = await db
    .insert(users)
    .values([{ email: 'a1@example.test' }, { email: 'a2@example.test' }, { email: 'b1@example.test' }])
    .returning({ id: users.id });
  for (const [tenantId, userId, unit] of [[A, people[0].id, 'Писарница'], [A, people[1].id, null], [B, people[2].id, 'Рачуноводство']] as const) {
    await withTenantOn(db, { tenantId }, async (tx) => {
      const [row] = unit ? await tx.insert(orgUnits).values({ tenantId, code: unit.slice(0, 3), name: unit, nameEn: 'Unit' }).returning() : [null];
      await tx.insert(memberships).values({ tenantId, userId, fullName: `Члан ${userId.slice(0, 4)}`, position: 'Референт', orgUnitId: row?.id ?? null });
    });
  }
  return people.map((p) => p.id);
}

const memberOf = (db: Queryable, tenantId: unknown, userId: unknown) =>
  db
    .select({ name: memberships.fullName, unit: { name: orgUnits.name } })
    .from(memberships)
    .leftJoin(orgUnits, and(eq(orgUnits.tenantId, memberships.tenantId), eq(orgUnits.id, memberships.orgUnitId)))
    .where(and(eq(memberships.tenantId, tenantId as string), eq(memberships.userId, userId as string)));

function suite(open: () => Promise<{ handle: DatabaseHandle; done: () => Promise<void> }>) {
  let handle: DatabaseHandle;
  let done: () => Promise<void>;
  let people: string[];
  beforeAll(async () => {
    ({ handle, done } = await open());
    people = await seed(handle.db);
  });
  afterAll(() => done?.());

  it('reads what drizzle reads, per call and per transaction, built once', async () => {
    let builds = 0;
    const reusable = reusableSelect((db) => {
      builds++;
      return memberOf(db, sql.placeholder('tenantId'), sql.placeholder('userId'));
    });
    for (const [tenantId, userId] of [[A, people[0]], [A, people[1]], [B, people[2]], [A, people[0]]]) {
      const [mine, drizzles] = await withTenantOn(handle.db, { tenantId }, (tx) => Promise.all([reusable(tx, { tenantId, userId }), memberOf(tx, tenantId, userId)]));
      expect(mine).toEqual(drizzles);
      expect(mine).toHaveLength(1);
    }
    const [withoutUnit] = await withTenantOn(handle.db, { tenantId: A }, (tx) => reusable(tx, { tenantId: A, userId: people[1] }));
    expect(withoutUnit.unit).toBeNull();
    expect(builds).toBe(1);
  });

  it('takes a list as one array parameter', async () => {
    const named = reusableSelect((db) =>
      db
        .select({ userId: memberships.userId })
        .from(memberships)
        .where(and(eq(memberships.tenantId, sql.placeholder('tenantId')), sql`${memberships.userId} = any(${sql.placeholder('ids')}::uuid[])`)),
    );
    const read = (ids: string[]) => withTenantOn(handle.db, { tenantId: A }, (tx) => named(tx, { tenantId: A, ids }));
    expect((await read([people[0], people[1]])).map((r) => r.userId).sort()).toEqual([people[0], people[1]].sort());
    expect(await read([people[1]])).toEqual([{ userId: people[1] }]);
    expect(await read([])).toEqual([]);
  });

  it('sees only the transaction’s tenant', async () => {
    const reusable = reusableSelect((db) => memberOf(db, sql.placeholder('tenantId'), sql.placeholder('userId')));
    // B's member asked for by B's id, from A's transaction: row level security hides the row.
    expect(await withTenantOn(handle.db, { tenantId: A }, (tx) => reusable(tx, { tenantId: B, userId: people[2] }))).toEqual([]);
  });
}

describe('a reusable select on PostgreSQL, as the runtime role', () => {
  let database: TestDatabase;
  suite(async () => {
    database = await createTestDatabase(inject('templateDatabase'));
    const handle = connectPostgres(database.appUrl, { max: 2 });
    return { handle, done: async () => (await handle.close(), await database.drop()) };
  });
});

describe('a reusable select on the embedded database', () => {
  suite(async () => {
    const handle = await openEmbedded('memory://');
    return { handle, done: () => handle.close() };
  });
});
