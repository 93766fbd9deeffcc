// npm run worker — the BullMQ worker process (DESIGN §6, ADR 015): one worker per queue, the
// recurring jobs as job schedulers (the outbox relay and its reconciler among them) re-asserted
// continuously, so a Redis that comes back empty gets them back within seconds; each job's
// completion recorded in PostgreSQL before BullMQ completes it; a health and metrics endpoint;
// and a graceful stop on SIGTERM that lets active jobs finish.
import { Worker } from 'bullmq';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { closeDatabase, openDatabase } from '#app/db.server';
import { env } from '#app/env.server';
import { logger } from '#app/logger.server';
import { BELGRADE } from '#app/time/belgrade';
import type { Database } from '#db/client';
import { createMailer } from './email/transport';
import type { JobContext } from './job';
import { queueNames } from './kinds';
import { closeQueues, openQueues, producerConnection, workerConnection, type Queues } from './queues';
import { completionMarks, oldestUnfinishedSeconds, RECONCILE_AFTER_SECONDS, reconcileOutbox } from './reconcile';
import { describeTarget, redisClient, redisTargetOf, redisWarnings, targetOf, within, type RedisClient, type RedisTarget } from './redis';
import { schedules } from './registry';
import { relayAll } from './relay';
import { runJob, runSchedule } from './run';

const RELAY = 'outbox.relay';
const RELAY_EVERY_MS = 1000;
const RECONCILE = 'outbox.reconcile';
/** How often each worker re-asserts the schedulers (idempotent upserts). */
const SCHEDULERS_EVERY_MS = 15_000;
/** Each health check answers within this. */
const HEALTH_DEADLINE_MS = 800;

export interface WorkerOptions {
  db: Database;
  /** A redis:// URL or a cluster or sentinel group (redis.ts). */
  redis: RedisTarget | string;
  prefix: string;
  /** Jobs run at once on the email queue and on the work queue. */
  concurrency: { email: number; work: number };
  /** WORKER_LOCK_SECONDS × 1000: a killed worker's jobs are taken over this long after its last renewal. */
  lockMs: number;
  ctx: Omit<JobContext, 'db'>;
  /**
   * The recurring jobs (the outbox relay, the reconciler, the reminder sweep, the monthly
   * reports); default on. Off, the process only runs the email and work queues (the bench's
   * worker processes, whose seeded data no sweep may touch).
   */
  recurring?: boolean;
  /** /readyz answers 503 when the oldest unfinished outbox row is older than this. */
  backlogAlertSeconds?: number;
  /** Serve /livez, /readyz and /metrics on this port (0: any free port). */
  healthPort?: number;
  schedulersEveryMs?: number;
  /** Relayed rows neither completed nor in Redis after this long are relayed again (default 60). */
  reconcileAfterSeconds?: number;
}

/** npm run worker's concurrency, as the environment sets it (the benches run the same). */
export const configuredConcurrency = (): WorkerOptions['concurrency'] => ({ email: env().EMAIL_CONCURRENCY, work: env().WORKER_CONCURRENCY });

export interface WorkerHealth {
  ok: boolean;
  checks: { redis: string; schedulers: string; backlog: string };
  oldestUnfinishedSeconds: number | null;
}

export interface RunningWorker {
  queues: Queues;
  /** Redis, the schedulers and the backlog's age, each within a deadline. */
  health(): Promise<WorkerHealth>;
  /** The health server's port, when one was asked for. */
  healthPort: number | null;
  close(): Promise<void>;
}

/** The recurring jobs as job schedulers: their ids and repeat options. */
function schedulerList(reconcileAfterSeconds: number): { id: string; repeat: { every: number } | { pattern: string; tz?: string } }[] {
  return [
    { id: RELAY, repeat: { every: RELAY_EVERY_MS } },
    // Every half bound (at least every 5 s): a lost job goes again within 1.5 × the bound.
    { id: RECONCILE, repeat: { every: Math.max(5000, reconcileAfterSeconds * 500) } },
    ...schedules.map((s) => ({ id: s.name, repeat: s.every ? { every: s.every } : { pattern: s.pattern!, tz: BELGRADE } })),
  ];
}

/** BullMQ's stalled-job check runs this often, so a lock that expired is seen within a tenth of the lock time. */
export const stalledIntervalOf = (lockMs: number) => Math.max(500, Math.round(lockMs / 10));

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const target = targetOf(options.redis);
  const log = options.ctx.log;
  for (const warning of await redisWarnings(target)) log.warn({ redis: describeTarget(target) }, warning);
  const ctx: JobContext = { ...options.ctx, db: options.db };
  const producer = producerConnection(target, log);
  const queues = openQueues(producer, options.prefix, log);
  const recurring = options.recurring ?? true;
  const completions = completionMarks(options.db);
  const reconcileAfter = options.reconcileAfterSeconds ?? RECONCILE_AFTER_SECONDS;
  const wanted = recurring ? schedulerList(reconcileAfter) : [];

  // Upserting a scheduler is idempotent (same id, same repeat: the next run stays as it is), so
  // every worker re-asserts them all: at start, whenever its connection to Redis is ready again,
  // and every few seconds. Redis restarted without its data gets them back from any worker.
  let asserting: Promise<void> | null = null;
  const assertSchedulers = () =>
    (asserting ??= (async () => {
      try {
        for (const s of wanted) await within(queues.schedule.upsertJobScheduler(s.id, s.repeat, { name: s.id }), 5000);
      } catch (error) {
        log.warn({ error: error instanceof Error ? error.message : String(error) }, 'could not assert the job schedulers (Redis away?); trying again shortly');
      } finally {
        asserting = null;
      }
    })());
  if (recurring) {
    await assertSchedulers();
    producer.on('ready', () => void assertSchedulers());
  }
  const reassert = recurring ? setInterval(() => void assertSchedulers(), options.schedulersEveryMs ?? SCHEDULERS_EVERY_MS) : null;
  reassert?.unref();

  const running = queueNames.filter((queue) => recurring || queue !== 'schedule');
  // BullMQ closes only the connections it made itself: these are ours to end on close (else a
  // closed worker's process stays alive on them, as the benchmark's did).
  const connections: RedisClient[] = running.map(() => workerConnection(target, log));
  const workers = running
    .map(
      (queue, k) =>
        new Worker(
          queue,
          async (job) => {
            if (queue === 'schedule') {
              if (job.name === RELAY) return relayAll(options.db, queues);
              if (job.name === RECONCILE) {
                const done = await reconcileOutbox(options.db, queues, producer, reconcileAfter);
                if (done.lost) log.warn(done, 'relayed jobs that Redis had lost go out again');
                return done;
              }
              return runSchedule(job.name, ctx);
            }
            await runJob(job.name, job.data, ctx, { outboxId: job.id!, attempt: job.attemptsMade + 1 });
            // Recorded before BullMQ completes the job: PostgreSQL knows it is done before Redis forgets it.
            const tenantId = (job.data as { tenantId?: unknown }).tenantId;
            if (typeof tenantId === 'string') await completions.mark(tenantId, job.id!);
          },
          {
            connection: connections[k],
            prefix: options.prefix,
            // One relay at a time is enough; the other queues get their configured concurrency.
            concurrency: queue === 'schedule' ? 1 : options.concurrency[queue],
            // A killed worker's lock lapses at most lockMs after its last renewal (every lockMs / 2);
            // the stalled check, every tenth of that, hands the job on: recovery within 1.2 × lockMs.
            lockDuration: options.lockMs,
            stalledInterval: stalledIntervalOf(options.lockMs),
            // A job is idempotent: taken over after a crash it runs again rather than fail.
            maxStalledCount: 10,
          },
        ),
    );
  for (const w of workers) {
    w.on('failed', (job, err) => log.warn({ queue: w.name, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, error: err.message }, 'job failed'));
    w.on('error', (err) => log.warn({ queue: w.name, error: err.message }, 'worker error'));
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));

  const health = async (): Promise<WorkerHealth> => {
    const probe = redisClient(target, 'probe');
    const [redis, present, age] = await Promise.allSettled([
      within((async () => {
        await probe.connect();
        await probe.ping();
      })(), HEALTH_DEADLINE_MS),
      recurring ? within(queues.schedule.getJobSchedulers(0, -1), HEALTH_DEADLINE_MS) : Promise.resolve([]),
      within(oldestUnfinishedSeconds(options.db), HEALTH_DEADLINE_MS, 'PostgreSQL'),
    ]);
    probe.disconnect();
    const have = new Set(present.status === 'fulfilled' ? present.value.map((s) => s.key ?? s.id) : []);
    const missing = wanted.filter((s) => !have.has(s.id)).map((s) => s.id);
    const alert = options.backlogAlertSeconds ?? 900;
    const checks = {
      redis: redis.status === 'fulfilled' ? 'ok' : 'unavailable',
      schedulers: present.status === 'rejected' ? 'unavailable' : missing.length ? `missing: ${missing.join(', ')}` : 'ok',
      backlog: age.status === 'rejected' ? 'unavailable' : age.value > alert ? `oldest unfinished job ${age.value} s old` : 'ok',
    };
    return { ok: Object.values(checks).every((c) => c === 'ok'), checks, oldestUnfinishedSeconds: age.status === 'fulfilled' ? age.value : null };
  };

  let server: Server | null = null;
  if (options.healthPort !== undefined) {
    server = createServer((req, res) => {
      const send = (status: number, type: string, body: string) => res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(body);
      if (req.url === '/livez' || req.url === '/healthz') return send(200, 'text/plain', 'ok');
      if (req.url === '/readyz') {
        void health().then((h) => send(h.ok ? 200 : 503, 'application/json', JSON.stringify(h)));
        return;
      }
      if (req.url === '/metrics') {
        void health().then((h) =>
          send(
            200,
            'text/plain; version=0.0.4',
            [
              '# HELP delovod_outbox_oldest_unfinished_seconds Age of the oldest outbox row whose job has not completed.',
              '# TYPE delovod_outbox_oldest_unfinished_seconds gauge',
              `delovod_outbox_oldest_unfinished_seconds ${h.oldestUnfinishedSeconds ?? 'NaN'}`,
              '# HELP delovod_worker_ready Whether Redis, the schedulers and the backlog are healthy (1) or not (0).',
              '# TYPE delovod_worker_ready gauge',
              `delovod_worker_ready ${h.ok ? 1 : 0}`,
              '',
            ].join('\n'),
          ),
        );
        return;
      }
      send(404, 'text/plain', 'not found');
    });
    server.listen(options.healthPort, '0.0.0.0');
    await new Promise<void>((resolve) => server!.once('listening', resolve));
  }
  const address = server?.address();

  return {
    queues,
    health,
    healthPort: address && typeof address === 'object' ? address.port : null,
    async close() {
      if (reassert) clearInterval(reassert);
      server?.close();
      // close() waits for the active jobs to finish before it resolves.
      await Promise.all(workers.map((w) => w.close()));
      await closeQueues(queues);
      producer.disconnect();
      for (const connection of connections) connection.disconnect();
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const e = env();
  const target = redisTargetOf(e);
  if (!target) {
    logger.fatal('npm run worker needs REDIS_URL (or REDIS_CLUSTER_NODES, or REDIS_SENTINELS); without Redis, npm run demo runs the jobs inside the web process');
    process.exit(1);
  }
  const { db } = await openDatabase();
  const mailer = createMailer({ smtpUrl: e.SMTP_URL, mailDir: e.MAIL_DIR, from: e.EMAIL_FROM });
  const concurrency = configuredConcurrency();
  const worker = await startWorker({
    db,
    redis: target,
    prefix: e.QUEUE_PREFIX,
    concurrency,
    lockMs: e.WORKER_LOCK_SECONDS * 1000,
    backlogAlertSeconds: e.WORKER_BACKLOG_ALERT_SECONDS,
    reconcileAfterSeconds: e.OUTBOX_RECONCILE_SECONDS,
    ...(e.WORKER_HEALTH_PORT === undefined ? {} : { healthPort: e.WORKER_HEALTH_PORT }),
    ctx: { mailer, log: logger.child({ process: 'worker' }), now: () => new Date() },
  });
  logger.info({ redis: describeTarget(target), prefix: e.QUEUE_PREFIX, concurrency, mail: mailer.kind, healthPort: worker.healthPort }, 'worker ready');
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
