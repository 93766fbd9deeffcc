// Emails delivered in batches (the worker runs many at once): each is composed as it would be
// alone, and each job succeeds or fails on its own.
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { and, eq, inArray } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '#app/auth/password.server';
import type { Actor } from '#app/workflow/engine/actor';
import { openEmbedded, type DatabaseHandle } from '#db/client';
import { emailDeliveries, notifications } from '#db/schema';
import { seedDemo } from '#tenants/demo';
import { actorOf, inTenant } from '#tests/support/actors';
import { acted, submitted } from '#tests/support/documents';
import { composeNotifications, notificationEmail } from '../definitions/email';
import type { JobContext } from '../job';
import { batchedDelivery } from './deliver';
import type { Mailer, OutgoingEmail } from './transport';

let handle: DatabaseHandle;
let nikola: Actor, marija: Actor;
let noteIds: string[];

const overtime = (date: string, description: string) => ({ date, plannedStart: '16:00', plannedEnd: '18:00', ground: 'workloadIncrease', description });

/** A mailer that keeps what it sends and refuses the addresses it is told to. */
function recordingMailer(refuse: (to: string) => boolean = () => false): Mailer & { sent: OutgoingEmail[] } {
  const sent: OutgoingEmail[] = [];
  return {
    kind: 'folder',
    sent,
    async send(email) {
      if (refuse(email.to)) throw new Error(`mailbox of ${email.to} unavailable`);
      sent.push(email);
    },
    onConnection: (fn) => fn(),
    close() {},
  };
}

const contextWith = (mailer: Mailer): JobContext => ({ db: handle.db, mailer, log: pino({ level: 'silent' }), now: () => new Date() });

const deliveriesOf = (outboxIds: string[]) =>
  inTenant(handle.db, marija, (tx) => tx.select().from(emailDeliveries).where(and(eq(emailDeliveries.tenantId, marija.tenantId), inArray(emailDeliveries.outboxId, outboxIds))));

beforeAll(async () => {
  handle = await openEmbedded('memory://');
  await seedDemo(handle.db, hashPassword);
  nikola = await actorOf(handle.db, 'surdulica', 'nikola.petrovic@surdulica.test');
  marija = await actorOf(handle.db, 'surdulica', 'marija.stojanovic@surdulica.test');
  // Notifications of several kinds, recipients and documents: assigned, returned with a comment, approved.
  const first = await submitted(handle.db, nikola, 'overtime-request', overtime('2027-02-01', 'Буџет'));
  await acted(handle.db, marija, first, 'returned', { comment: 'Допуните опис' });
  const second = await submitted(handle.db, nikola, 'overtime-request', overtime('2027-02-02', 'Попис'));
  await acted(handle.db, marija, second, 'approved');
  await submitted(handle.db, nikola, 'overtime-request', overtime('2027-02-03', 'Извештај'));
  const rows = await inTenant(handle.db, marija, (tx) => tx.select({ id: notifications.id }).from(notifications).where(eq(notifications.tenantId, marija.tenantId)));
  noteIds = rows.map((r) => r.id);
});

afterAll(async () => {
  await handle?.close();
});

describe('email batches', () => {
  it('compose each email of a batch exactly as it would be composed alone', async () => {
    const together = await inTenant(handle.db, marija, (tx) => composeNotifications(tx, marija.tenantId, noteIds.map((notificationId) => ({ notificationId }))));
    const alone = [];
    for (const notificationId of noteIds) alone.push(...(await inTenant(handle.db, marija, (tx) => composeNotifications(tx, marija.tenantId, [{ notificationId }]))));
    expect(together).toEqual(alone);
    const emails = together.filter((e) => e !== null);
    expect(emails.length).toBeGreaterThanOrEqual(5);
    expect(new Set(emails.map((e) => e.to)).size).toBeGreaterThanOrEqual(2);
    expect(emails.some((e) => e.text.includes('Допуните опис'))).toBe(true);
    // A notification that does not exist (or was removed) composes to nobody, in its place.
    const [missing, present] = await inTenant(handle.db, marija, (tx) => composeNotifications(tx, marija.tenantId, [{ notificationId: randomUUID() }, { notificationId: noteIds[0] }]));
    expect(missing).toBeNull();
    expect(present).toEqual(alone[0]);
  });

  it('fail one job alone when its email cannot be sent, and send it once when the job runs again', async () => {
    const runs = noteIds.map((notificationId) => ({ notificationId, run: { outboxId: randomUUID(), attempt: 1 } }));
    const refused = recordingMailer((to) => to.startsWith('nikola.petrovic'));
    const first = await Promise.allSettled(runs.map((r) => notificationEmail.handler({ tenantId: marija.tenantId, notificationId: r.notificationId }, contextWith(refused), r.run)));
    const failed = runs.filter((_, k) => first[k].status === 'rejected');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(runs.length);
    expect(refused.sent.some((m) => m.to.startsWith('nikola.petrovic'))).toBe(false);
    const states = new Map((await deliveriesOf(runs.map((r) => r.run.outboxId))).map((d) => [d.outboxId, d.status]));
    for (const r of runs) expect(states.get(r.run.outboxId)).toBe(failed.includes(r) ? 'sending' : 'sent');

    // Every job once more (a retry, or a relay of the same rows): only the failed ones send.
    const healthy = recordingMailer();
    const again = await Promise.allSettled(runs.map((r) => notificationEmail.handler({ tenantId: marija.tenantId, notificationId: r.notificationId }, contextWith(healthy), { ...r.run, attempt: 2 })));
    expect(again.every((o) => o.status === 'fulfilled')).toBe(true);
    expect(healthy.sent.map((m) => m.messageId).sort()).toEqual(failed.map((r) => `<${r.run.outboxId}@delovod>`).sort());
    expect((await deliveriesOf(runs.map((r) => r.run.outboxId))).every((d) => d.status === 'sent')).toBe(true);
  });

  it('record a batch’s emails in one go, one to nobody as skipped', async () => {
    const deliver = batchedDelivery<{ to: string | null }>(async (_tx, _tenantId, payloads) => payloads.map((p) => (p.to ? { to: p.to, subject: 'S', text: 'T', html: '<p>T</p>' } : null)));
    const mailer = recordingMailer();
    const runs = ['d@surdulica.test', null, 'e@surdulica.test'].map((to) => ({ to, run: { outboxId: randomUUID(), attempt: 1 } }));
    const outcomes = await Promise.all(runs.map((r) => deliver(contextWith(mailer), marija.tenantId, r.run, { to: r.to })));
    expect(outcomes).toEqual(['sent', 'skipped', 'sent']);
    const rows = new Map((await deliveriesOf(runs.map((r) => r.run.outboxId))).map((d) => [d.outboxId, d]));
    expect(runs.map((r) => [rows.get(r.run.outboxId)?.status, rows.get(r.run.outboxId)?.recipient, rows.get(r.run.outboxId)?.messageId])).toEqual([
      ['sent', 'd@surdulica.test', `<${runs[0].run.outboxId}@delovod>`],
      ['skipped', null, `<${runs[1].run.outboxId}@delovod>`],
      ['sent', 'e@surdulica.test', `<${runs[2].run.outboxId}@delovod>`],
    ]);
  });

  it('deliver the others one by one when a batch fails as a whole', async () => {
    const poisoned = new Set<string>();
    const deliver = batchedDelivery<{ to: string }>(async (_tx, _tenantId, payloads) =>
      payloads.map((p) => {
        if (poisoned.has(p.to)) throw new Error('cannot compose');
        return { to: p.to, subject: 'S', text: 'T', html: '<p>T</p>' };
      }),
    );
    poisoned.add('poison@surdulica.test');
    const mailer = recordingMailer();
    const ctx = contextWith(mailer);
    const addresses = ['a@surdulica.test', 'b@surdulica.test', 'poison@surdulica.test', 'c@surdulica.test'];
    const runs = addresses.map((to) => ({ to, run: { outboxId: randomUUID(), attempt: 1 } }));
    const outcomes = await Promise.allSettled(runs.map((r) => deliver(ctx, marija.tenantId, r.run, { to: r.to })));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(mailer.sent.map((m) => m.to).sort()).toEqual(['a@surdulica.test', 'b@surdulica.test', 'c@surdulica.test']);
    const rows = await deliveriesOf(runs.map((r) => r.run.outboxId));
    expect(rows.map((d) => d.recipient).sort()).toEqual(['a@surdulica.test', 'b@surdulica.test', 'c@surdulica.test']);
  });
  it('mark each email sent as soon as its SMTP transaction completes, not when its batch ends', async () => {
    const deliver = batchedDelivery<{ to: string }>(async (_tx, _tenantId, payloads) => payloads.map((p) => ({ to: p.to, subject: 'S', text: 'T', html: '<p>T</p>' })));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const sent: string[] = [];
    // The SMTP server answers every email at once but the last one, which hangs on the wire.
    const mailer: Mailer = {
      kind: 'folder',
      async send(email) {
        if (email.to === 'slow@surdulica.test') await held;
        sent.push(email.messageId);
      },
      onConnection: (fn) => fn(),
      close() {},
    };
    const addresses = ['f@surdulica.test', 'g@surdulica.test', 'h@surdulica.test', 'slow@surdulica.test'];
    const runs = addresses.map((to) => ({ to, run: { outboxId: randomUUID(), attempt: 1 } }));
    const outcomes = Promise.all(runs.map((r) => deliver(contextWith(mailer), marija.tenantId, r.run, { to: r.to })));
    const ids = runs.map((r) => r.run.outboxId);
    const statuses = async () => new Map((await deliveriesOf(ids)).map((d) => [d.recipient, d.status]));
    // While the last email of the batch is still on the wire, the three that left are recorded sent.
    for (let i = 0; i < 200 && sent.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    let seen = await statuses();
    for (let i = 0; i < 200 && [...seen.values()].filter((s) => s === 'sent').length < 3; i++) {
      await new Promise((r) => setTimeout(r, 10));
      seen = await statuses();
    }
    expect(Object.fromEntries(seen)).toEqual({ 'f@surdulica.test': 'sent', 'g@surdulica.test': 'sent', 'h@surdulica.test': 'sent', 'slow@surdulica.test': 'sending' });
    release();
    expect(await outcomes).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect((await statuses()).get('slow@surdulica.test')).toBe('sent');
  });

  it('records each email sent before its connection takes the next one', async () => {
    const deliver = batchedDelivery<{ to: string }>(async (_tx, _tenantId, payloads) => payloads.map((p) => ({ to: p.to, subject: 'S', text: 'T', html: '<p>T</p>' })));
    // Two connections; whenever one is given back, the email it carried must already be recorded.
    const limit = pLimit(2);
    const released: { to: string; status: string | undefined }[] = [];
    // The connection an email is given to: send is called as soon as the delivery holds one.
    let opening: string[] | null = null;
    const mailer: Mailer = {
      kind: 'smtp',
      async send(email) {
        opening?.push(email.to);
        await new Promise((r) => setTimeout(r, 5));
      },
      onConnection: (fn) =>
        limit(async () => {
          const carried: string[] = [];
          opening = carried;
          const running = fn();
          opening = null;
          const result = await running;
          const statuses = new Map((await deliveriesOf(ids)).map((d) => [d.recipient, d.status]));
          for (const to of carried) released.push({ to, status: statuses.get(to) });
          return result;
        }),
      close() {},
    };
    const runs = Array.from({ length: 12 }, (_, i) => ({ to: `c${i}@surdulica.test`, run: { outboxId: randomUUID(), attempt: 1 } }));
    const ids = runs.map((r) => r.run.outboxId);
    const outcomes = await Promise.all(runs.map((r) => deliver(contextWith(mailer), marija.tenantId, r.run, { to: r.to })));
    expect(outcomes.every((o) => o === 'sent')).toBe(true);
    expect(released.map((r) => r.to).sort()).toEqual(runs.map((r) => r.to).sort());
    expect(released.filter((r) => r.status !== 'sent')).toEqual([]);
  });
});
