// The append-only, hash-chained audit trail of a tenant: hash = sha256(prev_hash ‖ canonical event).
// Appends within a tenant are serialised by the row lock on its chain head.
import canonicalize from 'canonicalize';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { createHash, randomBytes } from 'node:crypto';
import type { Tx } from './client';
import { rowsOf } from './rows';
import { auditEvents } from './schema';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEventInput {
  type: string;
  subjectType: string;
  subjectId: string;
  data: Record<string, unknown>;
  actorUserId?: string | null;
  onBehalfOfUserId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

export interface ChainedEvent extends AuditEventInput {
  tenantId: string;
  seq: number;
  occurredAt: string;
}

/** What the event says, absent fields as null: all it carries besides its tenant, position and moment. */
function eventContent(e: AuditEventInput) {
  return {
    actorUserId: e.actorUserId ?? null,
    onBehalfOfUserId: e.onBehalfOfUserId ?? null,
    ip: e.ip ?? null,
    userAgent: e.userAgent ?? null,
    type: e.type,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    data: e.data,
  };
}

/** The event's fields as stored and hashed. */
function eventFields(e: ChainedEvent) {
  return { tenantId: e.tenantId, seq: e.seq, occurredAt: e.occurredAt, ...eventContent(e) };
}

function canonicalEvent(e: ChainedEvent): string {
  return canonicalize({ ...eventFields(e), occurredAt: new Date(e.occurredAt).toISOString() })!;
}

export function chainHash(prevHash: string, event: ChainedEvent): string {
  return createHash('sha256').update(prevHash).update(canonicalEvent(event)).digest('hex');
}

// Tenant transactions append their own tenant's events at the end (withTenantOn registers
// itself): the chain head's row lock serialises a tenant's audited changes, so it is taken just
// before COMMIT instead of in the middle of the work, and held for one statement (audit_append)
// and the COMMIT behind it rather than for the rest of the transaction. Events of another
// tenant's chain (the national office's, written under its own setting) and those of a
// savepoint's transaction object are written at once, as before, and roll back with their
// transaction.
const deferred = new WeakMap<Tx, { tenantId: string; events: AuditEventInput[]; writes: Promise<unknown>[] }>();

export function deferAuditUntilCommit(tx: Tx, tenantId: string): void {
  deferred.set(tx, { tenantId, events: [], writes: [] });
}

/**
 * A write already sent (it runs in order on the transaction's connection, ahead of what
 * follows) whose answer the transaction needs only at COMMIT: it is awaited with the audit
 * events and the COMMIT sent behind them, so whatever it locked is held one round trip less. A
 * transaction object that defers nothing (a savepoint's) gets the write back to await itself.
 */
export function awaitAtCommit(tx: Tx, write: Promise<unknown>): Promise<unknown> {
  const pending = deferred.get(tx);
  if (!pending) return write;
  pending.writes.push(write);
  return Promise.resolve();
}

/**
 * Why a transaction that failed really failed: a write awaited only at COMMIT that failed first
 * aborted it, and whatever ran after it failed only because of that.
 */
export async function failedWriteOf(tx: Tx): Promise<unknown> {
  const settled = await Promise.allSettled(deferred.get(tx)?.writes ?? []);
  return settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')?.reason;
}

/**
 * Writes the events a deferring transaction appended; its owner calls this last before COMMIT.
 * `andCommit`: COMMIT goes out with the events (they run in order on the connection), so the
 * head is released without a round trip to Node; returns whether it did (only when there were events).
 */
export async function flushDeferredAudit(tx: Tx, andCommit = false): Promise<boolean> {
  const pending = deferred.get(tx);
  deferred.delete(tx);
  if (!pending) return false;
  if (!pending.events.length) {
    await Promise.all(pending.writes);
    return false;
  }
  return writeChain(tx, pending.tenantId, pending.events, andCommit, pending.writes);
}

/**
 * Appends one event to the tenant's chain inside the caller's transaction: at the end of a
 * tenant transaction of the same tenant, else at once. Either way it commits or rolls back with
 * it. `now`: written at once (after what was deferred), for a transaction that reads its own
 * trail afterwards.
 */
export async function appendAudit(tx: Tx, tenantId: string, input: AuditEventInput, options: { now?: boolean } = {}): Promise<void> {
  const pending = deferred.get(tx);
  if (pending?.tenantId !== tenantId) {
    await writeChain(tx, tenantId, [input]);
    return;
  }
  pending.events.push(input);
  if (options.now) await writeChain(tx, tenantId, pending.events.splice(0));
}

/**
 * One event canonicalised around the values only the database gives (the moment and the
 * position), which audit_append fills in: random marks cut the text, so nothing an event
 * carries (a comment, a user agent) can be taken for them.
 */
function canonicalPieces(tenantId: string, input: AuditEventInput) {
  for (;;) {
    const [at, seq] = [0, 1].map(() => randomBytes(16).toString('hex'));
    const text = canonicalize({ ...eventContent(input), tenantId, occurredAt: at, seq })!;
    const [beforeAt, rest, ...more] = text.split(at);
    const [beforeSeq, afterSeq, ...others] = (rest ?? '').split(`"${seq}"`);
    if (!more.length && !others.length && afterSeq !== undefined) return { beforeAt, beforeSeq, afterSeq };
  }
}

async function writeChain(tx: Tx, tenantId: string, inputs: AuditEventInput[], andCommit = false, sentBefore: Promise<unknown>[] = []): Promise<boolean> {
  if (!inputs.length) return false;
  const events = inputs.map((input) => ({ ...eventContent(input), ...canonicalPieces(tenantId, input) }));
  // One statement locks the head, chains and inserts the events and moves the head
  // (migration 0016). Sent together with it, COMMIT releases the head as soon as it is done;
  // should the append fail, COMMIT only ends the aborted transaction (PostgreSQL answers it with
  // ROLLBACK) and the append's error is thrown.
  await Promise.all([
    ...sentBefore,
    tx.execute(sql`select audit_append(${tenantId}, ${JSON.stringify(events)}::jsonb)`),
    andCommit ? tx.execute(sql.raw('commit')) : null,
  ]);
  return andCommit;
}

export type ChainVerdict = { ok: true; events: number } | { ok: false; seq: number; reason: 'gap' | 'prevHash' | 'hash' | 'head' };

/** Re-computes the chain in pages; reports the first broken link. */
export async function verifyAuditChain(tx: Tx, tenantId: string): Promise<ChainVerdict> {
  let prev = GENESIS_HASH;
  let expected = 1;
  for (;;) {
    const page = await tx
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), gt(auditEvents.seq, expected - 1)))
      .orderBy(asc(auditEvents.seq))
      .limit(5_000);
    for (const row of page) {
      if (row.seq !== expected) return { ok: false, seq: expected, reason: 'gap' };
      if (row.prevHash !== prev) return { ok: false, seq: row.seq, reason: 'prevHash' };
      const hash = chainHash(prev, { ...row, data: row.data as Record<string, unknown> });
      if (hash !== row.hash) return { ok: false, seq: row.seq, reason: 'hash' };
      prev = hash;
      expected += 1;
    }
    if (page.length < 5_000) break;
  }
  const [head] = rowsOf<{ seq: string | number; hash: string }>(
    await tx.execute(sql`select seq, hash from audit_heads where tenant_id = ${tenantId}`),
  );
  // A deleted tail shows as a head that is ahead of the last event.
  if (head && (Number(head.seq) !== expected - 1 || head.hash !== prev)) return { ok: false, seq: expected, reason: 'head' };
  return { ok: true, events: expected - 1 };
}
