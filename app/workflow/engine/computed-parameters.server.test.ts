// A pay slip keeps the tenant parameters its amounts were computed with: after the municipality
// raises a premium, a registered slip (a payroll record) still states its basis, at the old rate,
// on the card and in the PDF; a slip prepared after the change is computed at the new rate.
import { execFileSync } from 'node:child_process';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '#app/auth/password.server';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { adoptions, documents, templates } from '#db/schema';
import { adoptVersion } from '#tenants/adoption';
import { seedDemo } from '#tenants/demo';
import { actorOf, inTenant } from '#tests/support/actors';
import { acted, overtimeRequest, submitted } from '#tests/support/documents';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import { renderDocumentPdf } from '../documents/pdf.server';
import type { Locale } from '../template/labels';
import type { Actor } from './actor';
import { loadCard } from './card.server';
import { createDocument } from './create-document.server';
import { saveDraft } from './save-draft.server';
import type { DocumentRow } from './transition.server';

let database: TestDatabase;
let app: DatabaseHandle;
let nikola: Actor, jelena: Actor, marija: Actor, ivana: Actor, zoran: Actor, dragan: Actor, milos: Actor;
/** Registered at 26 % before the premium was raised. */
let registered: DocumentRow;
/** Prepared at 26 %, approved and registered after the premium was raised. */
let preparedBefore: DocumentRow;
/** Submitted before the premium was raised, prepared after it. */
let preparedAfter: DocumentRow;

const OLD = { 'premium.overtime': 26, 'premium.night': 26, 'premium.holiday': 110 };
const NEW = { ...OLD, 'premium.overtime': 30 };

/** One evening's overtime, requested, approved, reported and confirmed: what a slip sums. */
async function confirmedEvening(employee: Actor, date: string, start: string, end: string, actualEnd: string) {
  const request = await acted(app.db, marija, await submitted(app.db, employee, 'overtime-request', overtimeRequest(date, start, end)), 'approved');
  const report = await submitted(app.db, employee, 'overtime-report', { actualStart: start, actualEnd, workDone: 'Завршена документација' }, request.id);
  await acted(app.db, marija, report, 'approved');
}

async function setPremiums(parameters: Record<string, number>) {
  const [adoption] = await inTenant(app.db, milos, (tx) =>
    tx
      .select({ versionId: adoptions.versionId })
      .from(adoptions)
      .innerJoin(templates, eq(templates.id, adoptions.templateId))
      .where(and(eq(adoptions.tenantId, milos.tenantId), eq(templates.key, 'overtime-pay-slip'))),
  );
  const result = await inTenant(app.db, milos, (tx) =>
    adoptVersion(tx, { tenantId: milos.tenantId, versionId: adoption.versionId, parameters, positions: {}, actorUserId: milos.userId, locale: 'sr-Cyrl' }),
  );
  expect(result.ok).toBe(true);
}

const card = (doc: DocumentRow, locale: Locale = 'sr-Cyrl') =>
  inTenant(app.db, ivana, (tx) => loadCard(tx, { tenantId: ivana.tenantId, membershipId: ivana.membershipId, permissions: new Set() }, doc.id, locale));

/** The PDF as a reader's viewer shows it, with line breaks from wrapping folded. */
async function pdfText(doc: DocumentRow, locale: Locale = 'sr-Cyrl'): Promise<string> {
  const pdf = await inTenant(app.db, ivana, (tx) => renderDocumentPdf(tx, { tenantId: ivana.tenantId, documentId: doc.id, locale }));
  expect(pdf).not.toBeNull();
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf! }).toString('utf8').replace(/\s+/g, ' ');
}

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  app = connectPostgres(database.appUrl, { max: 4 });
  await seedDemo(app.db, hashPassword);
  const s = (name: string) => actorOf(app.db, 'surdulica', `${name}@surdulica.test`);
  [nikola, jelena, marija, ivana, zoran, dragan, milos] = await Promise.all(
    ['nikola.petrovic', 'jelena.djordjevic', 'marija.stojanovic', 'ivana.stankovic', 'zoran.ilic', 'dragan.jovanovic', 'milos.tomic'].map(s),
  );
  // 3.5 h each (1.5 h of it at night), in three employee-months.
  await confirmedEvening(jelena, '2026-12-23', '20:00', '23:00', '23:30');
  await confirmedEvening(jelena, '2026-11-18', '20:00', '23:00', '23:30');
  await confirmedEvening(nikola, '2026-12-16', '20:00', '23:00', '23:30');

  // Jelena's December: prepared and registered while the premium is 26 %.
  const slip = await submitted(app.db, ivana, 'overtime-pay-slip', { employee: jelena.membershipId, month: '2026-12' });
  const prepared = await acted(app.db, ivana, slip, 'prepared', { raw: { hourlyRate: '812.40' } });
  registered = await acted(app.db, dragan, await acted(app.db, zoran, prepared, 'approved'), 'approved');
  // Jelena's November: prepared at 26 %, still in approval. Nikola's December: waiting for finance.
  const november = await submitted(app.db, ivana, 'overtime-pay-slip', { employee: jelena.membershipId, month: '2026-11' });
  const preparedNovember = await acted(app.db, ivana, november, 'prepared', { raw: { hourlyRate: '700.00' } });
  const nikolas = await submitted(app.db, ivana, 'overtime-pay-slip', { employee: nikola.membershipId, month: '2026-12' });

  // The municipality raises the overtime premium.
  await setPremiums(NEW);

  preparedBefore = await acted(app.db, dragan, await acted(app.db, zoran, preparedNovember, 'approved'), 'approved');
  preparedAfter = await acted(app.db, ivana, nikolas, 'prepared', { raw: { hourlyRate: '650.00' } });
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('a pay slip registered before the premium was raised', () => {
  it('keeps the parameters its amounts were computed with', () => {
    expect(registered.state).toBe('registered');
    // 3.5 h × 812.40 × 26 % = 739.284 → 739.28.
    expect(registered.computed).toMatchObject({ baseAmount: '2843.40', overtimeIncrease: '739.28', nightIncrease: '316.84', totalAmount: '3899.52' });
    expect(registered.computedParameters).toEqual(OLD);
  });

  it('still states its basis on the card, at the old rate and with the old amount', async () => {
    const c = await card(registered);
    expect(c?.doc.computed).toMatchObject({ overtimeIncrease: '739.28', totalAmount: '3899.52' });
    expect(c?.computedBasis).toMatchObject({
      baseAmount: '3,50 × 812,40\u00a0дин.',
      overtimeIncrease: '3,50 × 812,40\u00a0дин. × 26\u00a0%',
      nightIncrease: '1,50 × 812,40\u00a0дин. × 26\u00a0%',
      totalAmount: '2.843,40\u00a0дин. + 739,28\u00a0дин. + 316,84\u00a0дин. + 0,00\u00a0дин.',
    });
    // The form a preparer would recompute with is today's: only the stored basis is the old one,
    // and the card says the stored amounts are not what a save would store now (the browser's
    // live figures recompute at once).
    expect(c?.computing.parameterValues).toEqual(NEW);
    expect(c?.computedCurrent).toBe(false);
    expect((await card(registered, 'en'))?.computedBasis.overtimeIncrease).toBe('3.50 × RSD\u00a0812.40 × 26\u00a0%');
  });

  it('still states its basis in the PDF, at the old rate and with the old amount', async () => {
    const out = await pdfText(registered);
    expect(out).toContain('739,28 дин. = 3,50 × 812,40 дин. × 26 %');
    expect(out).toContain('3.899,52 дин. = 2.843,40 дин. + 739,28 дин. + 316,84 дин. + 0,00 дин.');
    expect(out).not.toContain('× 30 %');
    expect(await pdfText(registered, 'en')).toContain('RSD 739.28 = 3.50 × RSD 812.40 × 26 %');
  });
});

describe('pay slips on the line when the premium was raised', () => {
  it('keeps the amounts finance prepared before the change, with their basis, through approval and registration', async () => {
    expect(preparedBefore.state).toBe('registered');
    // 3.5 h × 700.00 × 26 % = 637.00: approvals do not recompute.
    expect(preparedBefore.computed).toMatchObject({ baseAmount: '2450.00', overtimeIncrease: '637.00' });
    expect(preparedBefore.computedParameters).toEqual(OLD);
    expect((await card(preparedBefore))?.computedBasis.overtimeIncrease).toBe('3,50 × 700,00\u00a0дин. × 26\u00a0%');
    expect(await pdfText(preparedBefore)).toContain('637,00 дин. = 3,50 × 700,00 дин. × 26 %');
  });

  it('computes a slip finance prepares after the change at the new rate, and states that basis', async () => {
    expect(preparedAfter.state).toBe('in_approval');
    // 3.5 h × 650.00 × 30 % = 682.50.
    expect(preparedAfter.computed).toMatchObject({ baseAmount: '2275.00', overtimeIncrease: '682.50' });
    expect(preparedAfter.computedParameters).toEqual(NEW);
    expect((await card(preparedAfter))?.computedBasis.overtimeIncrease).toBe('3,50 × 650,00\u00a0дин. × 30\u00a0%');
    expect((await card(preparedAfter))?.computedCurrent).toBe(true);
  });
});

describe('a slip stored before its parameters were kept (migration 0091)', () => {
  it('states a basis only where today’s parameters give its amounts', async () => {
    const [old] = await inTenant(app.db, ivana, (tx) =>
      tx
        .update(documents)
        .set({ computedParameters: null })
        .where(and(eq(documents.tenantId, ivana.tenantId), eq(documents.id, registered.id)))
        .returning(),
    );
    try {
      expect((await card(old))?.computedCurrent).toBe(false);
      const basis = (await card(old))?.computedBasis;
      expect(basis?.baseAmount).toBe('3,50 × 812,40\u00a0дин.');
      expect(basis?.nightIncrease).toBe('1,50 × 812,40\u00a0дин. × 26\u00a0%');
      // Today's 30 % would not give 739.28: no basis rather than a false one.
      expect(basis?.overtimeIncrease).toBeUndefined();
      expect(basis?.totalAmount).toBeUndefined();
      const out = await pdfText(old);
      expect(out).toContain('739,28 дин.');
      expect(out).not.toContain('739,28 дин. =');
    } finally {
      await inTenant(app.db, ivana, (tx) =>
        tx
          .update(documents)
          .set({ computedParameters: OLD })
          .where(and(eq(documents.tenantId, ivana.tenantId), eq(documents.id, registered.id))),
      );
    }
  });
});

describe('whether the stored amounts are what a save would store (the card’s live figures recompute if not)', () => {
  const asAuthor = (doc: DocumentRow) =>
    inTenant(app.db, nikola, (tx) => loadCard(tx, { tenantId: nikola.tenantId, membershipId: nikola.membershipId, permissions: new Set() }, doc.id, 'sr-Cyrl'));

  it('says no for a draft whose values were saved (a save keeps values, not amounts), yes once submitted', async () => {
    const draft = await inTenant(app.db, nikola, (tx) => createDocument(tx, nikola, { templateKey: 'overtime-request' }));
    expect((await asAuthor(draft))?.computedCurrent).toBe(true);
    const saved = await inTenant(app.db, nikola, (tx) => saveDraft(tx, nikola, draft.id, draft.version, overtimeRequest('2026-12-16', '16:00', '19:00')));
    expect((await asAuthor(saved))?.computedCurrent).toBe(false);
    const request = await submitted(app.db, nikola, 'overtime-request', overtimeRequest('2026-12-17', '16:00', '19:00'));
    expect((await asAuthor(request))?.computedCurrent).toBe(true);
    // Returned for correction, the end moved and saved: the amounts stored at submission are not its.
    const returned = await acted(app.db, marija, request, 'returned', { comment: 'Исправите завршетак' });
    const corrected = await inTenant(app.db, nikola, (tx) => saveDraft(tx, nikola, returned.id, returned.version, overtimeRequest('2026-12-17', '16:00', '20:00')));
    expect((await asAuthor(corrected))?.computedCurrent).toBe(false);
  });
});

