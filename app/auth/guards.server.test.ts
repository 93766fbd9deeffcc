// A tenant page's reads run in the transaction its access check opened while its loaders read
// together, and in transactions of their own otherwise; either way as the tenant and the user,
// and every connection goes back to the pool. Nothing runs before the check has answered, and a
// change checks the member again in its own transaction, holding the member's row until it commits.
import type { AppLoadContext } from '@remix-run/node';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '#app/auth/password.server';
import postgres from 'postgres';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { rowsOf } from '#db/rows';
import { seedDemo } from '#tenants/demo';
import { actorOf } from '#tests/support/actors';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import { changeAsMember, readAsMember, requireTenantMember, type Member, type TenantAccess } from './guards.server';
import type { SignedIn } from './session.server';

let database: TestDatabase;
let handle: DatabaseHandle;
let nikola: SignedIn;
let owner: postgres.Sql;

/** Changes a member's row directly, as the tenant (the tables' policies bind their owner too). */
async function changeMember(member: TenantAccess['membership'], change: string): Promise<void> {
  await owner.begin(async (tx) => {
    await tx`select set_config('app.tenant_id', ${member.tenantId}, true)`;
    await tx.unsafe(`update memberships set ${change} where id = $1`, [member.id]);
  });
}

/** A signed-in user of the demo, as the session check hands them on. */
async function signedInAs(email: string): Promise<SignedIn> {
  const [user] = await owner<{ id: string }[]>`select id from users where email = ${email}`;
  return { user: { id: user.id }, session: {} } as unknown as SignedIn;
}
const shared = globalThis as typeof globalThis & { __delovodDatabase?: DatabaseHandle };

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  // Two connections: a transaction that never ended would soon leave none.
  handle = connectPostgres(database.appUrl, { max: 2 });
  shared.__delovodDatabase = handle;
  await seedDemo(handle.db, hashPassword);
  const actor = await actorOf(handle.db, 'surdulica', 'nikola.petrovic@surdulica.test');
  nikola = { user: { id: actor.userId }, session: {} } as unknown as SignedIn;
  owner = postgres(database.ownerUrl, { max: 1, onnotice: () => {} });
});

afterAll(async () => {
  await owner?.end();
  shared.__delovodDatabase = undefined;
  await handle?.close();
  await database?.drop();
});

const contextOf = (signedIn: SignedIn) => ({ auth: { signedIn }, memo: new Map() }) as unknown as AppLoadContext;
const requestFor = (slug: string) => new Request(`http://delovod.test/t/${slug}/inbox`);

/** A request's access check, as a loader makes it. */
function accessFor(slug: string): Promise<TenantAccess> {
  return requireTenantMember(contextOf(nikola), requestFor(slug), slug);
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

describe('a page that reads as a member', () => {
  /**
   * One request: the layout's check and the page's reads, as Remix runs their loaders together.
   * Each call of the page's reads is recorded, with whether the check had answered by then.
   */
  async function page(signedIn: SignedIn, slug: string) {
    const context = contextOf(signedIn);
    let answered = false;
    const layout = requireTenantMember(context, requestFor(slug), slug).then(() => (answered = true));
    layout.catch(() => {});
    const calls: { member: Member; afterCheck: boolean; started: string }[] = [];
    const result = await readAsMember(context, requestFor(slug), slug, 'read:inbox:own', async (tx, member) => {
      const [row] = rowsOf<{ tenant: string; pending: number; started: string }>(
        await tx.execute(
          sql`select now()::text as started, current_setting('app.tenant_id') as tenant, (select count(*)::int from document_steps where assignee_id = ${member.membershipId}) as pending`,
        ),
      );
      calls.push({ member, afterCheck: answered, started: row.started });
      return { ...row, registryOffice: member.permissions.has('read:registry:tenant') };
    });
    return { ...result, calls };
  }

  it('reads only after the check has answered, as the member it found, every time', async () => {
    const jelena = await signedInAs('jelena.djordjevic@surdulica.test');
    for (let i = 0; i < 2; i++) {
      const seenPage = await page(jelena, 'surdulica');
      expect(seenPage.calls).toEqual([{ member: expect.objectContaining({ membershipId: seenPage.access.membership.id }), afterCheck: true, started: expect.any(String) }]);
      expect(seenPage.data.tenant).toBe(seenPage.access.tenant.id);
    }
  });

  it('reads as the member the check finds now, after a change of their roles', async () => {
    const jelena = await signedInAs('jelena.djordjevic@surdulica.test');
    const before = await page(jelena, 'surdulica');
    expect(before.data.registryOffice).toBe(false);
    await changeMember(before.access.membership, `roles = array_append(roles, 'registry_clerk')`);
    try {
      const after = await page(jelena, 'surdulica');
      expect(after.calls.map((c) => c.member.permissions.has('read:registry:tenant'))).toEqual([true]);
      expect(after.data.registryOffice).toBe(true);
    } finally {
      await changeMember(before.access.membership, `roles = array_remove(roles, 'registry_clerk')`);
    }
  });

  it('is refused, and reads nothing, once the member has left', async () => {
    const jelena = await signedInAs('jelena.djordjevic@surdulica.test');
    const known = await page(jelena, 'surdulica');
    await changeMember(known.access.membership, 'active = false');
    try {
      const context = contextOf(jelena);
      let ran = false;
      await expect(
        readAsMember(context, requestFor('surdulica'), 'surdulica', 'read:inbox:own', async () => {
          ran = true;
        }),
      ).rejects.toMatchObject({ status: 404 });
      expect(ran).toBe(false);
    } finally {
      await changeMember(known.access.membership, 'active = true');
    }
  });
});

describe('a change made as a member', () => {
  /**
   * One form post: a change that writes a notification to the member it runs as, marked so the
   * test can count what stayed. Each run of the change is recorded with the member it ran as.
   * `between` runs after the request's access check and before the change's transaction.
   */
  async function post(signedIn: SignedIn, slug: string, marker: string, between?: () => Promise<void>) {
    const context = contextOf(signedIn);
    if (between) {
      await requireTenantMember(context, requestFor(slug), slug, 'read:inbox:own');
      await between();
    }
    const runs: Member[] = [];
    const written = await changeAsMember(context, requestFor(slug), slug, 'read:inbox:own', async (tx, member) => {
      runs.push(member);
      await tx.execute(sql`insert into notifications (tenant_id, id, recipient_id, kind, data)
        values (${member.tenantId}, ${randomUUID()}, ${member.membershipId}, 'step.reminder', ${JSON.stringify({ marker })}::jsonb)`);
      return member.permissions.has('read:registry:tenant');
    });
    return { written, runs };
  }

  /** The notifications marked so that stayed, read as the tenant (the policies bind the owner too). */
  const stayed = (marker: string, slug = 'surdulica') =>
    owner.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', (select id::text from tenants where slug = ${slug}), true)`;
      const [{ n }] = await tx<{ n: number }[]>`select count(*)::int as n from notifications where data->>'marker' = ${marker}`;
      return n;
    });

  /** A member's row, as `changeMember` takes it. */
  const rowOf = (member: Member) => ({ id: member.membershipId, tenantId: member.tenantId }) as TenantAccess['membership'];

  it('runs once, as the member found, and commits', async () => {
    const ivana = await signedInAs('ivana.stankovic@surdulica.test');
    const marker = randomUUID();
    const first = await post(ivana, 'surdulica', marker);
    const again = await post(ivana, 'surdulica', marker);
    expect(first.runs).toHaveLength(1);
    expect(again.runs).toEqual(first.runs);
    expect(await stayed(marker)).toBe(2);
  });

  it('runs as the member its own transaction finds when the roles changed after the request’s check', async () => {
    const ivana = await signedInAs('ivana.stankovic@surdulica.test');
    const marker = randomUUID();
    const before = await post(ivana, 'surdulica', marker);
    expect(before.written).toBe(false);
    const membership = rowOf(before.runs[0]);
    try {
      const after = await post(ivana, 'surdulica', marker, () => changeMember(membership, `roles = array_append(roles, 'registry_clerk')`));
      expect(after.runs.map((m) => m.permissions.has('read:registry:tenant'))).toEqual([true]);
      expect(after.written).toBe(true);
    } finally {
      await changeMember(membership, `roles = array_remove(roles, 'registry_clerk')`);
    }
  });

  it('is refused, and leaves nothing, when the member left after the request’s check', async () => {
    const ivana = await signedInAs('ivana.stankovic@surdulica.test');
    const marker = randomUUID();
    const known = await post(ivana, 'surdulica', marker);
    const membership = rowOf(known.runs[0]);
    try {
      await expect(post(ivana, 'surdulica', marker, () => changeMember(membership, 'active = false'))).rejects.toMatchObject({ status: 404 });
      expect(await stayed(marker)).toBe(1);
      // And without a check before it: refused before any write transaction.
      await expect(post(ivana, 'surdulica', marker)).rejects.toMatchObject({ status: 404 });
      expect(await stayed(marker)).toBe(1);
    } finally {
      await changeMember(membership, 'active = true');
    }
  });

  it('holds the member’s row until it commits: a concurrent change of the roles waits for it', async () => {
    const ivana = await signedInAs('ivana.stankovic@surdulica.test');
    const marker = randomUUID();
    const known = await post(ivana, 'surdulica', marker);
    const membership = rowOf(known.runs[0]);
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const inside = new Promise<void>((r) => (started = r));
    const context = contextOf(ivana);
    const change = changeAsMember(context, requestFor('surdulica'), 'surdulica', 'read:inbox:own', async () => {
      started();
      await held;
      order.push('change');
    });
    await inside;
    const revoke = changeMember(membership, 'active = false').then(() => order.push('revoke'));
    await new Promise((r) => setTimeout(r, 200));
    release();
    await Promise.all([change, revoke]);
    await changeMember(membership, 'active = true');
    expect(order).toEqual(['change', 'revoke']);
  });

  it('is refused in a tenant the user is not a member of, and leaves nothing there', async () => {
    await post(nikola, 'surdulica', randomUUID());
    const marker = randomUUID();
    await expect(post(nikola, 'ite', marker)).rejects.toMatchObject({ status: 404 });
    expect(await stayed(marker, 'ite')).toBe(0);
  });
});
