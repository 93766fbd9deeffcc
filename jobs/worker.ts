// npm run worker — the BullMQ worker process (DESIGN §6): one worker per queue, the recurring
// jobs as job schedulers (the outbox relay among them), and a graceful stop on SIGTERM that
// lets active jobs finish.
import { Worker } from 'bullmq';
import { fileURLToPath } from 'node:url';
import { closeDatabase, openDatabase } from '#app/db.server';
import { env } from '#app/env.server';
import { logger } from '#app/logger.server';
import type { Database } from '#db/client';
import { createMailer } from './email/transport';
import { queueNames, type JobContext } from './job';
import { closeQueues, openQueues, producerConnection, workerConnection, type Queues } from './queues';
import { schedules } from './registry';
import { relayAll } from './relay';
import { runJob, runSchedule } from './run';

const RELAY = 'outbox.relay';
const RELAY_EVERY_MS = 1000;

export interface WorkerOptions {
  db: Database;
  redisUrl: string;
  prefix: string;
  /** Jobs run at once on the email queue and on the work queue. */
  concurrency: { email: number; work: number };
  lockMs: number;
  ctx: Omit<JobContext, 'db'>;
  /**
   * The recurring jobs (the outbox relay, the reminder sweep, the monthly reports); default on.
   * Off, the process only runs the email and work queues (the bench's worker processes, whose
   * seeded data no sweep may touch).
   */
  recurring?: boolean;
}

/** npm run worker's concurrency, as the environment sets it (the benches run the same). */
export const configuredConcurrency = (): WorkerOptions['concurrency'] => ({ email: env().EMAIL_CONCURRENCY, work: env().WORKER_CONCURRENCY });

export interface RunningWorker {
  queues: Queues;
  close(): Promise<void>;
}

/** Redis evicting keys under memory pressure would silently drop jobs. */
async function warnUnlessNoEviction(url: string): Promise<void> {
  const probe = workerConnection(url);
  try {
    const reply = (await probe.config('GET', 'maxmemory-policy')) as string[];
    if (reply[1] !== 'noeviction') {
      logger.warn({ policy: reply[1] }, 'Redis maxmemory-policy is not noeviction: queued jobs can be evicted under memory pressure; set maxmemory-policy noeviction');
    }
  } catch (error) {
    logger.warn({ err: error }, 'could not read the Redis maxmemory-policy (CONFIG is disabled?); it must be noeviction');
  } finally {
    probe.disconnect();
  }
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  await warnUnlessNoEviction(options.redisUrl);
  const ctx: JobContext = { ...options.ctx, db: options.db };
  const producer = producerConnection(options.redisUrl);
  const queues = openQueues(producer, options.prefix);
  const recurring = options.recurring ?? true;
  if (recurring) {
    await queues.schedule.upsertJobScheduler(RELAY, { every: RELAY_EVERY_MS }, { name: RELAY });
    for (const s of schedules) {
      await queues.schedule.upsertJobScheduler(s.name, s.every ? { every: s.every } : { pattern: s.pattern, tz: s.tz }, { name: s.name });
    }
  }
  const workers = queueNames.filter((queue) => recurring || queue !== 'schedule').map(
    (queue) =>
      new Worker(
        queue,
        async (job) => {
          if (queue === 'schedule') return job.name === RELAY ? relayAll(options.db, queues) : runSchedule(job.name, ctx);
          await runJob(job.name, job.data, ctx, { outboxId: job.id!, attempt: job.attemptsMade + 1 });
        },
        {
          connection: workerConnection(options.redisUrl),
          prefix: options.prefix,
          // One relay at a time is enough; the other queues get their configured concurrency.
          concurrency: queue === 'schedule' ? 1 : options.concurrency[queue],
          lockDuration: options.lockMs,
          stalledInterval: options.lockMs,
        },
      ),
  );
  for (const w of workers) {
    w.on('failed', (job, err) => ctx.log.warn({ queue: w.name, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err }, 'job failed'));
    w.on('error', (err) => ctx.log.error({ queue: w.name, err }, 'worker error'));
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  return {
    queues,
    async close() {
      // close() waits for the active jobs to finish before it resolves.
      await Promise.all(workers.map((w) => w.close()));
      await closeQueues(queues);
      producer.disconnect();
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const e = env();
  if (!e.REDIS_URL) {
    logger.fatal('npm run worker needs REDIS_URL; without Redis, npm run demo runs the jobs inside the web process');
    process.exit(1);
  }
  const { db } = await openDatabase();
  const mailer = createMailer({ smtpUrl: e.SMTP_URL, mailDir: e.MAIL_DIR, from: e.EMAIL_FROM });
  const concurrency = configuredConcurrency();
  const worker = await startWorker({
    db,
    redisUrl: e.REDIS_URL,
    prefix: e.QUEUE_PREFIX,
    concurrency,
    lockMs: e.WORKER_LOCK_SECONDS * 1000,
    ctx: { mailer, log: logger.child({ process: 'worker' }), now: () => new Date() },
  });
  logger.info({ prefix: e.QUEUE_PREFIX, concurrency, mail: mailer.kind }, 'worker ready');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping: finishing active jobs');
    await worker.close();
    mailer.close();
    await closeDatabase();
    logger.info('worker stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
