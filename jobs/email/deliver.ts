// One email per outbox row (docs/decisions 006 and 015). The delivery is recorded as 'sending'
// before the SMTP conversation and 'sent' as soon as that email's SMTP transaction completes,
// each in a short tenant transaction (no transaction stays open across the network). A retry that finds 'sent' or 'skipped' does
// nothing; one that finds 'sending' knows the previous attempt died between the two records and
// sends again with the same Message-ID: a crash in that window can repeat an email (which mail
// clients recognise by its Message-ID) but never lose one.
//
// The emails of one tenant that a worker is running at the same moment share those two
// transactions and compose together (set-based reads): `batchedDelivery` gathers the jobs that
// arrive within a few milliseconds. Each job still succeeds or fails on its own: a failed send
// leaves only its own row 'sending', and a batch whose transaction fails is retried one email at
// a time, so one bad row cannot take the others down with it.
import DataLoader from 'dataloader';
import { and, eq, sql } from 'drizzle-orm';
import { anyOf } from '#db/any';
import type { Tx } from '#db/client';
import { emailDeliveries } from '#db/schema';
import { reusableSelect } from '#db/reusable';
import { withTenantOn } from '#db/tenant';
import { coalescedWriter } from '../coalesce';
import type { JobContext, JobRun } from '../job';
import type { OutgoingEmail } from './transport';

export type Composed = Omit<OutgoingEmail, 'messageId'> | null;
export type Outcome = 'sent' | 'already' | 'skipped';

/** Composes the emails of one tenant's payloads, in order; null where there is nobody to write to. */
export type ComposeMany<P> = (tx: Tx, tenantId: string, payloads: readonly P[]) => Promise<Composed[]>;

interface Item<P> {
  run: JobRun;
  payload: P;
}

const messageIdOf = (run: JobRun) => `<${run.outboxId}@delovod>`;

interface NewDelivery {
  outboxId: string;
  status: 'sending' | 'skipped';
  recipient: string | null;
  messageId: string;
}

/**
 * A batch's new delivery records in one statement, its columns as arrays: the same text whatever
 * the batch's size (drizzle's multi-row insert writes a parameter per value, and its text anew).
 */
function recordDeliveries(tx: Tx, tenantId: string, rows: NewDelivery[]) {
  const column = <K extends keyof NewDelivery>(key: K) => sql.param(rows.map((r) => r[key]));
  return tx.execute(sql`
    insert into ${emailDeliveries} (tenant_id, outbox_id, status, recipient, message_id)
    select ${tenantId}::uuid, d.outbox_id, d.status, d.recipient, d.message_id
    from unnest(${column('outboxId')}::uuid[], ${column('status')}::text[], ${column('recipient')}::text[], ${column('messageId')}::text[])
      as d(outbox_id, status, recipient, message_id)`);
}

// The two statements every batch runs, built once (db/reusable.ts). A value set through a
// placeholder reaches the driver as given: the time goes as an ISO string.
const previousDeliveries = reusableSelect((db) =>
  db
    .select({ outboxId: emailDeliveries.outboxId, status: emailDeliveries.status, attempts: emailDeliveries.attempts })
    .from(emailDeliveries)
    .where(and(eq(emailDeliveries.tenantId, sql.placeholder('tenantId')), anyOf(emailDeliveries.outboxId, sql.placeholder('ids'))))
    .for('update'),
);
const markSent = reusableSelect((db) =>
  db
    .update(emailDeliveries)
    .set({ status: 'sent', sentAt: sql`${sql.placeholder('sentAt')}::timestamptz` })
    .where(and(eq(emailDeliveries.tenantId, sql.placeholder('tenantId')), anyOf(emailDeliveries.outboxId, sql.placeholder('ids')))),
);

/** Sends each item's email at most once more; one transaction before the sends, and each email marked sent as it leaves. */
export async function deliverAll<P>(ctx: JobContext, tenantId: string, items: readonly Item<P>[], composeMany: ComposeMany<P>): Promise<(Outcome | Error)[]> {
  const ids = items.map((i) => i.run.outboxId);
  const prepared = await withTenantOn(ctx.db, { tenantId }, async (tx) => {
    const previous = new Map((await previousDeliveries(tx, { tenantId, ids })).map((d) => [d.outboxId, d]));
    const due = items.filter((i) => (previous.get(i.run.outboxId)?.status ?? 'sending') === 'sending');
    const composed = due.length ? await composeMany(tx, tenantId, due.map((i) => i.payload)) : [];
    const emails = new Map<string, Composed>(due.map((i, k) => [i.run.outboxId, composed[k]]));
    const fresh = due.filter((i) => !previous.has(i.run.outboxId));
    const resent = due.filter((i) => previous.has(i.run.outboxId) && emails.get(i.run.outboxId));
    for (const i of resent) ctx.log.warn({ outboxId: i.run.outboxId, attempts: previous.get(i.run.outboxId)!.attempts }, 'resending an email whose previous attempt was interrupted');
    await Promise.all([
      fresh.length
        ? recordDeliveries(
            tx,
            tenantId,
            fresh.map((i) => {
              const email = emails.get(i.run.outboxId);
              return { outboxId: i.run.outboxId, status: email ? 'sending' : 'skipped', recipient: email?.to ?? null, messageId: messageIdOf(i.run) };
            }),
          )
        : null,
      resent.length
        ? tx
            .update(emailDeliveries)
            .set({ attempts: sql`${emailDeliveries.attempts} + 1`, startedAt: new Date() })
            .where(and(eq(emailDeliveries.tenantId, tenantId), anyOf(emailDeliveries.outboxId, resent.map((i) => i.run.outboxId))))
        : null,
    ]);
    return items.map((i) => {
      const status = previous.get(i.run.outboxId)?.status;
      if (status && status !== 'sending') return 'already' as const;
      // A row left 'sending' whose email now composes to nobody stays as it is: it may have left.
      return emails.get(i.run.outboxId) ?? ('skipped' as const);
    });
  });
  // Each email is marked sent as soon as its own SMTP transaction completes (not when its batch
  // ends), before its connection takes the next email: a worker killed mid-batch resends at most
  // one email per connection, those on the wire or not yet recorded.
  const marks = sentMarks(ctx, tenantId);
  return Promise.all(
    prepared.map(async (p, k): Promise<Outcome | Error> => {
      if (typeof p === 'string') return p;
      try {
        await ctx.mailer.onConnection(async () => {
          await ctx.mailer.send({ ...p, messageId: messageIdOf(items[k].run) });
          await marks.mark(items[k].run.outboxId);
        });
        return 'sent';
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    }),
  );
}

interface Marker {
  mark(outboxId: string): Promise<void>;
}

const markers = new WeakMap<JobContext, Map<string, Marker>>();

/**
 * The 'sent' marks of one tenant's deliveries (`coalescedWriter`): one UPDATE in flight at a time,
 * and the next takes every email whose SMTP transaction completed meanwhile. An email waits for its
 * mark at most two round trips, holding its SMTP connection (`Mailer.onConnection`), so no more
 * marks are outstanding than the pool has connections, without a transaction per email.
 */
function sentMarks(ctx: JobContext, tenantId: string): Marker {
  let byTenant = markers.get(ctx);
  if (!byTenant) markers.set(ctx, (byTenant = new Map()));
  const existing = byTenant.get(tenantId);
  if (existing) return existing;
  const marker: Marker = {
    mark: coalescedWriter<string>((ids) => withTenantOn(ctx.db, { tenantId }, (tx) => markSent(tx, { tenantId, ids, sentAt: new Date().toISOString() }))),
  };
  byTenant.set(tenantId, marker);
  return marker;
}

const throwIfError = (outcome: Outcome | Error): Outcome => {
  if (outcome instanceof Error) throw outcome;
  return outcome;
};

/** Delivers one email on its own (the rare kinds: invitations, signups). */
export async function deliverOnce(ctx: JobContext, tenantId: string, run: JobRun, compose: (tx: Tx) => Promise<Composed>): Promise<Outcome> {
  const [outcome] = await deliverAll(ctx, tenantId, [{ run, payload: null }], async (tx) => [await compose(tx)]);
  return throwIfError(outcome);
}

/** How long a batch waits for more of the jobs the worker is starting, and how large it grows. */
const GATHER_MS = 3;
const MAX_BATCH = 100;

/**
 * A delivery whose concurrent calls for one tenant (within one job context) are batched: the
 * handler awaits its own email's outcome and fails alone if its email fails.
 */
export function batchedDelivery<P>(composeMany: ComposeMany<P>): (ctx: JobContext, tenantId: string, run: JobRun, payload: P) => Promise<Outcome> {
  const loaders = new WeakMap<JobContext, Map<string, DataLoader<Item<P>, Outcome>>>();
  const batch = (ctx: JobContext, tenantId: string) => async (items: readonly Item<P>[]) => {
    try {
      return await deliverAll(ctx, tenantId, items, composeMany);
    } catch (error) {
      if (items.length === 1) return [error instanceof Error ? error : new Error(String(error))];
      ctx.log.warn({ err: error, tenantId, emails: items.length }, 'an email batch failed; delivering its emails one by one');
      return Promise.all(items.map(async (item) => (await deliverAll(ctx, tenantId, [item], composeMany).catch((e: unknown) => [e instanceof Error ? e : new Error(String(e))]))[0]));
    }
  };
  return (ctx, tenantId, run, payload) => {
    let byTenant = loaders.get(ctx);
    if (!byTenant) loaders.set(ctx, (byTenant = new Map()));
    let loader = byTenant.get(tenantId);
    if (!loader) {
      loader = new DataLoader(batch(ctx, tenantId), { cache: false, maxBatchSize: MAX_BATCH, batchScheduleFn: (go) => setTimeout(go, GATHER_MS) });
      byTenant.set(tenantId, loader);
    }
    return loader.load({ run, payload });
  };
}
