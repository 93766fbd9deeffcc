// One worker process of `npm run bench`'s jobs row: npm run worker's workers (startWorker) for
// the email and work queues at its concurrency, without the recurring jobs, so no reminder
// sweep or monthly report mutates the seeded data (the bench relays the outbox itself); emails
// to a folder. It says "ready" over IPC once its workers listen, and on SIGTERM finishes its active
// jobs and exits.
import pino from 'pino';
import { connectPostgres } from '#db/client';
import { createMailer } from '#jobs/email/transport';
import { startWorker, type WorkerOptions } from '#jobs/worker';

export interface JobWorkerSpec {
  appUrl: string;
  redisUrl: string;
  prefix: string;
  mailDir: string;
  concurrency: WorkerOptions['concurrency'];
}

const spec = JSON.parse(process.env.BENCH_WORKER_SPEC!) as JobWorkerSpec;
const database = connectPostgres(spec.appUrl, { applicationName: 'delovod-bench-worker' });
const mailer = createMailer({ mailDir: spec.mailDir, from: 'bench@delovod.test' });
const worker = await startWorker({
  db: database.db,
  redis: spec.redisUrl,
  prefix: spec.prefix,
  concurrency: spec.concurrency,
  lockMs: 30_000,
  recurring: false,
  ctx: { mailer, log: pino({ level: process.env.BENCH_JOBS_LOG ?? 'silent' }), now: () => new Date() },
});
process.send!('ready');

process.once('SIGTERM', () => {
  void (async () => {
    await worker.close();
    mailer.close();
    await database.close();
    process.exit(0);
  })();
});
