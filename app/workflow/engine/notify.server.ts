// In-app notifications, each with the outbox row that will email it (DESIGN §6): written in
// the caller's transaction, so a notification exists exactly when its cause does.
import { randomUUID } from 'node:crypto';
import type { Tx } from '#db/client';
import { notifications } from '#db/schema';
import { enqueue } from '#jobs/kinds';

export type NotificationKind =
  | 'step.assigned'
  | 'document.returned'
  | 'document.approved'
  | 'document.rejected'
  | 'document.registered'
  | 'step.actedOnYourBehalf'
  | 'document.opinion';

export async function notify(
  tx: Tx,
  tenantId: string,
  recipients: Iterable<string>,
  kind: NotificationKind,
  documentId: string,
  data: Record<string, string | number | null> = {},
): Promise<void> {
  const rows = [...new Set(recipients)].map((recipientId) => ({ tenantId, id: randomUUID(), recipientId, kind, documentId, data }));
  if (!rows.length) return;
  // One round trip: the statements run in order on the transaction's connection.
  await Promise.all([
    tx.insert(notifications).values(rows),
    enqueue(tx, rows.map((n) => ({ name: 'email.notification' as const, payload: { tenantId, notificationId: n.id } }))),
  ]);
}
