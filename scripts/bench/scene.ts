// What the bench measures, found in the seeded database: the large tenant, its busiest
// approver (the inbox and the approve action), a registry clerk (the registry log), employees
// of the approver's unit (the submit action), and tenants at 10 % and 50 % of its size.
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import type { Tx } from '#db/client';
import * as schema from '#db/schema';
import { inbox } from '#app/workflow/engine/list-inbox.server';
import type { CapturedSql } from './sql';

export interface Person {
  userId: string;
  membershipId: string;
  email: string;
}

export interface Approver extends Person {
  unitId: string | null;
  /** Pending steps of every kind (the inbox shows at most 200). */
  pending: number;
}

export interface TenantPick {
  id: string;
  slug: string;
  documents: number;
  staff: number;
  approver: Approver;
}

export interface Scene {
  role: { name: string; bypassesRls: boolean };
  totals: { tenants: number; documents: number; steps: number; memberships: number; pendingSteps: number };
  main: TenantPick & {
    clerk: Person;
    /** Employees of the approver's unit whose requests go to the approver. */
    authors: Person[];
    /** Documents on the approver's line (the card, as opened from the inbox). */
    cardDocuments: string[];
  };
  /** Tenants at about 10 %, 50 % and 100 % of the large tenant's documents. */
  sizes: Array<TenantPick & { target: number }>;
  inboxSql: CapturedSql;
  inboxRows: number;
}

async function approverOf(admin: Sql, tenantId: string): Promise<Approver | null> {
  // The unit head with the most pending approvals who has employees under them.
  const [row] = await admin<Array<Approver & { unitId: string | null }>>`
    select s.assignee_id as "membershipId", m.user_id as "userId", u.email, m.org_unit_id as "unitId", count(*)::int as approvals
    from document_steps s
    join memberships m on m.tenant_id = s.tenant_id and m.id = s.assignee_id
    join users u on u.id = m.user_id
    where s.tenant_id = ${tenantId} and s.state = 'pending' and s.kind = 'approve'
      and m.active and u.disabled_at is null and 'unit_head' = any(m.roles)
      and exists (select 1 from memberships x join users xu on xu.id = x.user_id
        where x.tenant_id = m.tenant_id and x.org_unit_id = m.org_unit_id and x.active and xu.disabled_at is null
          and not ('unit_head' = any(x.roles)))
    group by 1, 2, 3, 4
    order by approvals desc
    limit 1`;
  if (!row) return null;
  const [{ pending }] = await admin<{ pending: number }[]>`
    select count(*)::int as pending from document_steps where tenant_id = ${tenantId} and assignee_id = ${row.membershipId} and state = 'pending'`;
  return { userId: row.userId, membershipId: row.membershipId, email: row.email, unitId: row.unitId, pending };
}

/** `inboxOnly`: just the large tenant, its approver and the inbox SQL (row 8 on another seed). */
export async function findScene(admin: Sql, tenantSlug?: string, inboxOnly = false): Promise<Scene> {
  const [role] = await admin<{ name: string; bypassesRls: boolean }[]>`
    select current_user as name, (rolsuper or rolbypassrls) as "bypassesRls" from pg_roles where rolname = current_user`;
  if (!role.bypassesRls) {
    throw new Error(`--database-url connects as ${role.name}, whom row level security binds: give a superuser or BYPASSRLS role (the app's own role goes in --app-url)`);
  }
  const [totals] = await admin<Scene['totals'][]>`
    select (select count(*)::int from tenants where kind <> 'national') as tenants,
      (select count(*)::int from documents) as documents,
      (select count(*)::int from document_steps) as steps,
      (select count(*)::int from memberships) as memberships,
      (select count(*)::int from document_steps where state = 'pending') as "pendingSteps"`;
  const tenants = await admin<{ id: string; slug: string; documents: number; staff: number }[]>`
    select t.id, t.slug, coalesce(d.n, 0)::int as documents,
      (select count(*)::int from memberships m where m.tenant_id = t.id and m.active) as staff
    from tenants t left join (select tenant_id, count(*) as n from documents group by tenant_id) d on d.tenant_id = t.id
    where t.kind <> 'national' and t.status = 'active'
    order by documents desc`;
  const large = tenantSlug ? tenants.find((t) => t.slug === tenantSlug) : tenants[0];
  if (!large || large.documents === 0) throw new Error(tenantSlug ? `no active tenant ${tenantSlug} with documents` : 'the database has no documents: seed it first (npm run seed:scale)');
  const approver = await approverOf(admin, large.id);
  if (!approver) throw new Error(`${large.slug} has no unit head with pending approvals and staff under them`);

  const [clerk] = await admin<Person[]>`
    select m.id as "membershipId", m.user_id as "userId", u.email
    from memberships m join users u on u.id = m.user_id
    where m.tenant_id = ${large.id} and m.active and u.disabled_at is null and m.roles && array['registry_clerk', 'chief_admin']
    order by ('registry_clerk' = any(m.roles)) desc, m.id
    limit 1`;
  if (!clerk) throw new Error(`${large.slug} has no registry clerk`);
  const authors = await admin<Person[]>`
    select m.id as "membershipId", m.user_id as "userId", u.email
    from memberships m join users u on u.id = m.user_id
    where m.tenant_id = ${large.id} and m.active and u.disabled_at is null and m.org_unit_id = ${approver.unitId}
      and not ('unit_head' = any(m.roles)) and m.id <> ${approver.membershipId}
    order by m.id
    limit 8`;
  const cardDocuments = (
    await admin<{ id: string }[]>`
      select distinct document_id as id from document_steps
      where tenant_id = ${large.id} and assignee_id = ${approver.membershipId} and state = 'pending'
      limit 50`
  ).map((r) => r.id);

  // The inbox loader's SQL, as it issues it: captured from the same function through drizzle's logger.
  const captured: CapturedSql[] = [];
  const logged = drizzle(admin, { schema, logger: { logQuery: (text, params) => captured.push({ text, params }) } });
  const rows = await inbox(logged as unknown as Tx, large.id, approver.membershipId, 'sr-Cyrl');
  const inboxSql = captured.find((q) => q.text.includes('"document_steps"'));
  if (!inboxSql) throw new Error('could not capture the inbox SQL');

  const sizes: Scene['sizes'] = [];
  const candidates = tenants.filter((t) => t.documents > 0);
  for (const target of inboxOnly ? [] : [0.1, 0.5, 1]) {
    if (target === 1) {
      sizes.push({ ...large, approver, target });
      continue;
    }
    const want = large.documents * target;
    const ordered = [...candidates].sort((a, b) => Math.abs(a.documents - want) - Math.abs(b.documents - want));
    for (const t of ordered.slice(0, 10)) {
      const a = t.id === large.id ? approver : await approverOf(admin, t.id);
      if (a) {
        sizes.push({ ...t, approver: a, target });
        break;
      }
    }
  }
  return {
    role,
    totals,
    main: { ...large, approver, clerk, authors, cardDocuments },
    sizes,
    inboxSql,
    inboxRows: rows.length,
  };
}
