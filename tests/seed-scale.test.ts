// npm run seed:scale at a tiny size, into a throwaway database owned by a role that is not a
// superuser (so the seed must lift and restore forced row level security itself): the data
// is what the engine would have written, and the app can read it and act on it.
import { and, eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addBusinessHours, defaultSchedule } from '#app/workflow/calendar/business-hours';
import { permissionsOf } from '#app/auth/permissions';
import { standardCatalog } from '#app/workflow/catalog/index';
import { resolveAssignees } from '#app/workflow/engine/assignees.server';
import { loadCard } from '#app/workflow/engine/card.server';
import { definitionOf } from '#app/workflow/engine/definitions.server';
import { actOnStep } from '#app/workflow/engine/act-on-step.server';
import { actionableSteps } from '#app/workflow/engine/find-steps.server';
import { verifyAuditChain } from '#db/audit';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { documents, memberships, tenants } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { actorOf, inTenant } from '#tests/support/actors';
import { adminUrl, createTestDatabase, urlFor, type TestDatabase } from '#tests/support/pg';
import { BusinessCalendar } from '../scripts/scale/calendar';
import { Random } from '../scripts/scale/random';
import { parseScaleArgs, seedScale, type ScaleResult } from '../scripts/scale/seed';
import { finalStateOf, reachableOutcomes } from '../scripts/scale/simulate';

let database: TestDatabase;
let app: DatabaseHandle;
let superuser: postgres.Sql;
let result: ScaleResult;

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  result = await seedScale(parseScaleArgs(['--tenants', '3', '--staff', '60', '--documents', '600', '--seed', '7', '--database-url', database.ownerUrl]), () => {});
  app = connectPostgres(database.appUrl, { max: 4 });
  superuser = postgres(urlFor(database.name, new URL(adminUrl).username), { max: 1, onnotice: () => {} });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await superuser?.end();
  await database?.drop();
});

describe('the seeded country', () => {
  it('is about the size asked for, with the national office and three bodies', async () => {
    expect(result.tenants).toBe(3);
    expect(result.staff).toBeGreaterThanOrEqual(55);
    expect(result.documents).toBeGreaterThan(600 * 0.85);
    expect(result.documents).toBeLessThan(600 * 1.15);
    const [{ n }] = await superuser`select count(*)::int as n from documents`;
    expect(n).toBe(result.documents);
    expect(await superuser`select slug, kind from tenants order by slug`).toEqual([
      { slug: 'beograd', kind: 'city' },
      { slug: 'national', kind: 'national' },
      { slug: 'nis', kind: 'city' },
      { slug: 'novi-sad', kind: 'city' },
    ]);
    expect(result.databaseUrl).toBe(database.appUrl);
  });

  it('keeps row level security enabled and forced on every tenant table', async () => {
    const tables = await superuser`
      select c.relname, c.relrowsecurity, c.relforcerowsecurity from pg_class c
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
      join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
      where c.relkind = 'r'`;
    expect(tables.length).toBeGreaterThan(15);
    for (const t of tables) expect(t, t.relname).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
  });

  it('shows the runtime role its own tenant’s rows and nothing else', async () => {
    const all = await superuser`select tenant_id, count(*)::int as n from documents group by tenant_id`;
    expect(all).toHaveLength(3);
    expect(await app.db.select().from(documents).limit(1)).toEqual([]);
    for (const { tenant_id: tenantId, n } of all) {
      const seen = await withTenantOn(app.db, { tenantId }, (tx) => tx.execute(sql`select tenant_id, count(*)::int as n from documents group by tenant_id`));
      expect([...(seen as unknown as { tenant_id: string; n: number }[])]).toEqual([{ tenant_id: tenantId, n }]);
    }
  });

  it('numbers registered documents without a gap or a repeat, as the counters say', async () => {
    const groups = await superuser`
      select d.tenant_id, d.registry_year, d.registry_class, count(*)::int as n, count(distinct d.registry_seq)::int as distinct_seqs,
        min(d.registry_seq) as min, max(d.registry_seq) as max, c.last_seq::int as last_seq,
        bool_and(d.registry_number = d.registry_class || '-' || d.registry_seq || '/' || d.registry_year) as formatted
      from documents d left join registry_counters c on c.tenant_id = d.tenant_id and c.year = d.registry_year and c.classification = d.registry_class
      where d.registry_number is not null group by 1, 2, 3, c.last_seq`;
    expect(groups.length).toBeGreaterThanOrEqual(6);
    for (const g of groups) expect(g).toMatchObject({ distinct_seqs: g.n, min: 1, max: g.n, last_seq: g.n, formatted: true });
    const [{ orphans }] = await superuser`select count(*)::int as orphans from registry_counters c where not exists (
      select 1 from documents d where d.tenant_id = c.tenant_id and d.registry_year = c.year and d.registry_class = c.classification)`;
    expect(orphans).toBe(0);
  });

  it('has every tenant’s audit chain intact, ordered by the clock', async () => {
    const all = await app.db.select({ id: tenants.id, slug: tenants.slug }).from(tenants);
    for (const t of all) {
      const verdict = await withTenantOn(app.db, { tenantId: t.id }, (tx) => verifyAuditChain(tx, t.id));
      expect(verdict, t.slug).toMatchObject({ ok: true });
    }
    const [{ backwards }] = await superuser`
      select count(*)::int as backwards from (
        select occurred_at < lag(occurred_at) over (partition by tenant_id order by seq) as b from audit_events where type like 'document.%') x where b`;
    expect(backwards).toBe(0);
  });

  it('has every standard template in every state the engine can reach', async () => {
    const rows = await superuser`select t.key, d.state, count(*)::int as n from documents d join templates t on t.id = d.template_id group by 1, 2`;
    for (const def of standardCatalog) {
      const expected = reachableOutcomes(def).map((o) => (o === 'final' ? finalStateOf(def) : o)).sort();
      expect(rows.filter((r) => r.key === def.key).map((r) => r.state).sort(), def.key).toEqual(expected);
    }
  });

  it('leaves steps overdue for the reminder sweep, and records the rounds already sent', async () => {
    const due = await superuser`select count(*)::int as n from overdue_steps(now(), 3, 100000)`;
    expect(due[0].n).toBeGreaterThan(0);
    const [rounds] = await superuser`select count(*) filter (where reminders_sent between 1 and 3)::int as reminded, count(*) filter (where reminders_sent = 4)::int as escalated from document_steps`;
    expect(rounds.reminded).toBeGreaterThan(0);
    expect(rounds.escalated).toBeGreaterThan(0);
    const [{ inconsistent }] = await superuser`
      select count(*)::int as inconsistent from document_steps s
      where s.reminders_sent <> (select count(*) from notifications n where n.tenant_id = s.tenant_id and n.document_id = s.document_id
        and n.kind = 'step.reminder' and n.data->>'assigneeId' = s.assignee_id::text and n.data->>'step' = s.step_key
        and n.data->>'dueAt' = to_char(s.due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
        + least(1, (select count(*) from notifications n where n.tenant_id = s.tenant_id and n.document_id = s.document_id
        and n.kind = 'step.escalated' and n.data->>'assigneeId' = s.assignee_id::text and n.data->>'step' = s.step_key
        and n.data->>'dueAt' = to_char(s.due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))`;
    expect(inconsistent).toBe(0);
  });

  it('has most steps the final decision opened already done, the way the engine records them', async () => {
    const [steps] = await superuser`
      select count(*) filter (where s.state = 'pending')::int as pending, count(*) filter (where s.state = 'done')::int as done,
        count(*) filter (where s.state = 'done' and not exists (select 1 from audit_events e where e.tenant_id = s.tenant_id
          and e.subject_type = 'document' and e.subject_id = s.document_id::text and e.type = 'document.step.' || s.outcome and e.data->>'step' = s.step_key))::int as unaudited
      from document_steps s join documents d on d.tenant_id = s.tenant_id and d.id = s.document_id
      where d.state in ('approved', 'registered') and s.kind in ('acknowledge', 'consult') and s.round = d.round`;
    expect(steps.done).toBeGreaterThan(0);
    expect(steps.pending).toBeLessThan(steps.done * 0.1);
    expect(steps.unaudited).toBe(0);
  });

  it('gives each waiting step to the people the engine resolves for its document', async () => {
    const waiting = await superuser`
      select d.tenant_id, d.id, d.version_id, d.author_id, d.author_unit_id, d.values, s.step_key, array_agg(s.assignee_id::text order by s.assignee_id) as assignees
      from documents d join document_steps s on s.tenant_id = d.tenant_id and s.document_id = d.id and s.round = d.round and s.state = 'pending'
      where d.state = 'in_approval' group by 1, 2, 3, 4, 5, 6, 7 order by d.id limit 60`;
    expect(waiting.length).toBeGreaterThan(10);
    for (const w of waiting) {
      const def = await definitionOf(app.db, w.version_id);
      const step = def.route.find((s) => s.id === w.step_key)!;
      const line = { tenantId: w.tenant_id, authorId: w.author_id, authorUnitId: w.author_unit_id, values: w.values, positions: {} };
      const resolved = await withTenantOn(app.db, { tenantId: w.tenant_id }, (tx) => resolveAssignees(tx, line, step));
      expect([...resolved].sort(), `${w.id} ${w.step_key}`).toEqual(w.assignees);
    }
  });

  it('opens a seeded document on its card and approves it through the engine', async () => {
    const { slug, signIn, documentId } = result.largestTenant;
    expect(signIn.password).toBe('Delovod-demo-2026');
    expect(documentId).toBeTruthy();
    const approver = await actorOf(app.db, slug, signIn.email);
    const [member] = await inTenant(app.db, approver, (tx) => tx.select().from(memberships).where(and(eq(memberships.tenantId, approver.tenantId), eq(memberships.id, approver.membershipId))));
    const card = await inTenant(app.db, approver, (tx) => loadCard(tx, { tenantId: approver.tenantId, membershipId: approver.membershipId, permissions: permissionsOf(member.roles) }, documentId!, 'sr-Cyrl'));
    expect(card?.doc.state).toBe('in_approval');
    expect(card?.mine.length).toBeGreaterThan(0);
    expect(card?.trail.map((e) => e.type)).toContain('document.submitted');

    const [step] = await inTenant(app.db, approver, (tx) => actionableSteps(tx, approver.tenantId, approver.membershipId, documentId!));
    const acted = await inTenant(app.db, approver, (tx) => actOnStep(tx, approver, { documentId: documentId!, stepRowId: step.id, expectedVersion: card!.doc.version, outcome: 'approved' }));
    expect(acted.ok).toBe(true);
    if (!acted.ok) return;
    expect(acted.document.version).toBeGreaterThan(card!.doc.version);
    expect(['in_approval', 'approved', 'registered']).toContain(acted.document.state);
    if (acted.document.state === 'registered') {
      const [{ gapless }] = await superuser`
        select count(distinct registry_seq) = max(registry_seq) as gapless from documents
        where tenant_id = ${approver.tenantId} and registry_year = ${acted.document.registryYear} and registry_class = ${acted.document.registryClass}`;
      expect(gapless).toBe(true);
    }
    const verdict = await inTenant(app.db, approver, (tx) => verifyAuditChain(tx, approver.tenantId));
    expect(verdict.ok).toBe(true);
  });
});

describe('the seed’s business calendar', () => {
  it('gives the due times addBusinessHours gives', () => {
    const holidays = ['2025-01-01', '2025-01-02', '2025-01-07', '2025-02-17', '2025-04-18', '2025-04-21', '2025-05-01', '2025-05-02', '2025-11-11', '2026-01-01'];
    const calendar = new BusinessCalendar('2024-12-01', '2026-12-31', new Set(holidays));
    const rnd = new Random(42);
    const from = Date.parse('2024-12-05T00:00:00Z');
    for (let i = 0; i < 1500; i++) {
      const at = from + Math.floor(rnd.next() * 600 * 86_400_000);
      const hours = rnd.pick([0.05, 1, 8, 16, 24, 40, rnd.next() * 60, 7.999]);
      const expected = addBusinessHours(new Date(at), hours, { schedule: defaultSchedule, holidays: new Set(holidays) }).getTime();
      expect(calendar.addBusinessHours(at, hours), `${new Date(at).toISOString()} + ${hours} h`).toBe(expected);
    }
  });
});
