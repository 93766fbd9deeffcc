// Webhook events and their deliveries (ADR 014). An event is written in the transaction of the
// change it reports, with one delivery per subscription that wants it and the outbox rows that
// ask for them: the change, its event and its deliveries commit or roll back together. A tenant
// without subscriptions pays one statement, pipelined with the change, that writes nothing.
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { awaitAtCommit } from '#db/audit';
import type { Tx } from '#db/client';
import { sendNow } from '#db/tenant';
import { enqueue, enqueueEach } from '#jobs/kinds';
import { webhookDeliveries, webhookEvents, webhookSubscriptions, type WebhookEventType } from '#db/schema';

export const WEBHOOK_DELIVERY_JOB = 'webhooks.deliver' as const;

/** Deliveries made by the same statement: its data-modifying CTEs, and the select of their ids. */
export interface NewDeliveries {
  with: SQL;
  ids: SQL;
}

/**
 * The one place that writes the outbox rows of webhook deliveries: one row per delivery, named
 * by id (a retry's pause or a wait for an earlier event: not before `availableAt`), or by a query
 * of the deliveries' ids whose rows are written by the same statement (a new event's).
 */
export function requestWebhookDeliveries(tx: Tx, tenantId: string, deliveries: string[] | NewDeliveries, availableAt?: Date): Promise<unknown> {
  if (Array.isArray(deliveries)) {
    if (!deliveries.length) return Promise.resolve();
    return enqueue(tx, deliveries.map((deliveryId) => ({ name: WEBHOOK_DELIVERY_JOB, payload: { tenantId, deliveryId }, ...(availableAt ? { availableAt } : {}) })));
  }
  return tx.execute(sql`
    with ${deliveries.with}, d as (${deliveries.ids})
    ${enqueueEach(WEBHOOK_DELIVERY_JOB, tenantId, 'deliveryId')}`);
}

/**
 * A new event with one delivery per subscription that wants it and their outbox rows, in one
 * statement (nothing written when no subscription wants it). Sent now and awaited at COMMIT
 * (awaitAtCommit), so a transition pays no round trip for it; being sent after the change's own
 * statements, it reads the subject as changed (its state, its registry number).
 */
function deliverEvent(tx: Tx, tenantId: string, type: WebhookEventType, eventSelect: SQL): Promise<unknown> {
  const made = sql`
    subs as (
      select id from webhook_subscriptions where tenant_id = ${tenantId} and active and ${type} = any(events)
    ), ev as (
      insert into webhook_events (tenant_id, type, subject_id, data)
      select * from (${eventSelect}) e where exists (select 1 from subs)
      returning tenant_id, id, seq, subject_id
    ), delivered as (
      insert into webhook_deliveries (tenant_id, event_id, subscription_id, subject_id, event_seq)
      select ev.tenant_id, ev.id, subs.id, ev.subject_id, ev.seq from ev cross join subs
      returning id
    )`;
  return awaitAtCommit(tx, sendNow(requestWebhookDeliveries(tx, tenantId, { with: made, ids: sql`select id from delivered` })));
}

/**
 * A document event, with the document as the transaction sees it when this statement runs (its
 * state, its registry number): the engine calls it after the change's own statements are sent.
 */
export function emitDocumentEvent(tx: Tx, tenantId: string, type: Exclude<WebhookEventType, 'report.ready'>, documentId: string): Promise<unknown> {
  return deliverEvent(
    tx,
    tenantId,
    type,
    sql`select d.tenant_id, ${type}::text, d.id, jsonb_build_object('documentId', d.id, 'template', t.key, 'state', d.state, 'registryNumber', d.registry_number,
        'links', jsonb_build_object('document', '/api/v1/documents/' || d.id))
      from documents d join templates t on t.id = d.template_id where d.tenant_id = ${tenantId} and d.id = ${documentId}`,
  );
}

/** A monthly report finished. */
export function emitReportReady(tx: Tx, tenantId: string, reportId: string): Promise<unknown> {
  return deliverEvent(
    tx,
    tenantId,
    'report.ready',
    sql`select r.tenant_id, 'report.ready'::text, r.id, jsonb_build_object('reportId', r.id, 'period', r.period,
        'links', jsonb_build_object('report', '/api/v1/reports/' || r.id))
      from reports r where r.tenant_id = ${tenantId} and r.id = ${reportId}`,
  );
}

/** The newest deliveries, for the administration's log. */
export function recentDeliveries(tx: Tx, tenantId: string, limit = 50) {
  return tx
    .select({
      id: webhookDeliveries.id,
      type: webhookEvents.type,
      subjectId: webhookEvents.subjectId,
      url: webhookSubscriptions.url,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      lastStatus: webhookDeliveries.lastStatus,
      lastError: webhookDeliveries.lastError,
      createdAt: webhookDeliveries.createdAt,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, and(eq(webhookEvents.tenantId, webhookDeliveries.tenantId), eq(webhookEvents.id, webhookDeliveries.eventId)))
    .innerJoin(webhookSubscriptions, and(eq(webhookSubscriptions.tenantId, webhookDeliveries.tenantId), eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId)))
    .where(eq(webhookDeliveries.tenantId, tenantId))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookEvents.seq))
    .limit(limit);
}

/** Delivers a delivery again (same webhook-id, so the receiver can tell a repeat); false if there is no such delivery. */
export async function redeliver(tx: Tx, tenantId: string, deliveryId: string): Promise<boolean> {
  const [row] = await tx
    .update(webhookDeliveries)
    .set({ status: 'pending' })
    .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, deliveryId)))
    .returning({ id: webhookDeliveries.id });
  if (!row) return false;
  await requestWebhookDeliveries(tx, tenantId, [row.id]);
  return true;
}
