// The tenant administrator's webhook subscriptions (ADR 014): an address, the events it wants,
// and its signing secret (shown once). Removing one stops its deliveries and keeps its log.
import { and, asc, eq } from 'drizzle-orm';
import * as z from 'zod';
import { appendAudit } from '#db/audit';
import type { Tx } from '#db/client';
import { webhookEventTypes, webhookSubscriptions } from '#db/schema';
import { rowAction, text, textOf, texts, textsOf, type FormFields } from '../../framework/form-fields';
import type { AdminActor } from '../clients.server';
import { acceptableUrl, checkHost } from './address-guard.server';
import { newWebhookSecret } from './signature.server';

/** The new subscription's form, its fields as sent (`parseFields`). */
export const subscriptionFormSchema = z.object({
  url: text(
    z
      .string()
      .trim()
      .refine((s) => acceptableUrl(s) !== null, 'api.webhooks.errors.url'),
  ),
  events: texts(z.array(z.enum(webhookEventTypes, 'api.webhooks.errors.events')).min(1, 'api.webhooks.errors.events')),
});
export type SubscriptionForm = z.infer<typeof subscriptionFormSchema>;

/** The page's forms: a subscription removed or a delivery sent again (a row's button), or a new subscription. */
export const subscriptionForm = z.discriminatedUnion('intent', [rowAction('remove'), rowAction('redeliver'), subscriptionFormSchema.extend({ intent: z.literal('create') })]);

/** The form's fields as typed, to show them again beside their messages. */
export const subscriptionFormValues = (fields: FormFields) => ({ url: textOf(fields.url), events: textsOf(fields.events) });

/** The error key if the URL's host resolves to an address webhooks do not call (or does not resolve). */
export async function addressProblem(url: string): Promise<string | null> {
  try {
    await checkHost(new URL(url));
    return null;
  } catch {
    return 'api.webhooks.errors.privateUrl';
  }
}

export function activeSubscriptions(tx: Tx, tenantId: string) {
  return tx
    .select({ id: webhookSubscriptions.id, url: webhookSubscriptions.url, events: webhookSubscriptions.events, createdAt: webhookSubscriptions.createdAt })
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.tenantId, tenantId), eq(webhookSubscriptions.active, true)))
    .orderBy(asc(webhookSubscriptions.createdAt));
}

export async function addSubscription(tx: Tx, actor: AdminActor, input: SubscriptionForm): Promise<{ id: string; secret: string }> {
  const secret = newWebhookSecret();
  const [row] = await tx
    .insert(webhookSubscriptions)
    .values({ tenantId: actor.tenantId, url: input.url, events: [...new Set(input.events)], secret, createdById: actor.membershipId })
    .returning({ id: webhookSubscriptions.id });
  await appendAudit(tx, actor.tenantId, { type: 'webhook.subscribed', subjectType: 'webhookSubscription', subjectId: row.id, actorUserId: actor.userId, ip: actor.ip, userAgent: actor.userAgent, data: { url: input.url, events: input.events } });
  return { id: row.id, secret };
}

export async function removeSubscription(tx: Tx, actor: AdminActor, id: string): Promise<boolean> {
  const [row] = await tx
    .update(webhookSubscriptions)
    .set({ active: false })
    .where(and(eq(webhookSubscriptions.tenantId, actor.tenantId), eq(webhookSubscriptions.id, id), eq(webhookSubscriptions.active, true)))
    .returning({ id: webhookSubscriptions.id, url: webhookSubscriptions.url });
  if (!row) return false;
  await appendAudit(tx, actor.tenantId, { type: 'webhook.unsubscribed', subjectType: 'webhookSubscription', subjectId: row.id, actorUserId: actor.userId, ip: actor.ip, userAgent: actor.userAgent, data: { url: row.url } });
  return true;
}
