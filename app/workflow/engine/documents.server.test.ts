// The document engine against PostgreSQL as the runtime role: the overtime chain, the
// labour-law checks, return for correction, proxy approval, withdrawal, and concurrency.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '#app/auth/password.server';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { verifyAuditChain } from '#db/audit';
import { rowsOf } from '#db/rows';
import { auditEvents, closedMonths, delegations, documents, documentSteps, memberships, notifications, outbox, registryCounters, substitutes, templates } from '#db/schema';
import { seedDemo } from '#tenants/demo';
import { actorOf, inTenant } from '#tests/support/actors';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import type { Actor } from './actor';
import { inbox } from './list-inbox.server';
import { actOnStep } from './act-on-step.server';
import { createDocument } from './create-document.server';
import { actionableSteps } from './find-steps.server';
import { submitDocument } from './submit-document.server';
import type { DocumentRow } from './transition.server';
import { withdrawDocument } from './withdraw-document.server';

let database: TestDatabase;
let app: DatabaseHandle;
let nikola: Actor, jelena: Actor, marija: Actor, snezana: Actor, ivana: Actor, zoran: Actor, dragan: Actor;

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  app = connectPostgres(database.appUrl, { max: 12 });
  await seedDemo(app.db, hashPassword);
  const s = (email: string) => actorOf(app.db, 'surdulica', `${email}@surdulica.test`);
  [nikola, jelena, marija, snezana, ivana, zoran, dragan] = await Promise.all(
    ['nikola.petrovic', 'jelena.djordjevic', 'marija.stojanovic', 'snezana.mitic', 'ivana.stankovic', 'zoran.ilic', 'dragan.jovanovic'].map(s),
  );
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const request = (date: string, start: string, end: string) => ({
  date,
  plannedStart: start,
  plannedEnd: end,
  ground: 'workloadIncrease',
  description: 'Припрема документације за конкурс',
});

async function draft(actor: Actor, templateKey = 'overtime-request', sourceDocumentId?: string): Promise<DocumentRow> {
  return inTenant(app.db, actor, (tx) => createDocument(tx, actor, { templateKey, sourceDocumentId }));
}

async function submitted(actor: Actor, values: Record<string, string>, templateKey = 'overtime-request') {
  const doc = await draft(actor, templateKey);
  return inTenant(app.db, actor, (tx) => submitDocument(tx, actor, doc.id, doc.version, values));
}

async function pendingStep(actor: Actor, documentId: string) {
  const steps = await inTenant(app.db, actor, (tx) => actionableSteps(tx, actor.tenantId, actor.membershipId, documentId));
  return steps[0];
}

async function act(actor: Actor, doc: DocumentRow, outcome: Parameters<typeof actOnStep>[2]['outcome'], extra: { comment?: string; raw?: Record<string, string> } = {}) {
  const step = await pendingStep(actor, doc.id);
  expect(step, `${outcome} by ${actor.membershipId}`).toBeDefined();
  return inTenant(app.db, actor, (tx) => actOnStep(tx, actor, { documentId: doc.id, stepRowId: step.id, expectedVersion: doc.version, outcome, ...extra }));
}

describe('the overtime request under the Labour Law', () => {
  it('goes to the head of the author’s unit and, approved, is registered and sent to HR', async () => {
    const result = await submitted(nikola, request('2026-12-02', '16:00', '19:00'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.document.state).toBe('in_approval');
    expect(result.document.computed).toMatchObject({ hours: '3.00' });
    expect(await pendingStep(jelena, result.document.id)).toBeUndefined();
    const approved = await act(marija, result.document, 'approved');
    expect(approved.ok && approved.document.state).toBe('registered');
    if (!approved.ok) return;
    expect(approved.document.registryNumber).toMatch(/^112-\d+\/2026$/);
    // The number, taken with the approval's last statements, is the one the document and its audit event carry.
    const [stored] = await inTenant(app.db, nikola, (tx) => tx.select().from(documents).where(eq(documents.id, result.document.id)));
    expect(stored).toMatchObject({ state: 'registered', registryNumber: approved.document.registryNumber, version: approved.document.version });
    const [event] = await inTenant(app.db, nikola, (tx) =>
      tx.select().from(auditEvents).where(and(eq(auditEvents.subjectId, result.document.id), eq(auditEvents.type, 'document.registered'))),
    );
    expect(event.data).toMatchObject({ registryNumber: approved.document.registryNumber });
    expect(await inTenant(app.db, nikola, (tx) => verifyAuditChain(tx, nikola.tenantId))).toMatchObject({ ok: true });
    expect((await pendingStep(snezana, result.document.id))?.kind).toBe('acknowledge');
    const notes = await inTenant(app.db, nikola, (tx) => tx.select().from(notifications).where(eq(notifications.documentId, result.document.id)));
    expect(notes.map((n) => n.kind).sort()).toEqual(['document.registered', 'step.assigned', 'step.assigned']);
    const mails = await inTenant(app.db, nikola, (tx) => tx.select().from(outbox).where(eq(outbox.job, 'email.notification')));
    expect(mails.length).toBeGreaterThanOrEqual(3);

    // HR takes note of the registered request: the step is done, the document stays registered,
    // and nothing is left waiting in HR's inbox.
    const ack = (await pendingStep(snezana, result.document.id))!;
    const noted = await act(snezana, approved.document, 'acknowledged');
    expect(noted.ok && noted.document.state).toBe('registered');
    expect(noted.ok && noted.document.registryNumber).toBe(approved.document.registryNumber);
    expect(await pendingStep(snezana, result.document.id)).toBeUndefined();
    // Taking note twice is refused: the step is no longer hers to act on.
    await expect(
      inTenant(app.db, snezana, (tx) => actOnStep(tx, snezana, { documentId: noted.document.id, stepRowId: ack.id, expectedVersion: noted.document.version, outcome: 'acknowledged' })),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('refuses more than 12 hours in a day including the 8 regular hours', async () => {
    const over = await submitted(jelena, request('2026-12-03', '16:00', '20:01'));
    expect(over.ok).toBe(false);
    if (over.ok) return;
    expect(Object.values(over.fieldErrors).flat().join(' ')).toMatch(/12/);
    expect(over.document.state).toBe('draft');
    expect(over.document.values).toMatchObject({ plannedEnd: '20:01' });
    const exactly = await submitted(jelena, request('2026-12-03', '16:00', '20:00'));
    expect(exactly.ok).toBe(true);
  });

  it('refuses a ninth hour of overtime in the same week, counting pending and approved requests', async () => {
    // Nikola already has 3 h on Wednesday 2 December (approved above); Monday–Sunday is one week.
    expect((await submitted(nikola, request('2026-12-04', '16:00', '20:00'))).ok).toBe(true);
    // Saturday: no regular hours; exactly the eighth hour of the week is allowed…
    expect((await submitted(nikola, request('2026-12-05', '10:00', '11:00'))).ok).toBe(true);
    // …and one minute more on Sunday is not.
    const ninth = await submitted(nikola, request('2026-12-06', '10:00', '10:01'));
    expect(ninth.ok).toBe(false);
    if (!ninth.ok) expect(Object.values(ninth.fieldErrors).flat().join(' ')).toMatch(/8/);
    // The next week starts afresh.
    expect((await submitted(nikola, request('2026-12-07', '16:00', '17:00'))).ok).toBe(true);
  });

  it('refuses an end before the start beside the field', async () => {
    const r = await submitted(jelena, request('2026-12-10', '18:00', '17:00'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.fieldErrors)).toContain('plannedEnd');
  });
});

describe('the approval line', () => {
  it('returns for correction; the author edits and resubmits and the line starts again', async () => {
    const first = await submitted(jelena, request('2026-12-14', '16:00', '18:00'));
    if (!first.ok) throw new Error('submit failed');
    const noComment = await act(marija, first.document, 'returned');
    expect(noComment.ok).toBe(false);
    const returned = await act(marija, first.document, 'returned', { comment: 'Наведите тачан разлог.' });
    expect(returned.ok && returned.document.state).toBe('returned');
    if (!returned.ok) return;
    const again = await inTenant(app.db, jelena, (tx) =>
      submitDocument(tx, jelena, returned.document.id, returned.document.version, { ...request('2026-12-14', '16:00', '18:00'), description: 'Рок за конкурс ЕУ' }),
    );
    expect(again.ok && again.document.round).toBe(2);
    const step = await pendingStep(marija, returned.document.id);
    expect(step.round).toBe(2);
  });

  it('lets a substitute approve on behalf of an absent head, and tells the head afterwards', async () => {
    const r = await submitted(nikola, request('2026-12-15', '16:00', '17:00'));
    if (!r.ok) throw new Error('submit failed');
    await inTenant(app.db, dragan, (tx) =>
      tx.insert(substitutes).values({ tenantId: dragan.tenantId, absentMembershipId: marija.membershipId, substituteMembershipId: jelena.membershipId, startsOn: '2026-01-01', endsOn: '2027-12-31' }),
    );
    // Her inbox lists the head's steps, saying whom she stands in for; her own steps name nobody.
    const waiting = await inTenant(app.db, jelena, (tx) => inbox(tx, jelena.tenantId, jelena.membershipId, 'sr-Cyrl'));
    const marijasName = (await inTenant(app.db, marija, (tx) => tx.select({ n: memberships.fullName }).from(memberships).where(eq(memberships.id, marija.membershipId))))[0].n;
    expect(waiting.find((i) => i.documentId === r.document.id)?.forName).toBe(marijasName);
    expect(new Set(waiting.map((i) => i.forName))).toEqual(new Set(waiting.some((i) => i.forName === null) ? [null, marijasName] : [marijasName]));
    const approved = await act(jelena, r.document, 'approved');
    expect(approved.ok && approved.document.state).toBe('registered');
    const [step] = await inTenant(app.db, jelena, (tx) =>
      tx.select().from(documentSteps).where(and(eq(documentSteps.documentId, r.document.id), eq(documentSteps.outcome, 'approved'))),
    );
    expect(step).toMatchObject({ actedById: jelena.membershipId, onBehalfOfId: marija.membershipId, assigneeId: marija.membershipId });
    const told = await inTenant(app.db, marija, (tx) =>
      tx.select().from(notifications).where(and(eq(notifications.recipientId, marija.membershipId), eq(notifications.kind, 'step.actedOnYourBehalf'))),
    );
    expect(told).toHaveLength(1);
    const [event] = await inTenant(app.db, jelena, (tx) =>
      tx.select().from(auditEvents).where(and(eq(auditEvents.subjectId, r.document.id), eq(auditEvents.type, 'document.step.approved'))),
    );
    expect(event.onBehalfOfUserId).toBe(marija.userId);
    await inTenant(app.db, dragan, (tx) => tx.delete(substitutes).where(eq(substitutes.substituteMembershipId, jelena.membershipId)));
  });

  it('changes nothing when an approval finds nobody for the next stage, whatever it had sent', async () => {
    const r = await submitted(nikola, request('2026-12-29', '16:00', '17:00'));
    if (!r.ok) throw new Error('submit failed');
    const trail = () => inTenant(app.db, nikola, async (tx) => ({
      document: (await tx.select().from(documents).where(eq(documents.id, r.document.id)))[0],
      steps: (await tx.select().from(documentSteps).where(eq(documentSteps.documentId, r.document.id))).map((s) => [s.stepKey, s.state]),
      notes: (await tx.select().from(notifications).where(eq(notifications.documentId, r.document.id))).length,
      events: (await tx.select().from(auditEvents).where(eq(auditEvents.subjectId, r.document.id))).length,
    }));
    const before = await trail();
    // Nobody holds the HR role that takes note of an approved request.
    const roles = (list: string[]) => inTenant(app.db, dragan, (tx) => tx.update(memberships).set({ roles: list }).where(eq(memberships.id, snezana.membershipId)));
    await roles(['employee']);
    try {
      // The approval's step update, the skipped gates and the version went out before the HR stage was resolved.
      await expect(act(marija, r.document, 'approved')).rejects.toMatchObject({ code: 'invalid', details: { code: 'noAssignee', step: 'hr' } });
    } finally {
      await roles(['hr', 'employee']);
    }
    expect(await trail()).toEqual(before);
    const approved = await act(marija, r.document, 'approved');
    expect(approved.ok && approved.document.state).toBe('registered');
    expect(await inTenant(app.db, nikola, (tx) => verifyAuditChain(tx, nikola.tenantId))).toMatchObject({ ok: true });
  });

  it('fails a final approval whose registration fails at COMMIT with the registration’s own error, and keeps nothing of it', async () => {
    const first = await submitted(nikola, request('2026-12-30', '16:00', '17:00'));
    if (!first.ok) throw new Error('submit failed');
    const registered = await act(marija, first.document, 'approved');
    if (!registered.ok || !registered.document.registrySeq) throw new Error('approval failed');
    const counter = and(eq(registryCounters.year, registered.document.registryYear!), eq(registryCounters.classification, registered.document.registryClass!));
    const shift = (by: number) => inTenant(app.db, dragan, (tx) => tx.update(registryCounters).set({ lastSeq: sql`${registryCounters.lastSeq} + ${by}` }).where(counter));
    const second = await submitted(nikola, request('2026-12-31', '16:00', '17:00'));
    if (!second.ok) throw new Error('submit failed');
    // The counter one behind: the next number is the one the first request holds.
    await shift(-1);
    try {
      const failure = await act(marija, second.document, 'approved').then(
        () => null,
        (error: Error & { cause?: Error }) => error.cause?.message ?? error.message,
      );
      expect(failure).toMatch(/documents_registry_uq/);
    } finally {
      await shift(1);
    }
    const [still] = await inTenant(app.db, nikola, (tx) => tx.select().from(documents).where(eq(documents.id, second.document.id)));
    expect(still).toMatchObject({ state: 'in_approval', version: second.document.version, registryNumber: null });
    const approved = await act(marija, second.document, 'approved');
    expect(approved.ok && approved.document.registrySeq).toBe(registered.document.registrySeq + 1);
    expect(await inTenant(app.db, nikola, (tx) => verifyAuditChain(tx, nikola.tenantId))).toMatchObject({ ok: true });
  });

  it('lets the author withdraw before the first decision only', async () => {
    const r = await submitted(jelena, request('2026-12-16', '16:00', '17:00'));
    if (!r.ok) throw new Error('submit failed');
    const withdrawn = await inTenant(app.db, jelena, (tx) => withdrawDocument(tx, jelena, r.document.id, r.document.version));
    expect(withdrawn.state).toBe('withdrawn');
    const s = await submitted(jelena, request('2026-12-17', '16:00', '17:00'));
    if (!s.ok) throw new Error('submit failed');
    const approved = await act(marija, s.document, 'approved');
    if (!approved.ok) throw new Error('approve failed');
    await expect(inTenant(app.db, jelena, (tx) => withdrawDocument(tx, jelena, s.document.id, approved.document.version))).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('concurrency', () => {
  it('turns 50 concurrent approvals of one step into exactly one transition', async () => {
    const r = await submitted(jelena, request('2026-12-21', '16:00', '17:00'));
    if (!r.ok) throw new Error('submit failed');
    const step = await pendingStep(marija, r.document.id);
    const attempts = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        inTenant(app.db, marija, (tx) => actOnStep(tx, marija, { documentId: r.document.id, stepRowId: step.id, expectedVersion: r.document.version, outcome: 'approved' })),
      ),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    expect(attempts.filter((a) => a.status === 'rejected').every((a) => (a as PromiseRejectedResult).reason.code === 'stale')).toBe(true);
    const approvals = await inTenant(app.db, marija, (tx) =>
      tx.select().from(auditEvents).where(and(eq(auditEvents.subjectId, r.document.id), eq(auditEvents.type, 'document.step.approved'))),
    );
    expect(approvals).toHaveLength(1);
  });

  it('reads the member’s steps once it holds the document’s lock', async () => {
    const r = await submitted(jelena, request('2026-12-22', '16:00', '17:00'));
    if (!r.ok) throw new Error('submit failed');
    const step = await pendingStep(marija, r.document.id);
    let taken!: () => void;
    let release!: () => void;
    const lockTaken = new Promise<void>((resolve) => (taken = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    // Another transaction holds the document's lock and skips the step, leaving the document's version as it was.
    const other = inTenant(app.db, marija, async (tx) => {
      await tx.select().from(documents).where(and(eq(documents.tenantId, marija.tenantId), eq(documents.id, r.document.id))).for('update');
      await tx.update(documentSteps).set({ state: 'skipped' }).where(and(eq(documentSteps.tenantId, marija.tenantId), eq(documentSteps.id, step.id)));
      taken();
      await released;
    });
    await lockTaken;
    const approval = inTenant(app.db, marija, (tx) => actOnStep(tx, marija, { documentId: r.document.id, stepRowId: step.id, expectedVersion: r.document.version, outcome: 'approved' }));
    approval.catch(() => {});
    // Once the approval waits for the lock, the other transaction commits.
    for (let waited = 0; ; waited += 10) {
      const [{ waiting }] = rowsOf<{ waiting: number }>(
        await app.db.execute(sql`select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`),
      );
      if (waiting > 0) break;
      if (waited > 5000) throw new Error('the approval never waited for the lock');
      await new Promise((r) => setTimeout(r, 10));
    }
    release();
    await other;
    // Read before the lock, the step would still be pending and the approval would go through.
    await expect(approval).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('gives 50 concurrent registrations 50 distinct consecutive numbers', async () => {
    const docs: DocumentRow[] = [];
    for (let i = 0; i < 50; i++) {
      // Spread over weeks and authors so no labour-law cap refuses them.
      const author = [nikola, jelena][i % 2];
      const day = new Date(Date.UTC(2027, 0, 4 + Math.floor(i / 2) * 7));
      const r = await submitted(author, request(day.toISOString().slice(0, 10), '16:00', '17:00'));
      if (!r.ok) throw new Error(JSON.stringify(r.fieldErrors));
      docs.push(r.document);
    }
    const before = await inTenant(app.db, marija, (tx) => tx.execute(sql`select coalesce(max(registry_seq), 0)::int as seq from documents where registry_class = '112' and registry_year = 2026`));
    const start = Number((before as unknown as Array<{ seq: number }>)[0].seq);
    const results = await Promise.all(docs.map((d) => act(marija, d, 'approved')));
    const seqs = results.map((r) => (r.ok ? r.document.registrySeq : null)).sort((a, b) => (a ?? 0) - (b ?? 0));
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => start + i + 1));
  });
});

describe('the rest of the overtime chain', () => {
  it('offers the result report pre-filled, and sums the confirmed reports into the monthly pay slip', async () => {
    const r = await submitted(jelena, request('2026-12-23', '20:00', '23:00'));
    if (!r.ok) throw new Error('submit failed');
    const approved = await act(marija, r.document, 'approved');
    if (!approved.ok) throw new Error('approve failed');
    const report = await draft(jelena, 'overtime-report', r.document.id);
    expect(report.values).toMatchObject({ request: r.document.id, date: '2026-12-23', actualStart: '20:00', actualEnd: '23:00', employee: jelena.membershipId });
    const sent = await inTenant(app.db, jelena, (tx) =>
      submitDocument(tx, jelena, report.id, report.version, { actualStart: '20:00', actualEnd: '23:30', workDone: 'Завршена документација' }),
    );
    expect(sent.ok).toBe(true);
    if (!sent.ok) return;
    expect(sent.document.computed).toMatchObject({ hours: '3.50', nightHours: '1.50' });
    const confirmed = await act(marija, sent.document, 'approved');
    expect(confirmed.ok && ['approved', 'registered']).toContain(confirmed.ok ? confirmed.document.state : '');

    const slip = await draft(ivana, 'overtime-pay-slip');
    const slipSent = await inTenant(app.db, ivana, (tx) => submitDocument(tx, ivana, slip.id, slip.version, { employee: jelena.membershipId, month: '2026-12' }));
    if (!slipSent.ok) throw new Error(JSON.stringify(slipSent.fieldErrors));
    expect(slipSent.document.values).toMatchObject({ totalHours: '3.50', nightHours: '1.50', holidayHours: '0.00' });
    const prepared = await act(ivana, slipSent.document, 'prepared', { raw: { hourlyRate: '812.40' } });
    if (!prepared.ok) throw new Error(JSON.stringify(prepared.fieldErrors));
    const headApproved = await act(zoran, prepared.document, 'approved');
    if (!headApproved.ok) throw new Error('head failed');
    const chiefApproved = await act(dragan, headApproved.document, 'approved');
    expect(chiefApproved.ok && chiefApproved.document.state).toBe('registered');
    if (!chiefApproved.ok) return;
    // 3.5 h × 812.40 = 2843.40; overtime 26 % = 739.284 → 739.28; night 1.5 h × 812.40 × 26 % = 316.836 → 316.84.
    expect(chiefApproved.document.computed).toMatchObject({
      baseAmount: '2843.40',
      overtimeIncrease: '739.28',
      nightIncrease: '316.84',
      holidayIncrease: '0.00',
      totalAmount: '3899.52',
    });
  });

  it('keeps every state change in an intact audit chain', async () => {
    const verdict = await inTenant(app.db, nikola, (tx) => verifyAuditChain(tx, nikola.tenantId));
    expect(verdict.ok).toBe(true);
    const all = await inTenant(app.db, nikola, (tx) => tx.select({ id: documents.id }).from(documents));
    expect(all.length).toBeGreaterThan(50);
  });
});

describe('delegated approval', () => {
  it('makes the head of finance’s approval of a pay slip final when the tenant delegates it', async () => {
    const [slipTemplate] = await app.db.select({ id: templates.id }).from(templates).where(eq(templates.key, 'overtime-pay-slip'));
    await inTenant(app.db, dragan, (tx) => tx.insert(delegations).values({ tenantId: dragan.tenantId, templateId: slipTemplate.id, role: 'finance_head' }));
    const slip = await draft(ivana, 'overtime-pay-slip');
    const sent = await inTenant(app.db, ivana, (tx) => submitDocument(tx, ivana, slip.id, slip.version, { employee: nikola.membershipId, month: '2026-12' }));
    if (!sent.ok) throw new Error(JSON.stringify(sent.fieldErrors));
    const prepared = await act(ivana, sent.document, 'prepared', { raw: { hourlyRate: '700.00' } });
    if (!prepared.ok) throw new Error('prepare failed');
    const final = await act(zoran, prepared.document, 'approved');
    expect(final.ok && final.document.state).toBe('registered');
    expect(await pendingStep(dragan, sent.document.id)).toBeUndefined();
  });
});

describe('closed months', () => {
  it('refuses a request dated in a month finance has closed', async () => {
    await inTenant(app.db, ivana, (tx) => tx.insert(closedMonths).values({ tenantId: ivana.tenantId, month: '2026-11-01' }));
    const r = await submitted(jelena, request('2026-11-30', '16:00', '17:00'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.values(r.fieldErrors).flat().join(' ')).toMatch(/затворен|закључен|closed/i);
  });
});

describe('the unread badge', () => {
  it('counts unread notifications up to one past what it shows, and none once all are read', async () => {
    const { markAllRead, unreadSelect, UNREAD_SHOWN } = await import('./list-notifications.server');
    const unreadCount = async (tx: Parameters<typeof unreadSelect>[0], tenantId: string, membershipId: string) => (await unreadSelect(tx, tenantId, membershipId))[0].n;
    await inTenant(app.db, dragan, (tx) => markAllRead(tx, dragan.tenantId, dragan.membershipId));
    await inTenant(app.db, dragan, (tx) =>
      tx.insert(notifications).values(Array.from({ length: 5 }, () => ({ tenantId: dragan.tenantId, recipientId: dragan.membershipId, kind: 'step.assigned', data: {} }))),
    );
    expect(await inTenant(app.db, dragan, (tx) => unreadCount(tx, dragan.tenantId, dragan.membershipId))).toBe(5);
    await inTenant(app.db, dragan, (tx) =>
      tx.insert(notifications).values(Array.from({ length: UNREAD_SHOWN + 20 }, () => ({ tenantId: dragan.tenantId, recipientId: dragan.membershipId, kind: 'step.assigned', data: {} }))),
    );
    expect(await inTenant(app.db, dragan, (tx) => unreadCount(tx, dragan.tenantId, dragan.membershipId))).toBe(UNREAD_SHOWN + 1);
    await inTenant(app.db, dragan, (tx) => markAllRead(tx, dragan.tenantId, dragan.membershipId));
    expect(await inTenant(app.db, dragan, (tx) => unreadCount(tx, dragan.tenantId, dragan.membershipId))).toBe(0);
  });
});
