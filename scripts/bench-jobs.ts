// npm run bench:jobs — a benchmark, not a test: outbox-to-completion throughput of email jobs
// through the relay and a BullMQ worker (emails to a temporary folder), and the delay between a
// step falling due and its reminder with the sweep ticking every second. Needs the machine's
// PostgreSQL (TEST_PG_ADMIN_URL) and Redis (REDIS_URL, default redis://127.0.0.1:6379).
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { and, count, eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { hashPassword } from '#app/auth/password.server';
import { connectPostgres } from '#db/client';
import { migratePostgres } from '#db/migrate';
import { rowsOf } from '#db/rows';
import { documentSteps, emailDeliveries } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { createMailer } from '#jobs/email/transport';
import { sweepReminders } from '#jobs/definitions/reminders';
import { configuredConcurrency, startWorker } from '#jobs/worker';
import { seedDemo } from '#tenants/demo';
import { actorOf } from '#tests/support/actors';
import { submitted } from '#tests/support/documents';
import { admin, OWNER_ROLE, urlFor } from '#tests/support/pg';
import { scratchFolder, writeReminderEmails } from './bench/jobs';

const JOBS = Number(process.env.BENCH_JOBS ?? 2000);
const STEPS = Number(process.env.BENCH_STEPS ?? 300);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const name = `delovod_bench_${randomBytes(4).toString('hex')}`;
const log = pino({ level: process.env.LOG_LEVEL ?? 'silent' });

const pg = admin();
await pg.unsafe(`CREATE DATABASE ${name} OWNER ${OWNER_ROLE}`);
const mailDir = await scratchFolder('delovod-bench-');
try {
  await migratePostgres(urlFor(name, OWNER_ROLE));
  const app = connectPostgres(urlFor(name, 'delovod_app'), { max: 20 });
  await seedDemo(app.db, hashPassword);
  const author = await actorOf(app.db, 'surdulica', 'nikola.petrovic@surdulica.test');
  const doc = await submitted(app.db, author, 'overtime-request', { date: '2027-03-01', plannedStart: '16:00', plannedEnd: '18:00', ground: 'workloadIncrease', description: 'bench' });
  const tenantId = author.tenantId;
  const ctx = { mailer: createMailer({ mailDir, from: 'bench@delovod.test' }), log, now: () => new Date() };
  const worker = await startWorker({ db: app.db, redis: redisUrl, prefix: `{bench${randomBytes(3).toString('hex')}}`, concurrency: configuredConcurrency(), lockMs: 30_000, ctx });
  const sent = async () =>
    (await withTenantOn(app.db, { tenantId }, (tx) => tx.select({ n: count() }).from(emailDeliveries).where(and(eq(emailDeliveries.tenantId, tenantId), eq(emailDeliveries.status, 'sent')))))[0].n;
  const before = await sent();

  // The rows are written first; the clock starts at their commit (the relay fires within a second).
  await writeReminderEmails(app.db, tenantId, author.membershipId, doc.id, JOBS);
  const started = performance.now();
  const cpu = process.cpuUsage();
  while ((await sent()) - before < JOBS) await new Promise((r) => setTimeout(r, 100));
  const seconds = (performance.now() - started) / 1000;
  // CPU time of this process (relay, worker, mailer) a job: on a shared machine, where jobs/s
  // swings with the neighbours' load, the figure that says whether a change made a job cheaper.
  const { user, system } = process.cpuUsage(cpu);
  const cpuMsPerJob = (user + system) / 1000 / JOBS;
  console.log(`outbox → email sent: ${JOBS} jobs in ${seconds.toFixed(1)} s = ${(JOBS / seconds).toFixed(0)} jobs/s, ${cpuMsPerJob.toFixed(2)} ms of worker CPU a job (relay every 1 s, worker concurrency ${JSON.stringify(configuredConcurrency())}, emails to a folder)`);
  await worker.close();

  // Steps falling due over 10 s; the sweep runs every second, as the worker's would every 5 min.
  const [step] = await withTenantOn(app.db, { tenantId }, (tx) => tx.select().from(documentSteps).where(and(eq(documentSteps.tenantId, tenantId), eq(documentSteps.documentId, doc.id))));
  const t0 = Date.now() + 1000;
  await withTenantOn(app.db, { tenantId }, (tx) =>
    tx.insert(documentSteps).values(
      Array.from({ length: STEPS }, (_, i) => ({ ...step, id: undefined, remindersSent: 0, dueAt: new Date(t0 + Math.floor((i * 10_000) / STEPS)) })),
    ),
  );
  const end = t0 + 12_000;
  while (Date.now() < end) {
    await sweepReminders({ ...ctx, db: app.db });
    await new Promise((r) => setTimeout(r, 1000));
  }
  const delays = rowsOf<{ ms: number }>(
    await withTenantOn(app.db, { tenantId }, (tx) =>
      tx.execute(sql`select extract(epoch from n.created_at - (n.data->>'dueAt')::timestamptz) * 1000 as ms from notifications n
        where n.tenant_id = ${tenantId} and n.kind = 'step.reminder' and (n.data->>'dueAt')::timestamptz >= ${new Date(t0).toISOString()}::timestamptz and n.recipient_id = ${step.assigneeId}`),
    ),
  ).map((r) => Number(r.ms)).sort((a, b) => a - b);
  const p95 = delays[Math.min(delays.length - 1, Math.floor(delays.length * 0.95))];
  console.log(`due reminder delay: p95 ${p95?.toFixed(0)} ms over ${delays.length} steps (sweep every 1 s; in production add up to the 5-minute sweep interval)`);
  await app.close();
} finally {
  await pg.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await pg.end();
  await rm(mailDir, { recursive: true, force: true });
}
