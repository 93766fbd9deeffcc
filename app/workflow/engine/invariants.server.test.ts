// Issue 22: the rules that must hold when requests race and on any date, against the machine's
// PostgreSQL (not PGlite) with many parallel transactions. docs/decisions/017-concurrency-invariants.md
// says how each is enforced.
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '#app/auth/password.server';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { adoptions, documentRevisions, documents, holidays, memberships, templates, templateVersions } from '#db/schema';
import { adoptVersion } from '#tenants/adoption';
import { seedDemo } from '#tenants/demo';
import { actorOf, inTenant } from '#tests/support/actors';
import { acted, overtimeRequest, submitted } from '#tests/support/documents';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import type { Actor } from './actor';
import { actOnStep } from './act-on-step.server';
import { createDocument } from './create-document.server';
import { actionableSteps } from './find-steps.server';
import { submitDocument, type SubmitResult } from './submit-document.server';
import type { DocumentRow, RawValues } from './transition.server';
import { loadCard } from './card.server';
import { tenantLookups } from './lookups.server';

let database: TestDatabase;
let app: DatabaseHandle;
let nikola: Actor, jelena: Actor, marija: Actor, ivana: Actor, zoran: Actor, dragan: Actor;

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  app = connectPostgres(database.appUrl, { max: 16 });
  await seedDemo(app.db, hashPassword);
  const s = (email: string) => actorOf(app.db, 'surdulica', `${email}@surdulica.test`);
  [nikola, jelena, marija, ivana, zoran, dragan] = await Promise.all(
    ['nikola.petrovic', 'jelena.djordjevic', 'marija.stojanovic', 'ivana.stankovic', 'zoran.ilic', 'dragan.jovanovic'].map(s),
  );
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const drafts = (actor: Actor, n: number, templateKey = 'overtime-request') =>
  Promise.all(Array.from({ length: n }, () => inTenant(app.db, actor, (tx) => createDocument(tx, actor, { templateKey }))));

const submit = (actor: Actor, doc: DocumentRow, values: RawValues): Promise<SubmitResult> =>
  inTenant(app.db, actor, (tx) => submitDocument(tx, actor, doc.id, doc.version, values));

/** Overtime minutes per date the employee's pending and approved requests hold, read back from the table. */
async function heldMinutes(actor: Actor, ids: string[]): Promise<Map<string, number>> {
  const rows = await inTenant(app.db, actor, (tx) =>
    tx
      .select({ values: documents.values })
      .from(documents)
      .where(and(eq(documents.tenantId, actor.tenantId), inArray(documents.id, ids), inArray(documents.state, ['in_approval', 'approved', 'registered']))),
  );
  const byDate = new Map<string, number>();
  for (const { values } of rows) {
    const v = values as Record<string, string>;
    const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
    byDate.set(v.date, (byDate.get(v.date) ?? 0) + minutes(v.plannedEnd) - minutes(v.plannedStart));
  }
  return byDate;
}

const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

describe('labour-law caps under parallel submissions (Labour Law art. 53)', () => {
  it('accepts exactly 8 hours of 24 parallel 2-hour requests in a week that crosses a month boundary', async () => {
    // Monday 30 November to Friday 4 December 2026: two months, one ISO week.
    const days = ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04'];
    const docs = await drafts(nikola, 24);
    const results = await Promise.all(docs.map((d, i) => submit(nikola, d, overtimeRequest(days[i % days.length], '16:00', '18:00'))));
    const accepted = results.filter((r) => r.ok);
    expect(accepted).toHaveLength(4);
    const held = await heldMinutes(nikola, docs.map((d) => d.id));
    expect(sum(held)).toBe(8 * 60);
    for (const minutes of held.values()) expect(minutes).toBeLessThanOrEqual(4 * 60);
    // Every refusal names the law, beside the end time.
    for (const r of results.filter((x) => !x.ok)) {
      expect(r.ok ? [] : r.fieldErrors.plannedEnd?.join(' ')).toMatch(/члан 53/);
    }
  });

  it('keeps a day within 12 hours when resubmissions of returned requests race new ones', async () => {
    const date = '2026-12-15';
    // Two requests go in and come back for correction; then their resubmissions race ten new ones.
    const first = await drafts(nikola, 2);
    const returned: DocumentRow[] = [];
    for (const d of first) {
      const r = await submit(nikola, d, overtimeRequest(date, '16:00', '17:00'));
      if (!r.ok) throw new Error(JSON.stringify(r.fieldErrors));
      const [step] = await inTenant(app.db, marija, (tx) => actionableSteps(tx, marija.tenantId, marija.membershipId, r.document.id));
      const back = await inTenant(app.db, marija, (tx) =>
        actOnStep(tx, marija, { documentId: r.document.id, stepRowId: step.id, expectedVersion: r.document.version, outcome: 'returned', comment: 'Дуже' }),
      );
      if (!back.ok) throw new Error('return failed');
      returned.push(back.document);
    }
    const fresh = await drafts(nikola, 10);
    const results = await Promise.all([
      ...returned.map((d) => submit(nikola, d, overtimeRequest(date, '16:00', '18:30'))),
      ...fresh.map((d) => submit(nikola, d, overtimeRequest(date, '18:30', '19:30'))),
    ]);
    const held = await heldMinutes(nikola, [...first, ...fresh].map((d) => d.id));
    // 8 regular hours + at most 4 of overtime.
    expect(held.get(date) ?? 0).toBeLessThanOrEqual(4 * 60);
    // And the cap is reached, not merely respected by refusing everything.
    expect(held.get(date) ?? 0).toBeGreaterThanOrEqual(3 * 60);
    expect(results.some((r) => !r.ok && r.fieldErrors.plannedEnd?.some((e) => /члан 53/.test(e)))).toBe(true);
  });

  it('serialises per employee only: two employees’ parallel requests do not count against each other', async () => {
    const [a, b] = await Promise.all([drafts(nikola, 6), drafts(jelena, 6)]);
    const date = '2026-12-08';
    const results = await Promise.all([
      ...a.map((d) => submit(nikola, d, overtimeRequest(date, '16:00', '17:00'))),
      ...b.map((d) => submit(jelena, d, overtimeRequest(date, '16:00', '17:00'))),
    ]);
    expect(results.slice(0, 6).filter((r) => r.ok)).toHaveLength(4);
    expect(results.slice(6).filter((r) => r.ok)).toHaveLength(4);
  });
});

describe('a shift past midnight', () => {
  it('is one request, and its hours after midnight count on the next day and week', async () => {
    // Sunday 20 December 20:00 to Monday 04:00: 4 h in each of two ISO weeks.
    const [night, monday] = await drafts(nikola, 2);
    const accepted = await submit(nikola, night, overtimeRequest('2026-12-20', '20:00', '04:00'));
    expect(accepted.ok && accepted.document.computed).toMatchObject({ hours: '8.00' });
    // Monday's week already holds 4 h: 5 more would be 9.
    const refused = await submit(nikola, monday, overtimeRequest('2026-12-21', '16:00', '21:00'));
    expect(refused.ok ? '' : refused.fieldErrors.plannedEnd?.join(' ')).toMatch(/у недељи која почиње 2026-12-21 већ је 4 ч/);
  });
});

describe('the calendar the rules read', () => {
  it('knows the public holidays of a year nobody seeded, and the tenant’s own days on top', async () => {
    const answers = await inTenant(app.db, nikola, async (tx) => {
      await tx.insert(holidays).values({ tenantId: nikola.tenantId, date: '2039-10-08', name: 'Дан општине Сурдулица' });
      const lookups = tenantLookups(tx, nikola.tenantId);
      const dates = ['2039-04-15', '2039-05-03', '2039-05-04', '2039-01-03', '2039-10-08', '2039-10-07'];
      return Promise.all(dates.map((date) => lookups.isPublicHoliday(date)));
    });
    // Good Friday 2039; 1 May on a Sunday (2 May is off anyway) moves to Tuesday 3 May, not
    // Wednesday; 2 January on a Sunday → 3 January; the municipality's own day, not the day before.
    expect(answers).toEqual([true, true, false, true, true, false]);
  });
});

describe('one month, one payment', () => {
  /** An approved request and its confirmed report for jelena on the date. */
  async function confirmedReport(date: string, start: string, end: string) {
    const request = await submittedDoc(jelena, 'overtime-request', overtimeRequest(date, start, end));
    const approved = await acted(app.db, marija, request, 'approved');
    const report = await submittedDoc(jelena, 'overtime-report', { actualStart: start, actualEnd: end, workDone: 'Завршена документација' }, approved.id);
    return acted(app.db, marija, report, 'approved');
  }
  const submittedDoc = (actor: Actor, key: string, values: RawValues, from?: string) => submitted(app.db, actor, key, values, from);

  it('lets one of ten parallel slips for a month in, refuses a second slip once it is paid, and pays a later report only by a correction', async () => {
    await confirmedReport('2027-03-02', '16:00', '18:00');
    const slips = await drafts(ivana, 10, 'overtime-pay-slip');
    const results = await Promise.all(slips.map((d) => submit(ivana, d, { employee: jelena.membershipId, month: '2027-03' })));
    const inLine = results.filter((r) => r.ok);
    expect(inLine).toHaveLength(1);
    for (const r of results.filter((x) => !x.ok)) {
      expect(r.ok ? [] : r.fieldErrors.month).toEqual(['Обрачун прековременог рада овог запосленог за 2027-03 већ је на одобравању: један месец се исплаћује по једном обрачуну.']);
    }
    // Finance enters the rate, the head of finance and the chief approve: registered.
    let slip = inLine[0].document;
    slip = await acted(app.db, ivana, slip, 'prepared', { raw: { hourlyRate: '1000.00' } });
    slip = await acted(app.db, zoran, slip, 'approved');
    slip = await acted(app.db, dragan, slip, 'approved');
    expect(slip.state).toBe('registered');
    expect(slip.values).toMatchObject({ totalHours: '2.00' });

    // A report confirmed afterwards: a second ordinary slip is refused, naming the paid one.
    await confirmedReport('2027-03-09', '16:00', '17:30');
    const [second] = await drafts(ivana, 1, 'overtime-pay-slip');
    const refused = await submit(ivana, second, { employee: jelena.membershipId, month: '2027-03' });
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.fieldErrors.month?.[0]).toContain(`по заведеном обрачуну ${slip.registryNumber}`);

    // The correction references the registered slip and pays only the 1.5 hours since; of five
    // parallel corrections, one enters the line.
    const corrections = await Promise.all(
      Array.from({ length: 5 }, () => inTenant(app.db, ivana, (tx) => createDocument(tx, ivana, { templateKey: 'overtime-pay-slip', correctsDocumentId: slip.id }))),
    );
    expect(corrections[0]).toMatchObject({ correctsId: slip.id, values: { employee: jelena.membershipId, month: '2027-03', totalHours: '1.50' } });
    // The month and person of a correction are those of the slip it corrects, whatever is typed.
    const corrected = await Promise.all(corrections.map((d) => submit(ivana, d, { employee: nikola.membershipId, month: '2027-04' })));
    expect(corrected.filter((r) => r.ok)).toHaveLength(1);
    const correction = corrected.find((r) => r.ok)!.document;
    expect(correction.values).toMatchObject({ employee: jelena.membershipId, month: '2027-03', totalHours: '1.50' });
    expect(corrected.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.fieldErrors.month?.[0]))).toEqual(
      Array(4).fill('Исправка обрачуна за 2027-03 већ је на одобравању: сачекајте одлуку, па по потреби исправите поново.'),
    );
    let paid = await acted(app.db, ivana, correction, 'prepared', { raw: { hourlyRate: '1000.00' } });
    paid = await acted(app.db, zoran, paid, 'approved');
    paid = await acted(app.db, dragan, paid, 'approved');
    expect(paid.state).toBe('registered');
    // 1.5 h × 1000 = 1500.00 base, + 26 % = 390.00.
    expect(paid.computed).toMatchObject({ baseAmount: '1500.00', overtimeIncrease: '390.00' });

    // Nothing left to pay: a further correction is refused with the reason.
    const again = await inTenant(app.db, ivana, (tx) => createDocument(tx, ivana, { templateKey: 'overtime-pay-slip', correctsDocumentId: slip.id }));
    const none = await submit(ivana, again, {});
    expect(none.ok ? '' : none.fieldErrors.month?.[0]).toBe('Исплаћено за 2027-03 једнако је потврђеном: нема разлике ни за исплату ни за повраћај.');
  });

  it('recovers the difference on a corrective slip when the confirmed hours went down after payment: negative, shown as a deduction, one open correction at a time', async () => {
    const report = await confirmedReport('2027-06-01', '16:00', '19:00');
    const [draft] = await drafts(ivana, 1, 'overtime-pay-slip');
    const first = await submit(ivana, draft, { employee: jelena.membershipId, month: '2027-06' });
    let slip = first.ok ? first.document : expect.unreachable(JSON.stringify(first));
    slip = await acted(app.db, ivana, slip, 'prepared', { raw: { hourlyRate: '1000.00' } });
    slip = await acted(app.db, zoran, slip, 'approved');
    slip = await acted(app.db, dragan, slip, 'approved');
    expect(slip).toMatchObject({ state: 'registered', values: { totalHours: '3.00' }, computed: { totalAmount: '3780.00' } });

    // The confirmed report is corrected downward: 16:00–17:30, 1.5 hours instead of 3. (The
    // product has no screen to amend a confirmed report yet; the table is changed as one would.)
    await inTenant(app.db, marija, (tx) =>
      tx
        .update(documents)
        .set({ values: { ...(report.values as object), actualEnd: '17:30' }, computed: { ...(report.computed as object), hours: '1.50', nightHours: '0.00', holidayHours: '0.00' } })
        .where(and(eq(documents.tenantId, marija.tenantId), eq(documents.id, report.id))),
    );
    // Five corrections race; one enters the line, with the negative difference.
    const corrections = await Promise.all(
      Array.from({ length: 5 }, () => inTenant(app.db, ivana, (tx) => createDocument(tx, ivana, { templateKey: 'overtime-pay-slip', correctsDocumentId: slip.id }))),
    );
    expect(corrections[0].values).toMatchObject({ totalHours: '-1.50', nightHours: '0.00', holidayHours: '0.00' });
    const results = await Promise.all(corrections.map((d) => submit(ivana, d, {})));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.fieldErrors.month?.[0]))).toEqual(
      Array(4).fill('Исправка обрачуна за 2027-06 већ је на одобравању: сачекајте одлуку, па по потреби исправите поново.'),
    );
    let recovery = results.find((r) => r.ok)!.document;
    recovery = await acted(app.db, ivana, recovery, 'prepared', { raw: { hourlyRate: '1000.00' } });
    recovery = await acted(app.db, zoran, recovery, 'approved');
    recovery = await acted(app.db, dragan, recovery, 'approved');
    // −1.5 h × 1000 = −1500.00, + 26 % = −390.00: 1890.00 to recover.
    expect(recovery).toMatchObject({ state: 'registered', computed: { baseAmount: '-1500.00', overtimeIncrease: '-390.00', totalAmount: '-1890.00' } });
    const viewer = { tenantId: ivana.tenantId, membershipId: ivana.membershipId, permissions: new Set<never>() };
    const card = await inTenant(app.db, ivana, (tx) => loadCard(tx, viewer, recovery.id, 'sr-Cyrl'));
    expect(card?.deduction).toEqual({ hours: '1.50', amount: '1890.00' });
    const original = await inTenant(app.db, ivana, (tx) => loadCard(tx, viewer, slip.id, 'sr-Cyrl'));
    expect(original?.deduction).toBeNull();

    // Paid and recovered add up to what is confirmed: nothing is left either way.
    const again = await inTenant(app.db, ivana, (tx) => createDocument(tx, ivana, { templateKey: 'overtime-pay-slip', correctsDocumentId: slip.id }));
    const none = await submit(ivana, again, {});
    expect(none.ok ? '' : none.fieldErrors.month?.[0]).toBe('Исплаћено за 2027-06 једнако је потврђеном: нема разлике ни за исплату ни за повраћај.');
  });

  it('keeps a second ordinary slip out even when written straight to the table (the unique index)', async () => {
    const rows = await inTenant(app.db, ivana, (tx) =>
      tx.select().from(documents).where(and(eq(documents.tenantId, ivana.tenantId), eq(documents.periodKey, `2027-03|${jelena.membershipId}`), eq(documents.state, 'registered'))),
    );
    const original = rows.find((r) => !r.correctsId)!;
    await expect(
      inTenant(app.db, ivana, (tx) =>
        tx.insert(documents).values({ ...original, id: undefined, state: 'in_approval', registryNumber: null, registrySeq: null, registryYear: null, registryClass: null, valuesEmployee: undefined, valuesDate: undefined, valuesMonth: undefined } as never),
      ),
    ).rejects.toMatchObject({ cause: { code: '23505' } });
  });
});

describe('the holiday premium across midnight', () => {
  it('is paid on the slip only for the hours on the holiday date, each day’s mark checked against the calendar', async () => {
    // Friday 31 December 2027 22:00 to New Year's Day 06:00: 8 hours, all at night, 6 on the holiday.
    const request = await submitted(app.db, jelena, 'overtime-request', overtimeRequest('2027-12-31', '22:00', '06:00'));
    const approved = await acted(app.db, marija, request, 'approved');
    const draft = await inTenant(app.db, jelena, (tx) => createDocument(tx, jelena, { templateKey: 'overtime-report', sourceDocumentId: approved.id }));
    const worked = { actualStart: '22:00', actualEnd: '06:00', workDone: 'Дежурство' };
    const unmarked = await submit(jelena, draft, worked);
    expect(unmarked.ok ? '' : unmarked.fieldErrors.nextDayPublicHoliday?.join(' ')).toContain('2028-01-01');
    const marked = await submit(jelena, unmarked.document, { ...worked, nextDayPublicHoliday: 'on' });
    const report = marked.ok ? marked.document : expect.unreachable(JSON.stringify(marked.fieldErrors));
    expect(report.computed).toMatchObject({ hours: '8.00', nightHours: '8.00', holidayHours: '6.00' });
    await acted(app.db, marija, report, 'approved');

    const [slipDraft] = await drafts(ivana, 1, 'overtime-pay-slip');
    const sent = await submit(ivana, slipDraft, { employee: jelena.membershipId, month: '2027-12' });
    let slip = sent.ok ? sent.document : expect.unreachable(JSON.stringify(sent.fieldErrors));
    expect(slip.values).toMatchObject({ totalHours: '8.00', nightHours: '8.00', holidayHours: '6.00' });
    slip = await acted(app.db, ivana, slip, 'prepared', { raw: { hourlyRate: '1000.00' } });
    // 8 × 1000 base, + 26 % overtime, + 26 % night on 8 h, + 110 % holiday on 6 h only.
    expect(slip.computed).toMatchObject({ baseAmount: '8000.00', overtimeIncrease: '2080.00', nightIncrease: '2080.00', holidayIncrease: '6600.00', totalAmount: '18760.00' });
  });
});

describe('reported hours above the approved request', () => {
  it('are flagged on the card the confirming head reads, not silently accepted', async () => {
    const request = await submitted(app.db, nikola, 'overtime-request', overtimeRequest('2027-05-11', '16:00', '18:00'));
    const approved = await acted(app.db, marija, request, 'approved');
    const longer = await submitted(app.db, nikola, 'overtime-report', { actualStart: '16:00', actualEnd: '19:15', workDone: 'Завршено' }, approved.id);
    const viewer = { tenantId: marija.tenantId, membershipId: marija.membershipId, permissions: new Set<never>() };
    const card = await inTenant(app.db, marija, (tx) => loadCard(tx, viewer, longer.id, 'sr-Cyrl'));
    expect(card?.exceedsSource).toEqual({ reported: '3.25', approved: '2.00' });
    const within = await submitted(app.db, jelena, 'overtime-report', { actualStart: '16:00', actualEnd: '18:00', workDone: 'Завршено' }, (await confirmedRequest()).id);
    const plain = await inTenant(app.db, marija, (tx) => loadCard(tx, viewer, within.id, 'sr-Cyrl'));
    expect(plain?.exceedsSource).toBeNull();
  });
  const confirmedRequest = async () => acted(app.db, marija, await submitted(app.db, jelena, 'overtime-request', overtimeRequest('2027-05-12', '16:00', '18:00')), 'approved');
});

describe('races end in clear answers', () => {
  it('turns twenty parallel submissions of one draft into one submission; the rest are told it changed', async () => {
    const [doc] = await drafts(jelena, 1);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => submit(jelena, doc, overtimeRequest('2027-06-08', '16:00', '17:00'))));
    expect(results.filter((r) => r.status === 'fulfilled' && r.value.ok)).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(19);
    // The card answers a stale action with 409 and "changed by someone else" (documents.messages.stale).
    for (const r of refused) expect(r.reason).toMatchObject({ code: 'stale' });
    const revisions = await inTenant(app.db, jelena, (tx) => tx.select().from(documentRevisions).where(and(eq(documentRevisions.tenantId, jelena.tenantId), eq(documentRevisions.documentId, doc.id))));
    expect(revisions).toHaveLength(1);
  });

  it('lets one of ten administrators adopting the same template at the same moment win; the others are told, none gets a 500', async () => {
    const admin = await actorOf(app.db, 'surdulica', 'milos.tomic@surdulica.test');
    const [version] = await app.db
      .select({ id: templateVersions.id, templateId: templateVersions.templateId })
      .from(templateVersions)
      .innerJoin(templates, eq(templates.id, templateVersions.templateId))
      .where(and(eq(templates.key, 'leave-request'), eq(templateVersions.status, 'published')));
    await inTenant(app.db, admin, (tx) => tx.delete(adoptions).where(and(eq(adoptions.tenantId, admin.tenantId), eq(adoptions.templateId, version.templateId))));
    const adopt = (basedOn: string | null | undefined) =>
      inTenant(app.db, admin, (tx) =>
        adoptVersion(tx, { tenantId: admin.tenantId, versionId: version.id, parameters: { 'sla.approval': '16' }, positions: {}, actorUserId: admin.userId, locale: 'sr-Cyrl', basedOn }),
      );
    // Each saw "not adopted".
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => adopt(null)));
    expect(results.filter((r) => r.status === 'fulfilled' && r.value.ok)).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict', details: { code: 'adoptionChanged' } });
    }
    const rows = await inTenant(app.db, admin, (tx) => tx.select().from(adoptions).where(and(eq(adoptions.tenantId, admin.tenantId), eq(adoptions.templateId, version.templateId))));
    expect(rows).toHaveLength(1);
    // Code that does not say what it saw (a provisioning script) is serialised too: no unique-index error.
    await inTenant(app.db, admin, (tx) => tx.delete(adoptions).where(and(eq(adoptions.tenantId, admin.tenantId), eq(adoptions.templateId, version.templateId))));
    const blind = await Promise.all(Array.from({ length: 10 }, () => adopt(undefined)));
    expect(blind.every((r) => r.ok)).toBe(true);
  });
});

describe('a prepare step checks what submission checks', () => {
  it('refuses a deactivated colleague, a colleague of another tenant and a malformed id beside the field, and takes an active one', async () => {
    const clerk = await actorOf(app.db, 'surdulica', 'ljiljana.cvetkovic@surdulica.test');
    const vesna = await actorOf(app.db, 'business-registers-agency', 'vesna.popovic@apr.test');
    const mail = await inTenant(app.db, clerk, (tx) => createDocument(tx, clerk, { templateKey: 'incoming-mail' }));
    const pdf = { fileName: 'akt.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4\n%%EOF\n') };
    const sent = await inTenant(app.db, clerk, (tx) =>
      submitDocument(tx, clerk, mail.id, mail.version, { sender: 'Министарство', receivedOn: '2026-12-07', delivery: 'post', subject: 'Допис' }, { uploads: { scan: [pdf] } }),
    );
    if (!sent.ok) throw new Error(JSON.stringify(sent.fieldErrors));
    // Nikola leaves: his membership is deactivated.
    await inTenant(app.db, clerk, (tx) => tx.update(memberships).set({ active: false }).where(and(eq(memberships.tenantId, clerk.tenantId), eq(memberships.id, nikola.membershipId))));
    const [step] = await inTenant(app.db, clerk, (tx) => actionableSteps(tx, clerk.tenantId, clerk.membershipId, mail.id));
    const prepare = (caseHandler: string) =>
      inTenant(app.db, clerk, (tx) => actOnStep(tx, clerk, { documentId: mail.id, stepRowId: step.id, expectedVersion: sent.document.version, outcome: 'prepared', raw: { caseHandler } }));
    for (const id of [nikola.membershipId, vesna.membershipId, 'not-an-id']) {
      const refused = await prepare(id);
      expect(refused.ok, id).toBe(false);
      expect(refused.ok ? {} : Object.keys(refused.fieldErrors)).toEqual(['caseHandler']);
    }
    const taken = await prepare(jelena.membershipId);
    expect(taken.ok && taken.document.values).toMatchObject({ caseHandler: jelena.membershipId });
    await inTenant(app.db, clerk, (tx) => tx.update(memberships).set({ active: true }).where(and(eq(memberships.tenantId, clerk.tenantId), eq(memberships.id, nikola.membershipId))));
  });
});
