// The outbox relay: claims due outbox rows of every tenant through claim_outbox() (the one
// cross-tenant path for it) and adds them to their queues with jobId = outbox id. The claim
// commits only after Redis has the jobs: if Redis refuses, the rows stay unrelayed; if the
// process dies after the add and before the commit, the rows go again and the same jobId
// makes them no second job.
import { sql } from 'drizzle-orm';
import type { Database } from '#db/client';
import { rowsOf } from '#db/rows';
import type { QueueName } from './kinds';
import type { Queues } from './queues';
import { queueOf } from './kinds';
import { within } from './redis';

export interface OutboxRow {
  tenant_id: string;
  id: string;
  job: string;
  payload: Record<string, unknown>;
  attempts: number;
}

export const claimOutbox = async (db: Pick<Database, 'execute'>, limit: number) =>
  rowsOf<OutboxRow>(await db.execute(sql`select tenant_id, id, job, payload, attempts from claim_outbox(${limit})`));

// BullMQ waits for its connection before a command reaches ioredis's offline-queue check, so a
// Redis that is away would hold the claim (and its row locks) open; give up after this instead.
// Should the add land after all, the rows go again later and their jobIds make them no second job.
const REDIS_WAIT_MS = 3000;

/** Relays one batch; returns how many rows went. */
export async function relayOnce(db: Database, queues: Queues, limit = 500): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await claimOutbox(tx, limit);
    const byQueue = new Map<QueueName, OutboxRow[]>();
    // An unknown job name still goes (to 'work'), where it fails visibly instead of vanishing.
    for (const row of rows) {
      const queue = queueOf(row.job);
      byQueue.set(queue, [...(byQueue.get(queue) ?? []), row]);
    }
    for (const [queue, batch] of byQueue) {
      await within(queues[queue].addBulk(batch.map((r) => ({ name: r.job, data: r.payload, opts: { jobId: r.id } }))), REDIS_WAIT_MS);
    }
    return rows.length;
  });
}

/** Relays until the outbox has nothing due. */
export async function relayAll(db: Database, queues: Queues, limit = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await relayOnce(db, queues, limit);
    total += n;
    if (n < limit) return total;
  }
}
