// Mandatory template upgrades against PostgreSQL as the runtime role: once a version's
// adoption deadline passes (Belgrade calendar), adopters of older versions move to it for new
// documents while documents in flight keep their version; the tenant admins are told in the
// app and by email; a version whose parameters the tenant's settings do not fit is announced
// once and adopted by nobody; and a second run changes nothing.
import { simpleParser } from 'mailparser';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '#app/auth/password.server';
import type { Actor } from '#app/workflow/engine/actor';
import { createDocument } from '#app/workflow/engine/create-document.server';
import { myNotifications } from '#app/workflow/engine/list-notifications.server';
import { createDraftVersion, findVersion, publishVersion, saveDraft, setAdoptBy } from '#app/workflow/publishing/catalog.server';
import { standardCatalog } from '#app/workflow/catalog/index';
import type { TemplateVersion } from '#app/workflow/template/schema';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { rowsOf } from '#db/rows';
import { adoptions, auditEvents, documents, notifications, outbox, templates } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { seedDemo } from '#tenants/demo';
import { actorOf, inTenant } from '#tests/support/actors';
import { acted, overtimeRequest, submitted } from '#tests/support/documents';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import { notificationEmail } from './definitions/email';
import { upgradeOverdueAdoptions } from './definitions/upgrades';
import { createMailer } from './email/transport';

let database: TestDatabase;
let app: DatabaseHandle;
let mailDir: string;
let national: { nationalTenantId: string; userId: string };
let nikola: Actor, marija: Actor, milos: Actor, milica: Actor;

const ctxAt = (iso: string) => ({ db: app.db, mailer: createMailer({ mailDir, from: 'test@delovod.test' }), log: pino({ level: 'silent' }), now: () => new Date(iso) });
const inNational = <T>(fn: Parameters<typeof withTenantOn<T>>[2]) => withTenantOn(app.db, { tenantId: national.nationalTenantId }, fn);

/** Publishes the next version of a template, changed by `change`, with an adoption deadline. */
async function publishNext(key: string, change: (def: TemplateVersion) => TemplateVersion, adoptBy: string) {
  const latest = rowsOf<{ version: number }>(await app.db.execute(sql`select max(v.version) as version from template_versions v join templates t on t.id = v.template_id where t.key = ${key}`))[0];
  const from = (await findVersion(app.db, key, latest.version))!;
  const draft = await inNational((tx) => createDraftVersion(tx, national, from.id));
  await inNational((tx) => saveDraft(tx, draft.id, change(draft.definition as TemplateVersion) as unknown as Record<string, unknown>));
  const published = await inNational((tx) => publishVersion(tx, national, draft.id));
  if (!published.ok) throw new Error(`publish refused: ${JSON.stringify(published.problems)}`);
  await inNational((tx) => setAdoptBy(tx, national, draft.id, adoptBy));
  return draft.id;
}

const adoptedVersion = async (actor: Actor) =>
  (
    await inTenant(app.db, actor, (tx) =>
      tx
        .select({ versionId: adoptions.versionId, parameters: adoptions.parameters })
        .from(adoptions)
        .innerJoin(templates, eq(templates.id, adoptions.templateId))
        .where(and(eq(adoptions.tenantId, actor.tenantId), eq(templates.key, 'overtime-request'))),
    )
  )[0];

const told = (actor: Actor) =>
  inTenant(app.db, actor, (tx) => tx.select().from(notifications).where(and(eq(notifications.tenantId, actor.tenantId), sql`${notifications.kind} like 'adoption.%'`)));

/** Everything an upgrade run may write, per tenant: adoptions, notifications, outbox rows, audit events. */
const footprint = (actor: Actor) =>
  inTenant(app.db, actor, async (tx) => {
    const count = (table: typeof adoptions | typeof notifications | typeof outbox | typeof auditEvents) =>
      tx.select({ n: sql<number>`count(*)::int` }).from(table).where(eq(table.tenantId, actor.tenantId)).then((r) => r[0].n);
    return {
      adoptions: await tx.select({ id: adoptions.id, versionId: adoptions.versionId, updatedAt: adoptions.updatedAt }).from(adoptions).where(eq(adoptions.tenantId, actor.tenantId)),
      notifications: await count(notifications),
      outbox: await count(outbox),
      audit: await count(auditEvents),
    };
  });

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  app = connectPostgres(database.appUrl, { max: 4 });
  await seedDemo(app.db, hashPassword);
  mailDir = await mkdtemp(join(tmpdir(), 'delovod-upgrades-'));
  const [tenant] = rowsOf<{ id: string }>(await app.db.execute(sql`select id from tenants where kind = 'national'`));
  const [user] = rowsOf<{ id: string }>(await app.db.execute(sql`select id from users where email = 'ana.markovic@ite.test'`));
  national = { nationalTenantId: tenant.id, userId: user.id };
  const s = (n: string) => actorOf(app.db, 'surdulica', `${n}@surdulica.test`);
  [nikola, marija, milos] = await Promise.all(['nikola.petrovic', 'marija.stojanovic', 'milos.tomic'].map(s));
  milica = await actorOf(app.db, 'business-registers-agency', 'milica.savic@apr.test');
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
  if (mailDir) await rm(mailDir, { recursive: true, force: true });
});

describe('mandatory upgrades', () => {
  const shipped = standardCatalog.find((d) => d.key === 'overtime-request')!.version;
  it('moves adopters to the version whose deadline passed, for new documents only, tells the admins once, and does nothing more when run again', async () => {
    // The version the demo tenants adopted: the shipped one (issue 22 made it 2).
    const v1 = (await findVersion(app.db, 'overtime-request', shipped))!;
    const inFlight = await submitted(app.db, nikola, 'overtime-request', overtimeRequest('2026-11-24', '16:00', '18:00'));
    const draft = await inTenant(app.db, nikola, (tx) => createDocument(tx, nikola, { templateKey: 'overtime-request' }));
    const v2 = await publishNext(
      'overtime-request',
      (def) => ({ ...def, fields: [...def.fields, { name: 'note', type: 'textarea', label: { 'sr-Cyrl': 'Напомена', 'sr-Latn': 'Napomena', en: 'Note' } } as TemplateVersion['fields'][number]] }),
      '2026-12-01',
    );
    const before = await footprint(milos);

    // 23:30 on 30 November in Belgrade: the deadline is tomorrow.
    expect(await upgradeOverdueAdoptions(ctxAt('2026-11-30T22:30:00Z'))).toEqual({ upgraded: 0, blocked: 0 });
    expect((await adoptedVersion(milos)).versionId).toBe(v1.id);
    expect(await footprint(milos)).toEqual(before);

    // 00:30 on 1 December in Belgrade (still 30 November in UTC).
    expect(await upgradeOverdueAdoptions(ctxAt('2026-11-30T23:30:00Z'))).toEqual({ upgraded: 2, blocked: 0 });
    for (const admin of [milos, milica]) {
      const adoption = await adoptedVersion(admin);
      expect(adoption.versionId).toBe(v2);
      expect(adoption.parameters).toEqual({ 'sla.approval': 16 });
    }

    // Documents already started keep their version and go on; a new one uses the new version.
    const kept = await inTenant(app.db, nikola, (tx) =>
      tx.select({ versionId: documents.versionId }).from(documents).where(and(eq(documents.tenantId, nikola.tenantId), inArray(documents.id, [inFlight.id, draft.id]))),
    );
    expect(kept.map((d) => d.versionId)).toEqual([v1.id, v1.id]);
    const approved = await acted(app.db, marija, inFlight, 'approved');
    expect(approved.versionId).toBe(v1.id);
    const fresh = await inTenant(app.db, nikola, (tx) => createDocument(tx, nikola, { templateKey: 'overtime-request' }));
    expect(fresh.versionId).toBe(v2);

    // The admins are told in the app, with an email each, and the change is in the audit trail.
    const [notice] = await told(milos);
    expect(notice).toMatchObject({ kind: 'adoption.upgraded', recipientId: milos.membershipId, documentId: null });
    expect(notice.data).toMatchObject({ key: 'overtime-request', version: shipped + 1, versionId: v2, deadline: '2026-12-01' });
    expect((await told(milica)).map((n) => [n.kind, n.recipientId])).toEqual([['adoption.upgraded', milica.membershipId]]);
    // The notifications page names the template in the reader's language.
    const listed = await inTenant(app.db, milos, (tx) => myNotifications(tx, milos.tenantId, milos.membershipId, 'en'));
    expect(listed.find((n) => n.id === notice.id)).toMatchObject({ title: 'Overtime request', data: expect.objectContaining({ version: shipped + 1, key: 'overtime-request' }) });
    const [mailRow] = await inTenant(app.db, milos, (tx) =>
      tx.select().from(outbox).where(and(eq(outbox.tenantId, milos.tenantId), eq(outbox.job, 'email.notification'), sql`${outbox.payload}->>'notificationId' = ${notice.id}`)),
    );
    expect(mailRow).toBeDefined();
    await notificationEmail.handler(mailRow.payload as { tenantId: string; notificationId: string }, ctxAt('2026-12-01T06:00:00Z'), { outboxId: mailRow.id, attempt: 1 });
    const [file] = (await readdir(mailDir)).filter((f) => f.startsWith(`_${mailRow.id}`) && f.endsWith('.eml'));
    const mail = await simpleParser(await readFile(join(mailDir, file)));
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toContain('milos.tomic@surdulica.test');
    expect(mail.subject).toBe(`Захтев за прековремени рад: пређено на верзију ${shipped + 1}`);
    expect(mail.text).toContain('/t/surdulica/admin/templates/overtime-request');
    expect(mail.text).toContain('01.12.2026.');
    const [audit] = await inTenant(app.db, milos, (tx) => tx.select().from(auditEvents).where(and(eq(auditEvents.tenantId, milos.tenantId), eq(auditEvents.type, 'adoption.upgraded'))));
    expect(audit).toMatchObject({ actorUserId: null, data: expect.objectContaining({ version: shipped + 1, fromVersionId: v1.id }) });

    // Run again, the same day and later: nothing more happens.
    const after = await footprint(milos);
    expect(await upgradeOverdueAdoptions(ctxAt('2026-12-01T05:30:00Z'))).toEqual({ upgraded: 0, blocked: 0 });
    expect(await upgradeOverdueAdoptions(ctxAt('2027-02-01T05:30:00Z'))).toEqual({ upgraded: 0, blocked: 0 });
    expect(await footprint(milos)).toEqual(after);
  });

  it('leaves an adoption whose settings the new version refuses where it is, and tells the admins once', async () => {
    const current = (await adoptedVersion(milos)).versionId;
    // The new version asks for at least 24 hours to approve; both tenants keep the default 16.
    const v3 = await publishNext(
      'overtime-request',
      (def) => ({ ...def, tenantParameters: def.tenantParameters.map((p) => (p.name === 'sla.approval' && p.type !== 'position' ? { ...p, default: 24, min: 24 } : p)) }),
      '2027-03-01',
    );
    expect(await upgradeOverdueAdoptions(ctxAt('2027-03-01T05:30:00Z'))).toEqual({ upgraded: 0, blocked: 2 });
    expect((await adoptedVersion(milos)).versionId).toBe(current);
    const blocked = (await told(milos)).filter((n) => n.kind === 'adoption.upgradeBlocked');
    expect(blocked).toHaveLength(1);
    expect(blocked[0].data).toMatchObject({ version: shipped + 2, versionId: v3 });
    expect((await told(milica)).filter((n) => n.kind === 'adoption.upgradeBlocked')).toHaveLength(1);

    const after = await footprint(milos);
    await upgradeOverdueAdoptions(ctxAt('2027-03-02T05:30:00Z'));
    expect(await footprint(milos)).toEqual(after);
  });
});
