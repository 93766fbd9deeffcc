// One worker process of `npm run bench`'s jobs row: BullMQ workers for the email and work
// queues at concurrency 50, running the real job runner (npm run worker's, without its
// schedules, so no reminder sweep or monthly report mutates the seeded data), emails to a
// folder. It says "ready" over IPC once its workers listen, and on SIGTERM finishes its active
// jobs and exits.
import { Worker } from 'bullmq';
import pino from 'pino';
import { connectPostgres } from '#db/client';
import { createMailer } from '#jobs/email/transport';
import type { JobContext } from '#jobs/job';
import { workerConnection } from '#jobs/queues';
import { runJob } from '#jobs/run';

export interface JobWorkerSpec {
  appUrl: string;
  redisUrl: string;
  prefix: string;
  mailDir: string;
  concurrency: number;
}

const spec = JSON.parse(process.env.BENCH_WORKER_SPEC!) as JobWorkerSpec;
const database = connectPostgres(spec.appUrl, { applicationName: 'delovod-bench-worker' });
const ctx: JobContext = {
  db: database.db,
  mailer: createMailer({ mailDir: spec.mailDir, from: 'bench@delovod.test' }),
  log: pino({ level: process.env.BENCH_JOBS_LOG ?? 'silent' }),
  now: () => new Date(),
};
const workers = (['email', 'work'] as const).map(
  (queue) =>
    new Worker(queue, (job) => runJob(job.name, job.data, ctx, { outboxId: job.id!, attempt: job.attemptsMade + 1 }), {
      connection: workerConnection(spec.redisUrl),
      prefix: spec.prefix,
      concurrency: spec.concurrency,
    }),
);
await Promise.all(workers.map((w) => w.waitUntilReady()));
process.send!('ready');

process.once('SIGTERM', () => {
  void (async () => {
    await Promise.all(workers.map((w) => w.close()));
    ctx.mailer.close();
    await database.close();
    process.exit(0);
  })();
});
