// The jobs against the machine's PostgreSQL and Redis and a real SMTP server on loopback: the
// relay, a Redis outage, worker crashes and stops, and exactly one email per outbox row.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import pino from 'pino';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '#app/auth/password.server';
import type { Actor } from '#app/workflow/engine/actor';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { emailDeliveries, notifications, outbox } from '#db/schema';
import { seedDemo } from '#tenants/demo';
import { actorOf, inTenant } from '#tests/support/actors';
import { acted, submitted } from '#tests/support/documents';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import { startSmtp, until, type TestSmtp } from '#tests/support/smtp';
import { createMailer } from './email/transport';
import { closeQueues, openQueues, producerConnection, type Queues } from './queues';
import { relayAll, relayOnce } from './relay';
import { startWorker } from './worker';
import { workerProcess } from '#tests/support/worker';

const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = () => `{t${randomBytes(5).toString('hex')}}`;
const log = pino({ level: 'silent' });

let database: TestDatabase;
let app: DatabaseHandle;
let owner: ReturnType<typeof postgres>;
let smtp: TestSmtp;
let nikola: Actor, marija: Actor;
const opened: Queues[] = [];

const overtime = (date: string) => ({ date, plannedStart: '16:00', plannedEnd: '18:00', ground: 'workloadIncrease', description: 'Припрема буџета' });

function queuesAt(url: string, p: string): Queues {
  const q = openQueues(producerConnection(url), p);
  opened.push(q);
  return q;
}

async function jobCount(q: Queues): Promise<number> {
  const counts = await Promise.all([q.email, q.work].map((x) => x.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed')));
  return counts.reduce((n, c) => n + Object.values(c).reduce((a, b) => a + b, 0), 0);
}

const unrelayed = async () => Number((await owner`select count(*) from outbox where relayed_at is null`)[0].count);

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  app = connectPostgres(database.appUrl, { max: 8 });
  owner = postgres(database.ownerUrl, { max: 2, onnotice: () => {} });
  await seedDemo(app.db, hashPassword);
  nikola = await actorOf(app.db, 'surdulica', 'nikola.petrovic@surdulica.test');
  marija = await actorOf(app.db, 'surdulica', 'marija.stojanovic@surdulica.test');
  smtp = await startSmtp();
  // The demo's own outbox rows (invitations and the like) are not what these tests count.
  await owner`update outbox set relayed_at = now(), completed_at = now()`;
});

afterAll(async () => {
  for (const q of opened) {
    await Promise.all(Object.values(q).map((x) => x.obliterate({ force: true }).catch(() => {})));
    await closeQueues(q);
  }
  await smtp?.close();
  await owner?.end();
  await app?.close();
  await database?.drop();
});

describe('the outbox relay', () => {
  it('relays each row once: relayed twice, the rows are still one job each', async () => {
    await submitted(app.db, nikola, 'overtime-request', overtime('2027-01-11'));
    const rows = await unrelayed();
    expect(rows).toBeGreaterThan(0);
    const q = queuesAt(REDIS, prefix());
    expect(await relayAll(app.db, q)).toBe(rows);
    // As if the relay died after Redis took the jobs and before its claim committed.
    await owner`update outbox set relayed_at = null where relayed_at > now() - interval '1 minute'`;
    expect(await relayAll(app.db, q)).toBe(rows);
    expect(await jobCount(q)).toBe(rows);
    expect(await unrelayed()).toBe(0);
  });

  it('loses nothing while Redis is away: staff work on, and the jobs go out once it is back', async () => {
    const down = openQueues(producerConnection('redis://127.0.0.1:1'), prefix());
    const doc = await submitted(app.db, nikola, 'overtime-request', overtime('2027-01-18'));
    await expect(relayOnce(app.db, down)).rejects.toThrow();
    await acted(app.db, marija, doc, 'approved');
    await expect(relayOnce(app.db, down)).rejects.toThrow();
    const waiting = await unrelayed();
    // The submission's and the approval's notifications, all still waiting.
    expect(waiting).toBeGreaterThanOrEqual(3);
    await Promise.race([closeQueues(down), new Promise((r) => setTimeout(r, 500))]);
    const up = queuesAt(REDIS, prefix());
    expect(await relayAll(app.db, up)).toBe(waiting);
    expect(await jobCount(up)).toBe(waiting);
    expect(await unrelayed()).toBe(0);
  });
});

describe('the worker', () => {
  it('emails each notification once, in the recipient’s language, with a link to the document', async () => {
    const p = prefix();
    const worker = await startWorker({
      db: app.db,
      redis: REDIS,
      prefix: p,
      concurrency: { email: 5, work: 5 },
      lockMs: 5000,
      ctx: { mailer: createMailer({ smtpUrl: smtp.url, mailDir: '', from: 'test@delovod.test' }), log, now: () => new Date() },
    });
    opened.push(worker.queues);
    try {
      const doc = await submitted(app.db, nikola, 'overtime-request', overtime('2027-01-25'));
      const [note] = await inTenant(app.db, marija, (tx) =>
        tx.select().from(notifications).where(and(eq(notifications.documentId, doc.id), eq(notifications.recipientId, marija.membershipId))),
      );
      const [row] = await owner`select id from outbox where payload->>'notificationId' = ${note.id}`;
      const mail = await until('the email', () => smtp.delivered.find((m) => m.messageId === `<${row.id}@delovod>`));
      expect(mail.to && 'text' in mail.to ? mail.to.text : '').toContain('marija.stojanovic@surdulica.test');
      expect(mail.subject).toMatch(/^Чека вас: Захтев/);
      expect(mail.text).toContain(`/t/surdulica/documents/${doc.id}`);
      expect(mail.html).toContain(`/t/surdulica/documents/${doc.id}`);
      // The job again, as after a crash or a relay of the same row once Redis had dropped the completed job: nothing more leaves.
      await until('the first run to complete', async () => (await worker.queues.email.getJobState(row.id)) === 'completed');
      await (await worker.queues.email.getJob(row.id))!.remove();
      await worker.queues.email.add('email.notification', { tenantId: marija.tenantId, notificationId: note.id }, { jobId: row.id });
      await until('the second run', async () => (await worker.queues.email.getJobState(row.id)) === 'completed');
      const [delivery] = await inTenant(app.db, marija, (tx) => tx.select().from(emailDeliveries).where(eq(emailDeliveries.outboxId, row.id)));
      expect(delivery.status).toBe('sent');
      expect(smtp.delivered.filter((m) => m.messageId === `<${row.id}@delovod>`)).toHaveLength(1);
    } finally {
      await worker.close();
    }
  });
});

describe('the worker process', () => {
  function spawnWorker(p: string): ChildProcess {
    return workerProcess({
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: database.appUrl,
        REDIS_URL: REDIS,
        SMTP_URL: smtp.url,
        QUEUE_PREFIX: p,
        WORKER_LOCK_SECONDS: '2',
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }
  const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  /** One fresh email.notification row, unrelayed; returns its outbox id. */
  async function oneEmail(date: string): Promise<string> {
    // Every earlier row counts as done (those relayed to other tests' prefixes included), or the
    // worker's reconciler would find them missing from its queues and relay them again.
    await owner`update outbox set relayed_at = coalesce(relayed_at, now()), completed_at = now() where completed_at is null`;
    const doc = await submitted(app.db, nikola, 'overtime-request', overtime(date));
    const rows = await owner`select id from outbox where relayed_at is null and job = 'email.notification' and payload->>'tenantId' = ${nikola.tenantId}`;
    await owner`update outbox set relayed_at = now(), completed_at = now() where completed_at is null and id <> ${rows[0].id}`;
    expect(doc.state).toBe('in_approval');
    return rows[0].id as string;
  }

  it('killed with SIGKILL in the middle of sending, runs the job again and exactly one email leaves', async () => {
    const id = await oneEmail('2027-02-01');
    const messageId = `<${id}@delovod>`;
    smtp.delay((raw) => raw.includes(messageId), 4000);
    const p = prefix();
    opened.push(queuesAt(REDIS, p));
    const first = spawnWorker(p);
    await until('the first attempt to reach SMTP', () => smtp.started.includes(messageId), 25_000);
    first.kill('SIGKILL');
    await exited(first);
    smtp.delay(() => false, 0);
    const second = spawnWorker(p);
    try {
      await until('the email', () => smtp.delivered.some((m) => m.messageId === messageId), 25_000);
      await new Promise((r) => setTimeout(r, 1500));
      expect(smtp.delivered.filter((m) => m.messageId === messageId)).toHaveLength(1);
      const [delivery] = await inTenant(app.db, nikola, (tx) => tx.select().from(emailDeliveries).where(eq(emailDeliveries.outboxId, id)));
      expect(delivery).toMatchObject({ status: 'sent', attempts: 2 });
    } finally {
      second.kill('SIGTERM');
      await exited(second);
    }
  }, 60_000);

  it('stopped with SIGTERM, finishes the job it is running and exits cleanly', async () => {
    const id = await oneEmail('2027-02-08');
    const messageId = `<${id}@delovod>`;
    smtp.delay((raw) => raw.includes(messageId), 2500);
    const p = prefix();
    opened.push(queuesAt(REDIS, p));
    const worker = spawnWorker(p);
    await until('the job to reach SMTP', () => smtp.started.includes(messageId), 25_000);
    worker.kill('SIGTERM');
    expect(await exited(worker)).toBe(0);
    expect(smtp.delivered.filter((m) => m.messageId === messageId)).toHaveLength(1);
    const [delivery] = await inTenant(app.db, nikola, (tx) => tx.select().from(emailDeliveries).where(eq(emailDeliveries.outboxId, id)));
    expect(delivery.status).toBe('sent');
  }, 60_000);
});

describe('requests without Redis', () => {
  it('never touch Redis: the outbox row is written in the request’s own transaction', async () => {
    const before = await unrelayed();
    const doc = await submitted(app.db, nikola, 'overtime-request', overtime('2027-02-15'));
    const rows = await inTenant(app.db, nikola, (tx) =>
      tx.select().from(outbox).where(and(isNull(outbox.relayedAt), inArray(outbox.job, ['email.notification']), sql`${outbox.payload}->>'tenantId' = ${nikola.tenantId}`)),
    );
    expect(doc.state).toBe('in_approval');
    expect(rows.length).toBeGreaterThan(before);
  });
});
