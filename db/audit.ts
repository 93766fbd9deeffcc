// The append-only, hash-chained audit trail of a tenant: hash = sha256(prev_hash ‖ canonical event).
// Appends within a tenant are serialised by the row lock on its chain head.
import canonicalize from 'canonicalize';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
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

function canonicalEvent(e: ChainedEvent): string {
  return canonicalize({
    tenantId: e.tenantId,
    seq: e.seq,
    occurredAt: new Date(e.occurredAt).toISOString(),
    actorUserId: e.actorUserId ?? null,
    onBehalfOfUserId: e.onBehalfOfUserId ?? null,
    ip: e.ip ?? null,
    userAgent: e.userAgent ?? null,
    type: e.type,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    data: e.data,
  })!;
}

export function chainHash(prevHash: string, event: ChainedEvent): string {
  return createHash('sha256').update(prevHash).update(canonicalEvent(event)).digest('hex');
}

/** Appends one event to the tenant's chain inside the caller's transaction. */
export async function appendAudit(tx: Tx, tenantId: string, input: AuditEventInput): Promise<{ seq: number; hash: string }> {
  const [head] = rowsOf<{ seq: string | number; hash: string }>(
    await tx.execute(sql`
      insert into audit_heads (tenant_id, seq, hash) values (${tenantId}, 0, ${GENESIS_HASH})
      on conflict (tenant_id) do update set seq = audit_heads.seq
      returning seq, hash`),
  );
  const event: ChainedEvent = { ...input, tenantId, seq: Number(head.seq) + 1, occurredAt: new Date().toISOString() };
  const hash = chainHash(head.hash, event);
  await tx.insert(auditEvents).values({
    tenantId,
    seq: event.seq,
    occurredAt: event.occurredAt,
    actorUserId: input.actorUserId ?? null,
    onBehalfOfUserId: input.onBehalfOfUserId ?? null,
    ip: input.ip ?? null,
    userAgent: input.userAgent ?? null,
    type: input.type,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    data: input.data,
    prevHash: head.hash,
    hash,
  });
  await tx.execute(sql`update audit_heads set seq = ${event.seq}, hash = ${hash} where tenant_id = ${tenantId}`);
  return { seq: event.seq, hash };
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
