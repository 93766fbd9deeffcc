// The tenant administrator's side of API clients (ADR 014): list, create (the token shown once),
// revoke. Each change is audited in the tenant's chain in its own transaction.
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import * as z from 'zod';
import { appendAudit } from '#db/audit';
import type { Tx } from '#db/client';
import { apiClients, apiScopes, memberships } from '#db/schema';
import { rowAction, text, textOf, texts, textsOf, type FormFields } from '../framework/form-fields';
import { createApiClient } from './credentials.server';

export interface AdminActor {
  tenantId: string;
  userId: string;
  membershipId: string;
  ip: string | null;
  userAgent: string | null;
}

/** The new client's form, its fields as sent (`parseFields`): each message is said beside its field. */
export const clientFormSchema = z.object({
  name: text(z.string().trim().min(1, 'api.clients.errors.name').max(100, 'api.clients.errors.name')),
  scopes: texts(z.array(z.enum(apiScopes, 'api.clients.errors.scopes')).min(1, 'api.clients.errors.scopes')),
  membershipId: text(z.uuid('api.clients.errors.actsAs')),
  expiresOn: text(
    z
      .string()
      .trim()
      .refine((s) => s === '' || (/^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s)), 'api.clients.errors.expiresOn')
      .refine((s) => s === '' || Date.parse(`${s}T23:59:59Z`) > Date.now(), 'api.clients.errors.expiresOn'),
  ),
  rateLimitPerMinute: text(z.coerce.number('api.clients.errors.rateLimit').int('api.clients.errors.rateLimit').min(1, 'api.clients.errors.rateLimit').max(10_000, 'api.clients.errors.rateLimit')),
});
export type ClientForm = z.infer<typeof clientFormSchema>;

/** The page's forms: a client revoked (a row's button), or a new one. */
export const clientForm = z.discriminatedUnion('intent', [rowAction('revoke'), clientFormSchema.extend({ intent: z.literal('create') })]);

/** The form's fields as typed, to show them again beside their messages. */
export function clientFormValues(fields: FormFields) {
  return {
    name: textOf(fields.name),
    scopes: textsOf(fields.scopes),
    membershipId: textOf(fields.membershipId),
    expiresOn: textOf(fields.expiresOn),
    rateLimitPerMinute: textOf(fields.rateLimitPerMinute),
  };
}

export async function listApiClients(tx: Tx, tenantId: string) {
  return tx
    .select({
      id: apiClients.id,
      name: apiClients.name,
      scopes: apiClients.scopes,
      actsAs: memberships.fullName,
      expiresAt: apiClients.expiresAt,
      revokedAt: apiClients.revokedAt,
      lastUsedAt: apiClients.lastUsedAt,
      rateLimitPerMinute: apiClients.rateLimitPerMinute,
      createdAt: apiClients.createdAt,
    })
    .from(apiClients)
    .innerJoin(memberships, and(eq(memberships.tenantId, apiClients.tenantId), eq(memberships.id, apiClients.membershipId)))
    .where(eq(apiClients.tenantId, tenantId))
    .orderBy(desc(apiClients.createdAt));
}

export function activeMembers(tx: Tx, tenantId: string) {
  return tx
    .select({ id: memberships.id, fullName: memberships.fullName })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.active, true)))
    .orderBy(asc(memberships.fullName));
}

/** Creates a client; null if the member it would act as is not an active member of the tenant. */
export async function addApiClient(tx: Tx, actor: AdminActor, input: ClientForm): Promise<{ id: string; token: string } | null> {
  const [member] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.tenantId, actor.tenantId), eq(memberships.id, input.membershipId), eq(memberships.active, true)));
  if (!member) return null;
  const expiresAt = input.expiresOn ? new Date(Date.parse(`${input.expiresOn}T00:00:00Z`) + 86_400_000) : null;
  const created = await createApiClient(tx, {
    tenantId: actor.tenantId,
    name: input.name,
    scopes: [...new Set(input.scopes)],
    membershipId: input.membershipId,
    expiresAt,
    rateLimitPerMinute: input.rateLimitPerMinute,
    createdById: actor.membershipId,
  });
  await appendAudit(tx, actor.tenantId, {
    type: 'apiClient.created',
    subjectType: 'apiClient',
    subjectId: created.id,
    actorUserId: actor.userId,
    ip: actor.ip,
    userAgent: actor.userAgent,
    data: { name: input.name, scopes: input.scopes, actingMembershipId: input.membershipId, expiresAt: expiresAt?.toISOString() ?? null, rateLimitPerMinute: input.rateLimitPerMinute },
  });
  return created;
}

/** Revokes a client at once; false if there is no such unrevoked client. */
export async function revokeApiClient(tx: Tx, actor: AdminActor, clientId: string): Promise<boolean> {
  const [row] = await tx
    .update(apiClients)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiClients.tenantId, actor.tenantId), eq(apiClients.id, clientId), isNull(apiClients.revokedAt)))
    .returning({ id: apiClients.id, name: apiClients.name });
  if (!row) return false;
  await appendAudit(tx, actor.tenantId, { type: 'apiClient.revoked', subjectType: 'apiClient', subjectId: row.id, actorUserId: actor.userId, ip: actor.ip, userAgent: actor.userAgent, data: { name: row.name } });
  return true;
}
