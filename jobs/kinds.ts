// The typed outbox (DESIGN §6, issue 27): every kind of job as a type — its name, its queue and
// its payload's schema (ids only, always the tenant) — and the one way to request one:
// `enqueue(tx, { name, payload })`, in the caller's transaction, so the job exists exactly when
// the change that asks for it commits. Nothing else writes outbox rows (the linter refuses a
// raw `insert(outbox)` or `insert into outbox` anywhere else, eslint.config.js).
//
// This module is light on purpose (zod and the table): the web's modules import it without the
// handlers, which live in jobs/definitions and take their schemas from here.
import * as z from 'zod';
import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { outbox } from '#db/schema';

/** The BullMQ queues a job kind runs on. */
export const queueNames = ['email', 'work', 'schedule'] as const;
export type QueueName = (typeof queueNames)[number];

const tenantId = z.uuid();
const signup = z.object({ tenantId, signupId: z.uuid() });

/** Each job kind: the queue that runs it and its payload. */
export const jobKinds = {
  'email.notification': { queue: 'email', payload: z.object({ tenantId, notificationId: z.uuid() }) },
  'email.invitation': { queue: 'email', payload: z.object({ tenantId, invitationId: z.uuid() }) },
  'email.signupResume': { queue: 'email', payload: signup },
  'email.signupSubmitted': { queue: 'email', payload: signup },
  'email.signupDecision': { queue: 'email', payload: signup },
  'email.passwordReset': { queue: 'email', payload: z.object({ tenantId, resetId: z.uuid() }) },
  'reports.build': { queue: 'work', payload: z.object({ tenantId, reportId: z.uuid() }) },
  'documents.seal': { queue: 'work', payload: z.object({ tenantId, documentId: z.uuid() }) },
  'webhooks.deliver': { queue: 'work', payload: z.object({ tenantId, deliveryId: z.uuid() }) },
} as const satisfies Record<string, { queue: QueueName; payload: z.ZodType<{ tenantId: string }> }>;

export type JobKind = keyof typeof jobKinds;
export type PayloadOf<K extends JobKind> = z.infer<(typeof jobKinds)[K]['payload']>;

/** One job to request: its kind, its payload, and optionally the moment it becomes due. */
export type JobRequest = { [K in JobKind]: { name: K; payload: PayloadOf<K>; availableAt?: Date } }[JobKind];

export function isJobKind(name: string): name is JobKind {
  return Object.hasOwn(jobKinds, name);
}

/** The queue a job of this name runs on; an unknown name goes to 'work', where it fails visibly. */
export const queueOf = (name: string): QueueName => (isJobKind(name) ? jobKinds[name].queue : 'work');

/** Rows per INSERT statement (PostgreSQL's limit is 65,535 parameters). */
const CHUNK = 1000;

const rowOf = (r: JobRequest) => ({ tenantId: r.payload.tenantId, job: r.name, payload: r.payload, ...(r.availableAt ? { availableAt: r.availableAt } : {}) });

/**
 * Requests jobs in the caller's transaction. The statement is sent at once (as a query builder
 * that is awaited), so callers that pipeline statements on the transaction keep their order.
 */
export function enqueue(tx: Tx, requests: JobRequest | readonly JobRequest[]): Promise<void> {
  const list: readonly JobRequest[] = Array.isArray(requests) ? requests : [requests as JobRequest];
  if (!list.length) return Promise.resolve();
  // `.then` sends the statement now, in the order of the calls.
  if (list.length <= CHUNK) return tx.insert(outbox).values(list.map(rowOf)).then(() => undefined);
  return (async () => {
    for (let i = 0; i < list.length; i += CHUNK) await tx.insert(outbox).values(list.slice(i, i + CHUNK).map(rowOf));
  })();
}

/**
 * The same request as SQL, for a statement that makes the rows the jobs are about and must ask
 * for their jobs in the same statement (a webhook event's deliveries, written by data-modifying
 * CTEs): one job of kind `name` per id that the query `ids` (a CTE named `d` with an `id`
 * column, defined by the caller) yields, its payload `{ tenantId, [idKey]: id }`.
 */
export function enqueueEach<K extends JobKind>(name: K, tenantId: string, idKey: Exclude<keyof PayloadOf<K>, 'tenantId'> & string): SQL {
  return sql`insert into outbox (tenant_id, job, payload)
    select ${tenantId}, ${name}, jsonb_build_object('tenantId', ${tenantId}::text, ${idKey}::text, d.id) from d`;
}
