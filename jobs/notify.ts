// The jobs' own in-app notifications (reminders, escalations, reports, upgrades), each with the
// outbox row that emails it — the same contract as the document engine's notify().
import { randomUUID } from 'node:crypto';
import type { Tx } from '#db/client';
import { notifications } from '#db/schema';
import { enqueue } from './kinds';

export type JobNotificationKind = 'step.reminder' | 'step.escalated' | 'report.ready' | 'adoption.upgraded' | 'adoption.upgradeBlocked';

export async function notifyFromJob(
  tx: Tx,
  tenantId: string,
  recipients: Iterable<string>,
  kind: JobNotificationKind,
  documentId: string | null,
  data: Record<string, string | number | null> = {},
): Promise<number> {
  const rows = [...new Set(recipients)].map((recipientId) => ({ tenantId, id: randomUUID(), recipientId, kind, documentId, data }));
  if (!rows.length) return 0;
  await tx.insert(notifications).values(rows);
  await enqueue(tx, rows.map((n) => ({ name: 'email.notification' as const, payload: { tenantId, notificationId: n.id } })));
  return rows.length;
}
