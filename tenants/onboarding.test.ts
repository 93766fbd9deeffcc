// Onboarding against a real PostgreSQL as the runtime role: approval, rejection, invitations,
// deletion and export, including the concurrent cases.
import { sql } from 'drizzle-orm';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { rowsOf } from '#db/rows';
import { signupRequests, tenants } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { standardCatalog } from '#app/workflow/catalog/index';
import { openSession } from '#tests/support/sessions';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import { hashPassword } from '#app/auth/password.server';
import { actOnStep } from '#app/workflow/engine/act-on-step.server';
import { createDocument } from '#app/workflow/engine/create-document.server';
import { actionableSteps } from '#app/workflow/engine/find-steps.server';
import { submitDocument } from '#app/workflow/engine/submit-document.server';
import { actorOf, inTenant } from '#tests/support/actors';
import { seedDemo } from './demo';
import { exportTenant } from './export';
import { acceptInvitation, issueInvitationToken, openInvitation } from './invitations';
import { deleteTenant, setTenantStatus } from './offboard';
import { approveSignup, rejectSignup } from './review';
import { requestResumeEmail, saveSignupStep, signupByToken, startSignup, submitSignup } from './signup';
import { eq } from 'drizzle-orm';

let testDb: TestDatabase;
let app: DatabaseHandle;
let owner: DatabaseHandle;
let reviewerId: string;
let reviewerSession: string;
const keys = standardCatalog.map((t) => t.key);

beforeAll(async () => {
  testDb = await createTestDatabase(inject('templateDatabase'));
  app = connectPostgres(testDb.appUrl, { max: 6 });
  owner = connectPostgres(testDb.ownerUrl, { max: 2 });
  await seedDemo(app.db, hashPassword);
  const [r] = rowsOf<{ id: string }>(await app.db.execute(sql`select id from users where email = 'petar.nikolic@ite.test'`));
  reviewerId = r.id;
  reviewerSession = await openSession(app.db, reviewerId);
});
afterAll(async () => {
  await app?.close();
  await owner?.close();
  await testDb?.drop();
});

const reviewer = () => ({ userId: reviewerId, ip: '192.0.2.1', userAgent: 'test', sessionToken: reviewerSession });

/** A complete submitted signup for a body with the given identifiers. */
async function submitted(name: string, maticniBroj: string, pib: string, staff: Array<{ email: string; fullName: string }> = []) {
  const { signup, token } = await startSignup(app.db, keys);
  await saveSignupStep(app.db, signup, {
    step: 'review',
    answers: {
      body: { kind: 'municipality', nameCyrl: `Општина ${name}`, maticniBroj, pib, address: 'Трг 1' },
      admin: { fullName: 'Админ Админовић', position: 'Администратор', email: `admin@${maticniBroj}.test` },
      units: [
        { code: 'OU', name: 'Општинска управа' },
        { code: 'FIN', name: 'Одељење за финансије', parentCode: 'OU' },
      ],
      staff: staff.map((s) => ({ ...s, position: 'Референт', unitCode: 'FIN', roles: ['employee'] })),
      templates: keys,
    },
    adminPasswordHash: await hashPassword('Admin-password-2026'),
    columns: { maticniBroj, pib, nameCyrl: `Општина ${name}`, contactEmail: `admin@${maticniBroj}.test` },
  });
  const fresh = (await signupByToken(app.db, token))!;
  expect(await submitSignup(app.db, fresh)).toEqual({ ok: true });
  return fresh.id;
}

async function countRows(tenantId: string): Promise<Record<string, number>> {
  const tables = rowsOf<{ name: string }>(
    await owner.db.execute(sql`select c.relname as name from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id'
      where c.relkind = 'r' and c.relnamespace = 'public'::regnamespace order by 1`),
  ).map((t) => t.name);
  const out: Record<string, number> = {};
  for (const t of tables) {
    // The owner is bound by forced RLS too: count inside the tenant's scope.
    const [r] = await withTenantOn(owner.db, { tenantId }, async (tx) => rowsOf<{ n: number }>(await tx.execute(sql.raw(`select count(*)::int as n from ${t} where tenant_id = '${tenantId}'`))));
    out[t] = r.n;
  }
  return out;
}

describe('approving a signup', () => {
  it('creates exactly one tenant when two reviewers approve at the same moment', async () => {
    const id = await submitted('Власотинце', '07245360', '100981009', [{ email: 'ref@vlasotince.test', fullName: 'Мика Микић' }]);
    const results = await Promise.all([

      approveSignup(app.db, { signupId: id, slug: 'vlasotince', reviewer: reviewer(), catalogKeys: keys }),
      approveSignup(app.db, { signupId: id, slug: 'vlasotince-2', reviewer: reviewer(), catalogKeys: keys }),
    ]);
    expect(results.filter((r) => r.ok), JSON.stringify(results)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ reason: 'notSubmitted' });
    const made = await app.db.select().from(tenants).where(sql`${tenants.maticniBroj} = '07245360'`);
    expect(made).toHaveLength(1);
    const tenantId = made[0].id;
    const counts = await countRows(tenantId);
    expect(counts).toMatchObject({ org_units: 2, memberships: 2, invitations: 1 });
    // No holiday is stored (the public holidays are computed for every year), and the catalog's adoptions.
    expect(counts.holidays).toBe(0);
    expect(counts.adoptions).toBeGreaterThan(0);
    // Emails requested: the decision and one invitation.
    const jobs = await withTenantOn(app.db, { tenantId }, async (tx) => rowsOf<{ job: string }>(await tx.execute(sql`select job from outbox order by job`)));
    expect(jobs.map((j) => j.job)).toEqual(['email.invitation', 'email.signupDecision']);
    const [signup] = await app.db.select().from(signupRequests).where(eq(signupRequests.id, id));
    expect(signup).toMatchObject({ status: 'approved', provisionedTenantId: tenantId, adminPasswordHash: null });
  });

  it('creates nothing for a rejected signup, and a rejected signup cannot be approved afterwards', async () => {
    const before = (await app.db.select().from(tenants)).length;
    const id = await submitted('Црна Трава', '07178417', '100528285');
    expect(await rejectSignup(app.db, { signupId: id, reason: 'Непотпуна документација', reviewer: reviewer() })).toBe(true);
    expect(await approveSignup(app.db, { signupId: id, slug: 'crna-trava', reviewer: reviewer(), catalogKeys: keys })).toEqual({ ok: false, reason: 'notSubmitted' });
    expect(await app.db.select().from(tenants)).toHaveLength(before);
    const [users] = rowsOf<{ n: number }>(await app.db.execute(sql`select count(*)::int as n from users where email = 'admin@07178417.test'`));
    expect(users.n).toBe(0);
  });

  it('refuses a second application while the first is under review', async () => {
    await submitted('Бабушница', '07351712', '100979086');
    const { signup, token } = await startSignup(app.db, keys);
    await saveSignupStep(app.db, signup, { step: 'body', answers: {}, columns: { maticniBroj: '07351712', pib: '100979086' } });
    const again = await submitSignup(app.db, (await signupByToken(app.db, token))!);
    expect(again).toMatchObject({ ok: false, known: { kind: 'pending' } });
  });
});

describe('invitations', () => {
  it('lets a link be used once, and lands the person in the tenant with their password', async () => {
    const id = await submitted('Бојник', '07235232', '100373016', [{ email: 'ana@bojnik.test', fullName: 'Ана Анић' }]);
    const approved = await approveSignup(app.db, { signupId: id, slug: 'bojnik', reviewer: reviewer(), catalogKeys: keys });
    if (!approved.ok) throw new Error('not approved');
    const [inv] = await withTenantOn(app.db, { tenantId: approved.tenantId }, async (tx) => rowsOf<{ id: string }>(await tx.execute(sql`select id from invitations`)));
    const token = (await withTenantOn(app.db, { tenantId: approved.tenantId }, (tx) => issueInvitationToken(tx, approved.tenantId, inv.id)))!;
    const open = (await openInvitation(app.db, token))!;
    expect(open).toMatchObject({ email: 'ana@bojnik.test', hasPassword: false, tenantSlug: 'bojnik' });
    const meta = { ip: null, userAgent: null };
    const both = await Promise.all([acceptInvitation(app.db, open, token, 'hash-1', meta), acceptInvitation(app.db, open, token, 'hash-2', meta)]);
    expect(both.filter(Boolean)).toHaveLength(1);
    expect(await openInvitation(app.db, token)).toBeNull();
    const [user] = rowsOf<{ password_hash: string }>(await app.db.execute(sql`select password_hash from users where email = 'ana@bojnik.test'`));
    expect(['hash-1', 'hash-2']).toContain(user.password_hash);
    // A forged token naming the tenant but with other random bytes opens nothing.
    expect(await openInvitation(app.db, token.slice(0, 30) + 'A'.repeat(34))).toBeNull();
  });

  it('stops working while the tenant is suspended', async () => {
    const id = await submitted('Медвеђа', '07223110', '101911613', [{ email: 'mika@medvedja.test', fullName: 'Мика Мишић' }]);
    const approved = await approveSignup(app.db, { signupId: id, slug: 'medvedja', reviewer: reviewer(), catalogKeys: keys });
    if (!approved.ok) throw new Error('not approved');
    const [inv] = await withTenantOn(app.db, { tenantId: approved.tenantId }, async (tx) => rowsOf<{ id: string }>(await tx.execute(sql`select id from invitations`)));
    const token = (await withTenantOn(app.db, { tenantId: approved.tenantId }, (tx) => issueInvitationToken(tx, approved.tenantId, inv.id)))!;
    expect(await setTenantStatus(app.db, reviewer(), approved.tenantId, 'suspended')).toBe(true);
    expect(await openInvitation(app.db, token)).toBeNull();
    expect(await setTenantStatus(app.db, reviewer(), approved.tenantId, 'active')).toBe(true);
    expect(await openInvitation(app.db, token)).not.toBeNull();
  });
});

describe('deleting and exporting a tenant', () => {
  it('exports everything of the tenant and nothing of another', async () => {
    const [surdulica] = await app.db.select().from(tenants).where(eq(tenants.slug, 'surdulica'));
    // A registered request, a draft, and a request of the agency that must stay out.
    const nikola = await actorOf(app.db, 'surdulica', 'nikola.petrovic@surdulica.test');
    const marija = await actorOf(app.db, 'surdulica', 'marija.stojanovic@surdulica.test');
    const agency = await actorOf(app.db, 'business-registers-agency', 'milica.savic@apr.test');
    const values = { date: '2026-12-03', plannedStart: '16:00', plannedEnd: '18:00', ground: 'workloadIncrease', description: 'Попис имовине општине' };
    const submitted = await inTenant(app.db, nikola, async (tx) => {
      const doc = await createDocument(tx, nikola, { templateKey: 'overtime-request' });
      return submitDocument(tx, nikola, doc.id, doc.version, values);
    });
    if (!submitted.ok) throw new Error('the request was refused');
    const registered = await inTenant(app.db, marija, async (tx) => {
      const [step] = await actionableSteps(tx, marija.tenantId, marija.membershipId, submitted.document.id);
      return actOnStep(tx, marija, { documentId: submitted.document.id, stepRowId: step.id, expectedVersion: submitted.document.version, outcome: 'approved' });
    });
    if (!registered.ok || !registered.document.registryNumber) throw new Error('the request was not registered');
    const draft = await inTenant(app.db, nikola, (tx) => createDocument(tx, nikola, { templateKey: 'overtime-request' }));
    const foreign = await inTenant(app.db, agency, (tx) => createDocument(tx, agency, { templateKey: 'overtime-request' }));

    const { zip } = await withTenantOn(app.db, { tenantId: surdulica.id }, (tx) => exportTenant(tx, surdulica.id, reviewer()));
    const raw = unzipSync(zip);
    const files = Object.fromEntries(Object.entries(raw).filter(([k]) => !k.endsWith('.pdf')).map(([k, v]) => [k, strFromU8(v)]));
    const manifest = JSON.parse(files['manifest.json']);
    const docIds = rowsOf<{ id: string; registry_number: string | null }>(
      await withTenantOn(app.db, { tenantId: surdulica.id }, (tx) => tx.execute(sql`select id, registry_number from documents where tenant_id = ${surdulica.id}`)),
    );
    expect(docIds.map((d) => d.id)).toEqual(expect.arrayContaining([registered.document.id, draft.id]));
    expect(manifest.files.map((f: { path: string }) => f.path).sort()).toEqual(
      [
        'adoptions.csv',
        'audit-events.csv',
        'documents.csv',
        'holidays.csv',
        'org-units.csv',
        'registry-log.csv',
        'staff.csv',
        'substitutes.csv',
        'tenant.json',
        ...docIds.map((d) => `documents/${d.id}.json`),
        ...docIds.filter((d) => d.registry_number).map((d) => `documents/${d.id}.pdf`),
      ].sort(),
    );
    const exported = JSON.parse(files[`documents/${registered.document.id}.json`]);
    expect(exported).toMatchObject({ state: 'registered', registryNumber: registered.document.registryNumber, values, computed: { hours: '2.00' }, template: { key: 'overtime-request' } });
    expect(exported.line.map((s: { outcome: string | null }) => s.outcome)).toContain('approved');
    expect(exported.revisions).toHaveLength(1);
    expect(exported.revisions[0].values).toMatchObject(values);
    expect(JSON.parse(files[`documents/${draft.id}.json`])).toMatchObject({ state: 'draft', line: [], revisions: [] });
    const pdf = raw[`documents/${registered.document.id}.pdf`];
    expect(strFromU8(pdf.subarray(0, 5))).toBe('%PDF-');
    expect(files['registry-log.csv']).toContain(registered.document.registryNumber);
    expect(files['documents.csv'].trimEnd().split('\r\n')).toHaveLength(1 + docIds.length);
    expect(files['staff.csv']).toContain('milos.tomic@surdulica.test');
    expect(files['staff.csv']).toContain('Драган Јовановић');
    expect(files['staff.csv'].trimEnd().split('\r\n')).toHaveLength(1 + 9);
    expect(files['org-units.csv']).toContain('Одељење за буџет и финансије');
    // Nothing of the agency, nor of any other tenant.
    const everything = Object.values(files).join('\n');
    expect(everything).not.toContain(foreign.id);
    expect(everything).not.toContain(agency.membershipId);
    expect(everything).not.toContain('@apr.test');
    expect(everything).not.toContain('Сектор за регистрацију');
    const counts = await countRows(surdulica.id);
    expect(files['audit-events.csv'].trimEnd().split('\r\n')).toHaveLength(1 + counts.audit_events);
    expect(files['holidays.csv'].trimEnd().split('\r\n')).toHaveLength(1 + counts.holidays);
  });

  it('leaves no row of a deleted tenant in any table and touches no other tenant', async () => {
    const id = await submitted('Лебане', '07209410', '100529157', [{ email: 'pera@lebane.test', fullName: 'Пера Перић' }]);
    const approved = await approveSignup(app.db, { signupId: id, slug: 'lebane', reviewer: reviewer(), catalogKeys: keys });
    if (!approved.ok) throw new Error('not approved');
    const [surdulica] = await app.db.select().from(tenants).where(eq(tenants.slug, 'surdulica'));
    const surdulicaBefore = await countRows(surdulica.id);
    const removed = await deleteTenant(app.db, reviewer(), approved.tenantId);
    expect(removed).toMatchObject({ tenants: 1, users: 2, memberships: 2 });
    expect(Object.values(await countRows(approved.tenantId)).every((n) => n === 0)).toBe(true);
    expect(await app.db.select().from(tenants).where(eq(tenants.id, approved.tenantId))).toEqual([]);
    const [people] = rowsOf<{ n: number }>(await app.db.execute(sql`select count(*)::int as n from users where email in ('pera@lebane.test', 'admin@07209410.test')`));
    expect(people.n).toBe(0);
    expect(await countRows(surdulica.id)).toEqual(surdulicaBefore);
    // The national office's trail records the deletion.
    const [national] = await app.db.select().from(tenants).where(eq(tenants.kind, 'national'));
    const events = await withTenantOn(app.db, { tenantId: national.id }, async (tx) => rowsOf<{ type: string }>(await tx.execute(sql`select type from audit_events where subject_id = ${approved.tenantId}`)));
    expect(events.map((e) => e.type)).toContain('tenant.deleted');
  });

  it('keeps a person who also works for another tenant', async () => {
    const id = await submitted('Гаџин Хан', '07175035', '100620482', [{ email: 'ana.markovic@ite.test', fullName: 'Ана Марковић' }]);
    const approved = await approveSignup(app.db, { signupId: id, slug: 'gadzin-han', reviewer: reviewer(), catalogKeys: keys });
    if (!approved.ok) throw new Error('not approved');
    await deleteTenant(app.db, reviewer(), approved.tenantId);
    const [ana] = rowsOf<{ n: number }>(await app.db.execute(sql`select count(*)::int as n from user_tenants((select id from users where email = 'ana.markovic@ite.test'))`));
    expect(ana.n).toBe(2);
  });

  it('refuses to delete the national office, and the runtime role cannot delete a tenant directly', async () => {
    const [national] = await app.db.select().from(tenants).where(eq(tenants.kind, 'national'));
    await expect(deleteTenant(app.db, reviewer(), national.id)).rejects.toThrow(/national office/);
    const [surdulica] = await app.db.select().from(tenants).where(eq(tenants.slug, 'surdulica'));
    await expect(app.db.execute(sql`delete from tenants where id = ${surdulica.id}`)).rejects.toThrow();
    await expect(app.db.execute(sql`select set_config('delovod.offboarding', 'on', false)`)).resolves.toBeDefined();
    await expect(app.db.execute(sql`delete from audit_events`)).rejects.toThrow();
    await app.db.execute(sql`select set_config('delovod.offboarding', 'off', false)`);
  });
});

describe('the signup wizard’s “send me a link to continue”', () => {
  it('sends the link on PostgreSQL, then not again within five minutes', async () => {
    const { signup } = await startSignup(app.db, keys);
    expect(await requestResumeEmail(app.db, signup)).toBe('noEmail');
    await saveSignupStep(app.db, signup, { step: 'body', answers: {}, columns: { contactEmail: 'resume@example.test' } });
    const withEmail = (await app.db.select().from(signupRequests).where(eq(signupRequests.id, signup.id)))[0];
    // Giving the address sent the first link; asking again at once is too soon.
    expect(await requestResumeEmail(app.db, withEmail)).toBe('tooSoon');
    await owner.db.execute(sql`update signup_requests set resume_sent_at = now() - interval '6 minutes' where id = ${signup.id}`);
    expect(await requestResumeEmail(app.db, withEmail)).toBe('sent');
    const national = await withTenantOn(owner.db, { tenantSlug: 'national' }, async (tx) =>
      rowsOf<{ count: number }>(await tx.execute(sql`select count(*)::int as count from outbox where job = 'email.signupResume' and payload->>'signupId' = ${signup.id}`)),
    );
    expect(national[0].count).toBe(2);
  });
});
