// PostgreSQL is the source of truth for jobs (ADR 015). A job that has run to its end is
// recorded on its outbox row (completed_at) before BullMQ completes it; a row relayed long ago
// and neither completed nor present in Redis was lost there (Redis restarted empty, evicted keys,
// a failover that dropped writes) and goes back to the relay, which adds it under the same job
// id. Handlers are idempotent, so a job that did run and only its record was lost runs again
// harmlessly.
import { sql } from 'drizzle-orm';
import type { Database } from '#db/client';
import { rowsOf } from '#db/rows';
import { coalescedWriter } from './coalesce';
import { queueOf } from './kinds';
import type { Queues } from './queues';
import { within, type RedisClient } from './redis';

export interface CompletionMarks {
  /** Resolves once the row is recorded completed. */
  mark(tenantId: string, outboxId: string): Promise<void>;
}

/**
 * Completion records for the jobs a worker finishes: one UPDATE in flight at a time, the next
 * taking every job that finished meanwhile (a handful of statements a second at thousands of
 * jobs a second, and a job waits at most one round trip for its record).
 */
export function completionMarks(db: Database): CompletionMarks {
  const write = coalescedWriter<{ tenantId: string; id: string }>((batch) =>
    db.execute(sql`select complete_outbox(${sql.param(batch.map((b) => b.tenantId))}::uuid[], ${sql.param(batch.map((b) => b.id))}::uuid[])`),
  );
  return { mark: (tenantId, id) => write({ tenantId, id }) };
}

/** How long after its relay an unfinished row is looked for in Redis (ADR 015). */
export const RECONCILE_AFTER_SECONDS = 60;
const RECONCILE_LIMIT = 2000;

export interface Reconciled {
  /** Unfinished rows relayed more than the bound ago. */
  checked: number;
  /** Of them, those Redis no longer held: back to the relay. */
  lost: number;
}

/** One pass of the reconciler. */
export async function reconcileOutbox(db: Database, queues: Queues, redis: RedisClient, afterSeconds = RECONCILE_AFTER_SECONDS): Promise<Reconciled> {
  const stale = rowsOf<{ tenant_id: string; id: string; job: string }>(await db.execute(sql`select tenant_id, id, job from stale_outbox(${afterSeconds}, ${RECONCILE_LIMIT})`));
  if (!stale.length) return { checked: 0, lost: 0 };
  // One pipeline: every queue key shares the prefix's hash tag, so one slot (and one node) on a cluster.
  const pipeline = redis.pipeline();
  for (const row of stale) pipeline.exists(queues[queueOf(row.job)].toKey(row.id));
  const replies = (await within(pipeline.exec(), 5000)) ?? [];
  const lost = stale.filter((_, k) => {
    const [error, exists] = replies[k] ?? [new Error('no reply'), null];
    return !error && exists === 0;
  });
  if (!lost.length) return { checked: stale.length, lost: 0 };
  const [{ n }] = rowsOf<{ n: number }>(
    await db.execute(sql`select unrelay_outbox(${sql.param(lost.map((r) => r.tenant_id))}::uuid[], ${sql.param(lost.map((r) => r.id))}::uuid[]) as n`),
  );
  return { checked: stale.length, lost: Number(n) };
}

/** Seconds since the oldest outbox row that has not completed was written (0: none). */
export async function oldestUnfinishedSeconds(db: Pick<Database, 'execute'>): Promise<number> {
  const [row] = rowsOf<{ age: number | string }>(await db.execute(sql`select worker_outbox_age() as age`));
  return Math.round(Number(row.age));
}
