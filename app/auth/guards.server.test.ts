// A tenant page's reads run in the transaction its access check opened while its loaders read
// together, and in transactions of their own otherwise; either way as the tenant and the user,
// and every connection goes back to the pool.
import type { AppLoadContext } from '@remix-run/node';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '#app/auth/password.server';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { rowsOf } from '#db/rows';
import { seedDemo } from '#tenants/demo';
import { actorOf } from '#tests/support/actors';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import { requireTenantMember, type TenantAccess } from './guards.server';
import type { SignedIn } from './session.server';

let database: TestDatabase;
let handle: DatabaseHandle;
let nikola: SignedIn;
const shared = globalThis as typeof globalThis & { __delovodDatabase?: DatabaseHandle };

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  // Two connections: a transaction that never ended would soon leave none.
  handle = connectPostgres(database.appUrl, { max: 2 });
  shared.__delovodDatabase = handle;
  await seedDemo(handle.db, hashPassword);
  const actor = await actorOf(handle.db, 'surdulica', 'nikola.petrovic@surdulica.test');
  nikola = { user: { id: actor.userId }, session: {} } as unknown as SignedIn;
});

afterAll(async () => {
  shared.__delovodDatabase = undefined;
  await handle?.close();
  await database?.drop();
});

/** A request's access check, as a loader makes it. */
function accessFor(slug: string): Promise<TenantAccess> {
  const context = { auth: { signedIn: nikola }, memo: new Map() } as unknown as AppLoadContext;
  return requireTenantMember(context, new Request(`http://delovod.test/t/${slug}/inbox`), slug);
}

interface Seen {
  started: string;
  tenant: string;
  user: string;
  members: number;
}

const seen = (access: TenantAccess) =>
  access.read(async (tx) => {
    const [row] = rowsOf<Seen>(
      await tx.execute(sql`select now()::text as started, current_setting('app.tenant_id') as tenant, current_setting('app.user_id') as "user", (select count(*)::int from memberships) as members`),
    );
    return row;
  });

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('a tenant page’s reads', () => {
  it('share one transaction while the loaders read together, and run in their own later, as the same tenant and user', async () => {
    const access = await accessFor('surdulica');
    const [first, second] = await Promise.all([seen(access), seen(access)]);
    expect(second.started).toBe(first.started);
    await nextTurn();
    await nextTurn();
    const later = await seen(access);
    expect(later.started).not.toBe(first.started);
    for (const s of [first, second, later]) expect(s).toMatchObject({ tenant: access.tenant.id, user: nikola.user.id, members: first.members });
    expect(first.members).toBeGreaterThan(0);
  });

  it('go on in a transaction of their own after a read fails', async () => {
    const access = await accessFor('surdulica');
    await expect(access.read((tx) => tx.execute(sql`select 1 / 0`))).rejects.toThrow(/Failed query: select 1 \/ 0/);
    const after = await seen(access);
    expect(after).toMatchObject({ tenant: access.tenant.id, user: nikola.user.id });
  });

  it('give every connection back: many requests on a pool of two', async () => {
    const requests = Array.from({ length: 40 }, async () => {
      const access = await accessFor('surdulica');
      await seen(access);
      await nextTurn();
      await seen(access);
    });
    await Promise.all(requests);
    // Nothing is left reserved: the pool still serves two transactions at once.
    const [a, b] = await Promise.all([accessFor('surdulica'), accessFor('surdulica')]);
    await Promise.all([seen(a), seen(b)]);
  });

  it('are refused for a tenant the user is not a member of', async () => {
    await expect(accessFor('ite')).rejects.toMatchObject({ status: 404 });
  });
});
