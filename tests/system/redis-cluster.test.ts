// The same jobs on a Redis Cluster (issue 24): a 3-master cluster this test makes itself
// (redis-server on free ports, `redis-cli --cluster create`), the worker on it through
// REDIS_CLUSTER_NODES' client, and the reminder job end to end — the sweep finds an overdue step,
// the relay moves its email job, the email reaches SMTP — once as the cluster stands and once
// while the queues' hash slot migrates to another master.
import { and, eq } from 'drizzle-orm';
import pino from 'pino';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '#app/auth/password.server';
import type { Actor } from '#app/workflow/engine/actor';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { documentSteps, notifications } from '#db/schema';
import { createMailer } from '#jobs/email/transport';
import { parseNodes } from '#jobs/redis';
import { startWorker, type RunningWorker } from '#jobs/worker';
import { seedDemo } from '#tenants/demo';
import { actorOf, inTenant } from '#tests/support/actors';
import { submitted } from '#tests/support/documents';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import { migrateSlot, ownerOf, startCluster, type TestCluster } from '#tests/support/redis';
import { startSmtp, until, type TestSmtp } from '#tests/support/smtp';

const PREFIX = '{cluster-test}';

let database: TestDatabase;
let app: DatabaseHandle;
let owner: ReturnType<typeof postgres>;
let cluster: TestCluster;
let smtp: TestSmtp;
let worker: RunningWorker;
let nikola: Actor, marija: Actor;

beforeAll(async () => {
  [cluster, smtp, database] = await Promise.all([startCluster(), startSmtp(), createTestDatabase(inject('templateDatabase'))]);
  app = connectPostgres(database.appUrl, { max: 6 });
  owner = postgres(database.ownerUrl, { max: 2, onnotice: () => {} });
  await seedDemo(app.db, hashPassword);
  await owner`update outbox set relayed_at = now(), completed_at = now()`;
  nikola = await actorOf(app.db, 'surdulica', 'nikola.petrovic@surdulica.test');
  marija = await actorOf(app.db, 'surdulica', 'marija.stojanovic@surdulica.test');
  worker = await startWorker({
    db: app.db,
    redis: { kind: 'cluster', nodes: parseNodes(cluster.nodes) },
    prefix: PREFIX,
    concurrency: { email: 10, work: 2 },
    lockMs: 5000,
    ctx: { mailer: createMailer({ smtpUrl: smtp.url, mailDir: '', from: 'test@delovod.test' }), log: pino({ level: 'silent' }), now: () => new Date() },
  });
}, 180_000);

afterAll(async () => {
  await worker?.close();
  await smtp?.close();
  await cluster?.stop();
  await owner?.end();
  await app?.close();
  await database?.drop();
});

/** A submitted overtime request whose first step is overdue: the sweep owes Marija a reminder. */
async function overdueStep(date: string): Promise<string> {
  const doc = await submitted(app.db, nikola, 'overtime-request', { date, plannedStart: '16:00', plannedEnd: '18:00', ground: 'workloadIncrease', description: 'Буџет' });
  await inTenant(app.db, marija, (tx) => tx.update(documentSteps).set({ dueAt: new Date(Date.now() - 60_000) }).where(and(eq(documentSteps.tenantId, marija.tenantId), eq(documentSteps.documentId, doc.id))));
  return doc.id;
}

/** Runs the reminder sweep as its scheduler would, and waits for the reminder's email at the sink. */
async function reminderEmailed(documentId: string): Promise<void> {
  await worker.queues.schedule.add('reminders.sweep', {});
  const note = await until('the reminder', async () => {
    const [n] = await inTenant(app.db, marija, (tx) =>
      tx.select({ id: notifications.id }).from(notifications).where(and(eq(notifications.documentId, documentId), eq(notifications.kind, 'step.reminder'), eq(notifications.recipientId, marija.membershipId))),
    );
    return n;
  }, 60_000);
  const [row] = await owner<{ id: string }[]>`select id from outbox where payload->>'notificationId' = ${note.id}`;
  await until('the reminder email', () => smtp.delivered.some((m) => m.messageId === `<${row.id}@delovod>`), 60_000);
  expect(smtp.delivered.filter((m) => m.messageId === `<${row.id}@delovod>`)).toHaveLength(1);
  // Its completion recorded in PostgreSQL: the reconciler will not look for it.
  await until('the job recorded completed', async () => (await owner<{ completed: boolean }[]>`select completed_at is not null as completed from outbox where id = ${row.id}`)[0].completed, 30_000);
}

describe('jobs on a Redis Cluster', () => {
  it('run the reminder job end to end on three masters', async () => {
    await reminderEmailed(await overdueStep('2027-03-01'));
    // The job schedulers are on the cluster too, every one of them.
    expect((await worker.health()).checks).toMatchObject({ redis: 'ok', schedulers: 'ok' });
  }, 120_000);

  it('keep running while the queues’ hash slot migrates to another master', async () => {
    const slot = Number(await cluster.cli(cluster.ports[0], 'cluster', 'keyslot', PREFIX));
    const from = await ownerOf(cluster, slot);
    const to = cluster.ports.find((p) => p !== from)!;
    const documentId = await overdueStep('2027-03-02');
    // The sweep, the relay and the email run while the keys move.
    const [moved] = await Promise.all([migrateSlot(cluster, slot, to), reminderEmailed(documentId)]);
    expect(moved).toBeGreaterThan(0);
    expect(await ownerOf(cluster, slot)).toBe(to);
    // And after it, on the new master.
    await reminderEmailed(await overdueStep('2027-03-03'));
    const reminders = await inTenant(app.db, marija, (tx) =>
      tx.select({ documentId: notifications.documentId, data: notifications.data }).from(notifications).where(and(eq(notifications.kind, 'step.reminder'), eq(notifications.recipientId, marija.membershipId))),
    );
    // Once per (step, round): three steps, one first round each.
    expect(reminders.map((r) => (r.data as { round: number }).round)).toEqual([1, 1, 1]);
    expect(new Set(reminders.map((r) => r.documentId)).size).toBe(3);
  }, 180_000);
});
