// The fault tests' yardstick: emails asked for through the outbox, counted at the SMTP sinks
// by their Message-ID (`<outbox id@delovod>`), so a loss or a duplicate shows whatever failed.
import type postgres from 'postgres';
import type { ParsedMail } from 'mailparser';
import { randomUUID } from 'node:crypto';
import type { Actor } from '#app/workflow/engine/actor';
import type { DatabaseHandle } from '#db/client';
import { notifications } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { enqueue } from '#jobs/kinds';

/** `n` reminder notifications for `to`, each with its email requested: their outbox ids. */
export async function requestEmails(app: DatabaseHandle, owner: postgres.Sql, to: Actor, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  await withTenantOn(app.db, { tenantId: to.tenantId }, async (tx) => {
    await tx.insert(notifications).values(ids.map((id) => ({ tenantId: to.tenantId, id, recipientId: to.membershipId, kind: 'step.reminder' as const, documentId: null, data: { step: 'unit-head', round: 1, rounds: 3 } })));
    await enqueue(tx, ids.map((notificationId) => ({ name: 'email.notification' as const, payload: { tenantId: to.tenantId, notificationId } })));
  });
  const rows = await owner<{ id: string }[]>`select id from outbox where payload->>'notificationId' = any(${ids})`;
  return rows.map((r) => r.id);
}

/** How many of the outbox rows' emails reached the sinks: none, once, or more than once. */
export function countDeliveries(delivered: ParsedMail[], outboxIds: string[]): { lost: number; duplicates: number; delivered: number } {
  const times = new Map(outboxIds.map((id) => [`<${id}@delovod>`, 0]));
  for (const m of delivered) if (m.messageId && times.has(m.messageId)) times.set(m.messageId, times.get(m.messageId)! + 1);
  const values = [...times.values()];
  return { lost: values.filter((v) => v === 0).length, duplicates: values.reduce((sum, v) => sum + Math.max(0, v - 1), 0), delivered: values.filter((v) => v > 0).length };
}
