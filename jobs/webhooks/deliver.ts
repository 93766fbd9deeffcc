// One webhook delivery (ADR 014): read under the tenant's scope, sent signed by the Standard
// Webhooks specification to an address the guard accepts, its outcome recorded. A delivery waits
// while an earlier event of the same subject is still pending for the same subscription (events
// of one document arrive in order); a failure is tried again after a pause that doubles each
// time, through a new outbox row, up to MAX_ATTEMPTS. The HTTP call is made outside any
// transaction; a crash after it and before the record sends it again with the same webhook-id.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { and, eq, lt, sql } from 'drizzle-orm';
import { acceptableUrl, BlockedAddress, guardedLookup, refusedLiteral } from '#app/api/webhooks/address-guard.server';
import { requestWebhookDeliveries, WEBHOOK_DELIVERY_JOB } from '#app/api/webhooks/events.server';
import { signatureHeaders } from '#app/api/webhooks/signature.server';
import { env } from '#app/env.server';
import { webhookDeliveries, webhookEvents, webhookSubscriptions } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { defineJob } from '../job';

export const MAX_ATTEMPTS = 8;
const TIMEOUT_MS = 10_000;
/** While an earlier event is pending, look again after this long. */
const WAIT_FOR_EARLIER_MS = 1000;

interface Answer {
  status: number | null;
  error: string | null;
  /** The address guard refused the host: trying again would not help. */
  blocked?: boolean;
}

/** POSTs the body; resolves with the status or the reason it failed (never rejects). Redirects are not followed: a 3xx is a failed try. */
function post(url: URL, headers: Record<string, string>, body: string): Promise<Answer> {
  const literal = refusedLiteral(url);
  if (literal) return Promise.resolve({ status: null, error: literal.message, blocked: true });
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(
      url,
      {
        method: 'POST',
        lookup: guardedLookup,
        timeout: TIMEOUT_MS,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'Delovod-Webhooks/1' },
      },
      (res) => {
        // The answer's body is not needed: read and drop it so the socket is freed.
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? null, error: null }));
        res.on('error', (e) => resolve({ status: res.statusCode ?? null, error: e.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', (e) => resolve({ status: null, error: e.message.slice(0, 300), blocked: e instanceof BlockedAddress }));
    req.end(body);
  });
}

export const deliverWebhook = defineJob({
  name: WEBHOOK_DELIVERY_JOB,
  version: 1,
  handler: async ({ tenantId, deliveryId }, ctx) => {
    const scope = { tenantId };
    const found = await withTenantOn(ctx.db, scope, async (tx) => {
      const [row] = await tx
        .select({ delivery: webhookDeliveries, event: webhookEvents, url: webhookSubscriptions.url, secret: webhookSubscriptions.secret, active: webhookSubscriptions.active })
        .from(webhookDeliveries)
        .innerJoin(webhookEvents, and(eq(webhookEvents.tenantId, webhookDeliveries.tenantId), eq(webhookEvents.id, webhookDeliveries.eventId)))
        .innerJoin(webhookSubscriptions, and(eq(webhookSubscriptions.tenantId, webhookDeliveries.tenantId), eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId)))
        .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, deliveryId)));
      if (!row || row.delivery.status !== 'pending') return null;
      const [earlier] = await tx
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .where(
          and(
            eq(webhookDeliveries.tenantId, tenantId),
            eq(webhookDeliveries.subscriptionId, row.delivery.subscriptionId),
            eq(webhookDeliveries.subjectId, row.delivery.subjectId),
            eq(webhookDeliveries.status, 'pending'),
            lt(webhookDeliveries.eventSeq, row.delivery.eventSeq),
          ),
        )
        .limit(1);
      if (earlier) {
        await requestWebhookDeliveries(tx, tenantId, [deliveryId], new Date(ctx.now().getTime() + WAIT_FOR_EARLIER_MS));
        return null;
      }
      return row;
    });
    if (!found) return;
    const url = found.active ? acceptableUrl(found.url) : null;
    const body = JSON.stringify({ type: found.event.type, timestamp: found.event.occurredAt.toISOString(), data: found.event.data });
    const answer: Answer = url ? await post(url, signatureHeaders(found.secret, deliveryId, ctx.now(), body), body) : { status: null, error: 'subscription removed or its address refused' };
    const delivered = answer.status !== null && answer.status >= 200 && answer.status < 300;
    const attempts = found.delivery.attempts + 1;
    const final = delivered || !url || answer.blocked || attempts >= MAX_ATTEMPTS;
    await withTenantOn(ctx.db, scope, async (tx) => {
      await tx
        .update(webhookDeliveries)
        .set({
          status: delivered ? 'delivered' : final ? 'failed' : 'pending',
          attempts: sql`${webhookDeliveries.attempts} + 1`,
          lastAttemptAt: ctx.now(),
          lastStatus: answer.status,
          lastError: delivered ? null : (answer.error ?? `HTTP ${answer.status}`),
          deliveredAt: delivered ? ctx.now() : null,
        })
        .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, deliveryId)));
      if (!final) await requestWebhookDeliveries(tx, tenantId, [deliveryId], new Date(ctx.now().getTime() + env().WEBHOOK_RETRY_SECONDS * 1000 * 2 ** (attempts - 1)));
    });
    ctx.log.info({ tenantId, deliveryId, status: answer.status, attempts, delivered }, 'webhook delivery');
  },
});
