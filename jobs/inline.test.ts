// The embedded mode (npm run demo without Redis) on PGlite: the same reminder and report
// definitions run in-process from the outbox, emails land in the mail folder; and a document
// is registered (and sealed) as on PostgreSQL.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword } from '#app/auth/password.server';
import { actOnStep } from '#app/workflow/engine/act-on-step.server';
import { actionableSteps } from '#app/workflow/engine/find-steps.server';
import { verifyAuditChain } from '#db/audit';
import { openEmbedded, type DatabaseHandle } from '#db/client';
import { auditEvents, documentSteps, notifications, reports, sealedDocuments } from '#db/schema';
import { seedDemo } from '#tenants/demo';
import { actorOf, inTenant } from '#tests/support/actors';
import { submitted } from '#tests/support/documents';
import { pdfsig } from '#tests/support/seal';
import { createMailer } from './email/transport';
import { drainOutbox } from './inline';
import { enqueue } from './kinds';
import { runSchedule } from './run';

let handle: DatabaseHandle;
let mailDir: string;

beforeAll(async () => {
  handle = await openEmbedded('memory://');
  await seedDemo(handle.db, hashPassword);
  mailDir = await mkdtemp(join(tmpdir(), 'delovod-mail-'));
});
afterAll(async () => {
  await handle?.close();
  if (mailDir) await rm(mailDir, { recursive: true, force: true });
});

it('runs the reminder sweep and a requested report in-process, and writes the emails to the folder', async () => {
  const ctx = { db: handle.db, mailer: createMailer({ mailDir, from: 'demo@delovod.test' }), log: pino({ level: 'silent' }), now: () => new Date() };
  const nikola = await actorOf(handle.db, 'surdulica', 'nikola.petrovic@surdulica.test');
  const marija = await actorOf(handle.db, 'surdulica', 'marija.stojanovic@surdulica.test');
  const doc = await submitted(handle.db, nikola, 'overtime-request', { date: '2026-12-02', plannedStart: '16:00', plannedEnd: '18:00', ground: 'workloadIncrease', description: 'Буџет' });
  await inTenant(handle.db, marija, (tx) => tx.update(documentSteps).set({ dueAt: new Date(Date.now() - 60_000) }).where(and(eq(documentSteps.tenantId, marija.tenantId), eq(documentSteps.documentId, doc.id))));
  await runSchedule('reminders.sweep', ctx);
  await runSchedule('reminders.sweep', ctx);
  const report = await inTenant(handle.db, marija, async (tx) => {
    const [r] = await tx.insert(reports).values({ tenantId: marija.tenantId, kind: 'overtime-monthly', period: '2026-11', requestedBy: marija.membershipId }).returning();
    await enqueue(tx, { name: 'reports.build', payload: { tenantId: marija.tenantId, reportId: r.id } });
    return r;
  });
  expect(await drainOutbox(ctx)).toBeGreaterThan(0);
  const reminders = await inTenant(handle.db, marija, (tx) => tx.select().from(notifications).where(and(eq(notifications.documentId, doc.id), eq(notifications.kind, 'step.reminder'))));
  expect(reminders.map((n) => n.recipientId)).toEqual([marija.membershipId]);
  const [built] = await inTenant(handle.db, marija, (tx) => tx.select().from(reports).where(and(eq(reports.tenantId, marija.tenantId), eq(reports.id, report.id))));
  expect(built.status).toBe('done');
  const files = await readdir(mailDir);
  expect(files.filter((f) => f.endsWith('.eml')).length).toBeGreaterThanOrEqual(2);
  expect(await drainOutbox(ctx)).toBe(0);
}, 60_000);

it('registers an approved request on the embedded database, its number in the document and in the audit chain', async () => {
  const nikola = await actorOf(handle.db, 'surdulica', 'nikola.petrovic@surdulica.test');
  const marija = await actorOf(handle.db, 'surdulica', 'marija.stojanovic@surdulica.test');
  const doc = await submitted(handle.db, nikola, 'overtime-request', { date: '2026-12-03', plannedStart: '16:00', plannedEnd: '18:00', ground: 'workloadIncrease', description: 'Буџет' });
  const [step] = await inTenant(handle.db, marija, (tx) => actionableSteps(tx, marija.tenantId, marija.membershipId, doc.id));
  const result = await inTenant(handle.db, marija, (tx) => actOnStep(tx, marija, { documentId: doc.id, stepRowId: step.id, expectedVersion: doc.version, outcome: 'approved' }));
  expect(result.ok && result.document).toMatchObject({ state: 'registered', registryNumber: expect.stringMatching(/^112-\d+\/\d{4}$/) });
  const [event] = await inTenant(handle.db, marija, (tx) => tx.select().from(auditEvents).where(and(eq(auditEvents.subjectId, doc.id), eq(auditEvents.type, 'document.registered'))));
  expect(event.data).toMatchObject({ registryNumber: result.document.registryNumber });
  // The in-process runner seals it with the demo's test seal, as the worker would.
  await drainOutbox({ db: handle.db, mailer: createMailer({ mailDir, from: 'demo@delovod.test' }), log: pino({ level: 'silent' }), now: () => new Date() });
  const [sealed] = await inTenant(handle.db, marija, (tx) => tx.select().from(sealedDocuments).where(eq(sealedDocuments.documentId, doc.id)));
  expect(sealed).toMatchObject({ level: 'B-B', testSeal: true });
  expect(pdfsig(sealed.pdf)).toContain('Signature Validation: Signature is Valid.');
  expect(await inTenant(handle.db, marija, (tx) => verifyAuditChain(tx, marija.tenantId))).toMatchObject({ ok: true });
}, 60_000);
