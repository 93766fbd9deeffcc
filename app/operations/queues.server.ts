// Queue health for the national office (DESIGN §6): per queue the BullMQ job counts and the
// failed jobs with retry, and the outbox backlog through outbox_backlog() (counts only). The
// page must answer when Redis does not: each visit opens its own connection that never
// retries, and everything it asks of Redis has a deadline.
import type { Queue } from 'bullmq';
import { sql } from 'drizzle-orm';
import type { Queryable } from '#db/client';
import { rowsOf } from '#db/rows';
import { queueNames, type QueueName } from '#jobs/kinds';
import { redisClient, redisTargetOf, within, type RedisTarget } from '#jobs/redis';
import { env } from '../env.server';

export const jobStates = ['waiting', 'active', 'completed', 'failed', 'delayed'] as const;
export type JobState = (typeof jobStates)[number];

/** Where the queues are; null when jobs run inside the web process (no REDIS_URL). */
export interface QueueConfig {
  /** A single server, a cluster or a sentinel group (jobs/redis.ts). */
  target: RedisTarget;
  prefix: string;
}

/** This deployment's queues, or null when jobs run inside the web process. */
export function queueConfig(): QueueConfig | null {
  const e = env();
  const target = redisTargetOf(e);
  return target ? { target, prefix: e.QUEUE_PREFIX } : null;
}

export interface Backlog {
  /** Requested jobs not yet handed to a queue. */
  pending: number;
  dueNow: number;
  /** Of the pending rows, those tried before (a failed relay in-process, a refused add). */
  retrying: number;
  /** Seconds since the oldest outbox row whose job has not completed was written (0: none). */
  oldestUnfinishedSeconds: number;
}

export interface FailedJob {
  id: string;
  name: string;
  reason: string;
  attempts: number;
  failedAt: Date | null;
}

export interface QueueReport {
  name: QueueName;
  counts: Record<JobState, number>;
  /** The newest failed jobs, at most FAILED_LISTED. */
  failed: FailedJob[];
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export const FAILED_LISTED = 50;
/** A Redis that has not answered by then is reported as not answering. */
const CONNECT_DEADLINE_MS = 1500;
const READ_DEADLINE_MS = 2000;
const RETRY_DEADLINE_MS = 10_000;
/** One "retry all" moves at most this many jobs; the operator can press it again. */
const RETRY_ALL_LIMIT = 1000;
const REASON_CHARS = 500;

export function isQueueName(value: unknown): value is QueueName {
  return typeof value === 'string' && (queueNames as readonly string[]).includes(value);
}

export async function outboxBacklog(db: Queryable): Promise<Backlog> {
  const [row] = rowsOf<{ pending: string | number; due: string | number; retrying: string | number; age: string | number }>(
    await db.execute(sql`select b.pending, b.due, b.retrying, national_outbox_age() as age from outbox_backlog() b`),
  );
  return { pending: Number(row.pending), dueNow: Number(row.due), retrying: Number(row.retrying), oldestUnfinishedSeconds: Math.round(Number(row.age)) };
}

/** Runs `fn` against the queues on a connection of its own, giving up at the deadlines. */
async function withQueues<T>(config: QueueConfig, deadlineMs: number, fn: (queues: Record<QueueName, Queue>) => Promise<T>): Promise<Outcome<T>> {
  // No offline queue and no reconnecting: a Redis that is away fails the commands at once.
  // A probe: no offline queue, no reconnecting; its failures reach the caller through the commands.
  const connection = redisClient(config.target, 'probe');
  const opened: Queue[] = [];
  try {
    await within(connection.connect(), CONNECT_DEADLINE_MS);
    // BullMQ loads on the queues page's first visit, not with every web process (about 0.1 s).
    const { Queue } = await import('bullmq');
    const queues = Object.fromEntries(queueNames.map((name) => [name, new Queue(name, { connection, prefix: config.prefix })])) as Record<QueueName, Queue>;
    for (const q of Object.values(queues)) {
      q.on('error', () => {});
      opened.push(q);
    }
    return { ok: true, value: await within(fn(queues), deadlineMs) };
  } catch (error) {
    return { ok: false, error };
  } finally {
    connection.disconnect();
    for (const q of opened) q.close().catch(() => {});
  }
}

/** Counts and the newest failed jobs of every queue. */
export function readQueues(config: QueueConfig): Promise<Outcome<QueueReport[]>> {
  return withQueues(config, READ_DEADLINE_MS, (queues) =>
    Promise.all(
      queueNames.map(async (name): Promise<QueueReport> => {
        const [counts, failed] = await Promise.all([queues[name].getJobCounts(...jobStates), queues[name].getFailed(0, FAILED_LISTED - 1)]);
        return {
          name,
          counts: Object.fromEntries(jobStates.map((s) => [s, counts[s] ?? 0])) as Record<JobState, number>,
          failed: failed
            .filter((j) => j?.id)
            .map((j) => ({
              id: j.id!,
              name: j.name,
              reason: (j.failedReason ?? '').slice(0, REASON_CHARS),
              attempts: j.attemptsMade,
              failedAt: j.finishedOn ? new Date(j.finishedOn) : null,
            })),
        };
      }),
    ),
  );
}

/** Puts a failed job back to waiting with a fresh set of attempts; false when it is not (or no longer) failed. */
async function retryOne(queue: Queue, id: string): Promise<boolean> {
  const job = await queue.getJob(id);
  if (!job || !(await job.isFailed())) return false;
  try {
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return true;
  } catch {
    // Retried by someone else a moment ago, or removed: it is not failed any more.
    return false;
  }
}

/** Retries one failed job, or every failed job of the queue (up to RETRY_ALL_LIMIT); returns how many went back. */
export function retryFailed(config: QueueConfig, queue: QueueName, which: { id: string } | 'all'): Promise<Outcome<number>> {
  return withQueues(config, RETRY_DEADLINE_MS, async (queues) => {
    const q = queues[queue];
    if (which !== 'all') return (await retryOne(q, which.id)) ? 1 : 0;
    // A snapshot of the ids: a retried job that fails again at once is not retried twice.
    const ids = (await q.getFailed(0, RETRY_ALL_LIMIT - 1)).flatMap((j) => (j?.id ? [j.id] : []));
    let retried = 0;
    for (let i = 0; i < ids.length; i += 50) {
      const done = await Promise.all(ids.slice(i, i + 50).map((id) => retryOne(q, id)));
      retried += done.filter(Boolean).length;
    }
    return retried;
  });
}
