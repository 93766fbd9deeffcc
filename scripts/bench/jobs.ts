// Row 6: the background work's figures on the seeded database.
// - The monthly overtime report of the large tenant, built by the real job (reports.build) for
//   the month with the most pay slips: wall time.
// - The reminder sweep's due-step query (overdue_steps(), as the sweep calls it): wall time.
// - Outbox → job completion, as `npm run bench:jobs` measures it: notification emails written to
//   the outbox first; from their commit, relayed every second by the real relay and run by
//   worker processes (one per core by default, scripts/bench/job-worker.ts: npm run worker's
//   workers at its concurrency, without the recurring jobs so no reminder sweep or monthly
//   report mutates the seeded data), emails to a temporary folder; jobs/s until all
//   are sent. Whatever the outbox already held is drained first, with a warm-up batch, unmeasured.
import { sql } from 'drizzle-orm';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Sql } from 'postgres';
import type { Database } from '#db/client';
import { rowsOf } from '#db/rows';
import { notifications, reports } from '#db/schema';
import { enqueue } from '#jobs/kinds';
import { withTenantOn } from '#db/tenant';
import { buildReport } from '#jobs/definitions/reports';
import { REMINDER_ROUNDS } from '#jobs/definitions/reminders';
import { createMailer } from '#jobs/email/transport';
import type { JobContext } from '#jobs/job';
import { closeQueues, openQueues, producerConnection } from '#jobs/queues';
import { relayAll } from '#jobs/relay';
import { configuredConcurrency } from '#jobs/worker';
import { cpuMsByCommand, cpuMsSince, startJobWorkers } from './processes';

const log = pino({ level: process.env.BENCH_JOBS_LOG ?? 'silent' });
const ms = (since: number) => Math.round((performance.now() - since) * 10) / 10;

export interface ReportFigure {
  ms: number;
  period: string;
  slips: number;
  staff: number;
}

/**
 * A folder for the emails a run writes and throws away, in memory (/dev/shm) where the machine
 * has it. The .eml folder stands in for the SMTP relay production sends to, and a disk is a poor
 * stand-in: on this VM's ext4, creating files in one folder within seconds of deleting thousands
 * (the previous run's emails) took 0.6 ms of kernel CPU a file (inode allocation skipping the
 * recently deleted, with the other threads spinning on the folder's lock), and runs swung
 * between 1,200 and 2,600 jobs/s with it.
 */
export const scratchFolder = (prefix: string) => mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), prefix));

export async function measureReport(admin: Sql, app: Database, tenantId: string, staff: number, requestedBy: string): Promise<ReportFigure> {
  const [busiest] = await admin<{ period: string; slips: number }[]>`
    select d.values->>'month' as period, count(*)::int as slips
    from documents d join templates t on t.id = d.template_id
    where d.tenant_id = ${tenantId} and t.key = 'overtime-pay-slip' and d.state in ('approved', 'registered')
    group by 1 order by 2 desc limit 1`;
  const period = busiest?.period ?? new Date().toISOString().slice(0, 7);
  const mailDir = await scratchFolder('delovod-bench-report-');
  const ctx: JobContext = { db: app, mailer: createMailer({ mailDir, from: 'bench@delovod.test' }), log, now: () => new Date() };
  // Requested by a member (as from the reports page), so it never collides with the scheduled one.
  const [report] = await withTenantOn(app, { tenantId }, (tx) =>
    tx.insert(reports).values({ tenantId, kind: 'overtime-monthly', period, requestedBy }).returning({ id: reports.id }),
  );
  try {
    const started = performance.now();
    await buildReport.handler({ tenantId, reportId: report.id }, ctx, { outboxId: report.id, attempt: 1 });
    return { ms: ms(started), period, slips: busiest?.slips ?? 0, staff };
  } finally {
    await admin`delete from reports where tenant_id = ${tenantId} and id = ${report.id}`;
    await rm(mailDir, { recursive: true, force: true });
  }
}

export interface SweepFigure {
  ms: number;
  /** Median of the runs. */
  runs: number[];
  dueSteps: number;
}

/** The sweep's own query, as the runtime role, median of five. */
export async function measureSweepQuery(app: Database): Promise<SweepFigure> {
  const runs: number[] = [];
  let dueSteps = 0;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const rows = rowsOf(await app.execute(sql`select tenant_id, step_id from overdue_steps(${new Date().toISOString()}::timestamptz, ${REMINDER_ROUNDS}, ${5000})`));
    runs.push(ms(started));
    dueSteps = rows.length;
  }
  const sorted = [...runs].sort((a, b) => a - b);
  return { ms: sorted[2], runs, dueSteps };
}

export interface JobsFigure {
  jobs: number;
  seconds: number;
  jobsPerSec: number;
  /** Outbox rows waiting before the run, drained unmeasured. */
  backlog: number;
  /** Worker processes that ran them. */
  processes: number;
  /** CPU time the worker processes spent per job over the measured run (null off Linux). */
  workerCpuMsPerJob: number | null;
  /**
   * The whole machine's CPU a job over the measured run, by command name (the workers are
   * `node`, as is the bench's own relay and polling; PostgreSQL's backends `postgres`; its WAL
   * and data writes partly the kernel's `kworker`s), largest first.
   */
  machineCpuMsPerJob: [string, number][];
}

/** Writes `count` reminder notifications with their email outbox rows, a thousand per transaction. */
export async function writeReminderEmails(app: Database, tenantId: string, recipientId: string, documentId: string | null, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - i) }, () => ({
      tenantId,
      id: randomUUID(),
      recipientId,
      kind: 'step.reminder' as const,
      documentId,
      data: { step: 'unit-head', round: 1, rounds: REMINDER_ROUNDS },
    }));
    await withTenantOn(app, { tenantId }, async (tx) => {
      await tx.insert(notifications).values(rows);
      await enqueue(tx, rows.map((n) => ({ name: 'email.notification' as const, payload: { tenantId, notificationId: n.id } })));
    });
  }
}

export async function measureJobs(o: {
  admin: Sql;
  app: Database;
  appUrl: string;
  redisUrl: string;
  tenantId: string;
  recipientId: string;
  documentId: string | null;
  jobs: number;
  processes: number;
  profileDir?: string;
}): Promise<JobsFigure> {
  const mailDir = await scratchFolder('delovod-bench-mail-');
  const prefix = `{bench${randomBytes(3).toString('hex')}}`;
  const producer = producerConnection(o.redisUrl);
  const queues = openQueues(producer, prefix);
  // As many worker processes as a production install runs (npm run worker, once per core).
  const workers = await startJobWorkers(o.processes, { appUrl: o.appUrl, redisUrl: o.redisUrl, prefix, mailDir, concurrency: configuredConcurrency() }, o.profileDir);
  let relaying = false;
  let relay: Promise<void> = Promise.resolve();
  // The worker's relay schedule fires every second; so does this loop.
  const startRelay = () => {
    relaying = true;
    relay = (async () => {
      while (relaying) {
        await relayAll(o.app, queues).catch((error: unknown) => log.error({ err: error }, 'relay failed'));
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
  };
  const waiting = async () => {
    const [{ n }] = await o.admin<{ n: number }[]>`select count(*)::int as n from outbox where relayed_at is null and available_at <= now()`;
    const counts = await Promise.all(Object.values(queues).map((q) => q.getJobCounts('waiting', 'active', 'delayed')));
    return n + counts.reduce((sum, c) => sum + c.waiting + c.active + c.delayed, 0);
  };
  const throwIfAJobFailed = async () => {
    for (const q of Object.values(queues)) {
      const [job] = (await q.getJobs(['failed', 'delayed'], 0, 10)).filter((j) => j.failedReason);
      if (job) throw new Error(`a ${job.name} job failed (attempt ${job.attemptsMade}): ${job.failedReason}`);
    }
  };
  const sent = async () => {
    const [{ n }] = await o.admin<{ n: number }[]>`select count(*)::int as n from email_deliveries where tenant_id = ${o.tenantId} and status = 'sent'`;
    return n;
  };
  try {
    await Promise.all(Object.values(queues).map((q) => q.waitUntilReady()));
    const backlog = await waiting();
    // Warm-up, as every other row has: fresh worker processes run a first batch unmeasured,
    // together with whatever the outbox held.
    await writeReminderEmails(o.app, o.tenantId, o.recipientId, o.documentId, Math.min(o.jobs, 1000));
    startRelay();
    const drainUntil = Date.now() + 180_000;
    while ((await waiting()) > 0 && Date.now() < drainUntil) {
      await throwIfAJobFailed();
      await new Promise((r) => setTimeout(r, 250));
    }
    relaying = false;
    await relay;
    const before = await sent();
    // The outbox rows are written first (as many transitions and sweeps would have written them);
    // the clock starts when they are committed and the relay starts.
    await writeReminderEmails(o.app, o.tenantId, o.recipientId, o.documentId, o.jobs);
    const workerCpuMs = () => {
      const each = workers.map((w) => w.cpuMs());
      return each.includes(null) ? null : (each as number[]).reduce((a, b) => a + b, 0);
    };
    const cpuBefore = workerCpuMs();
    const machineBefore = cpuMsByCommand();
    const started = performance.now();
    startRelay();
    const deadline = Date.now() + 600_000;
    // Done when nothing is left in the outbox or the queues. Counting the sent emails instead
    // read the tenant's whole email log every 50 ms, which kept PostgreSQL busy with the
    // bench's own polling (72 ms a count at national scale) while the jobs ran; that count is
    // taken once, at the end, to prove every email left.
    let checked = Date.now();
    while ((await waiting()) > 0) {
      if (Date.now() > deadline) throw new Error('the jobs did not complete within 10 minutes');
      // No job of this row should fail even once: say why at once instead of waiting out the retries.
      if (Date.now() - checked > 1000) {
        checked = Date.now();
        await throwIfAJobFailed();
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = workerCpuMs();
    const machine = cpuMsSince(machineBefore, cpuMsByCommand()).map(([name, cpuMs]): [string, number] => [name, Math.round((cpuMs / o.jobs) * 1000) / 1000]);
    const delivered = (await sent()) - before;
    if (delivered < o.jobs) throw new Error(`the queues are empty but only ${delivered} of ${o.jobs} emails were sent`);
    const workerCpuMsPerJob = cpuBefore === null || cpuAfter === null ? null : Math.round(((cpuAfter - cpuBefore) / o.jobs) * 1000) / 1000;
    return { jobs: o.jobs, seconds: Math.round(seconds * 100) / 100, jobsPerSec: Math.round(o.jobs / seconds), backlog, processes: o.processes, workerCpuMsPerJob, machineCpuMsPerJob: machine };
  } finally {
    relaying = false;
    await relay;
    await Promise.all(workers.map((w) => w.stop()));
    await Promise.all(Object.values(queues).map((q) => q.obliterate({ force: true }).catch(() => {})));
    await closeQueues(queues);
    producer.disconnect();
    await rm(mailDir, { recursive: true, force: true });
  }
}
