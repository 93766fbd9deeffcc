// Staff invitations: a link (single use, expiring, stored as sha256) with which a new member
// sets a password, or an existing account confirms, and lands in the tenant.
import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Database, Tx } from '#db/client';
import { appendAudit } from '#db/audit';
import { invitations, memberships, tenants, users } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { enqueue } from '#jobs/kinds';
import { LIVE_TOKENS, newTenantToken, tenantOfToken, tokenHash } from './tokens';

export const INVITATION_DAYS = 14;
const expiry = () => new Date(Date.now() + INVITATION_DAYS * 86_400_000);

/** Invitations for new memberships, each with its email requested from the outbox. */
export async function createInvitations(tx: Tx, tenantId: string, membershipIds: string[], invitedBy: string | null): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < membershipIds.length; i += 1000) {
    const rows = await tx
      .insert(invitations)
      .values(membershipIds.slice(i, i + 1000).map((membershipId) => ({ tenantId, membershipId, invitedBy, expiresAt: expiry() })))
      .onConflictDoUpdate({
        target: [invitations.tenantId, invitations.membershipId],
        set: { expiresAt: expiry(), acceptedAt: null, invitedBy, tokenHashes: sql`'{}'::text[]` },
      })
      .returning({ id: invitations.id });
    ids.push(...rows.map((r) => r.id));
  }
  await enqueue(
    tx,
    ids.map((invitationId) => ({ name: 'email.invitation' as const, payload: { tenantId, invitationId } })),
  );
  return ids;
}

/**
 * A new link for an open invitation: the email job calls it when it sends, and outside
 * production the admin sees one right after inviting. Each link extends the invitation's life;
 * the oldest links stop working.
 */
export async function issueInvitationToken(tx: Tx, tenantId: string, invitationId: string): Promise<string | null> {
  const token = newTenantToken(tenantId);
  const rows = await tx
    .update(invitations)
    .set({ tokenHashes: sql`(array[${tokenHash(token)}]::text[] || ${invitations.tokenHashes})[1:${LIVE_TOKENS}]`, expiresAt: expiry() })
    .where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, invitationId), isNull(invitations.acceptedAt)))
    .returning({ id: invitations.id });
  return rows.length ? token : null;
}

export interface OpenInvitation {
  tenantId: string;
  tenantSlug: string;
  tenant: { nameCyrl: string; nameLatn: string; nameEn: string };
  invitationId: string;
  userId: string;
  email: string;
  fullName: string;
  /** The account already has a password (from another organisation): it confirms instead. */
  hasPassword: boolean;
}

/** The open invitation a link stands for, or null (unknown, used, expired, or tenant suspended). */
export async function openInvitation(db: Database, token: string): Promise<OpenInvitation | null> {
  const tenantId = tenantOfToken(token);
  if (!tenantId) return null;
  const [tenant] = await db.select().from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant || tenant.status !== 'active') return null;
  return withTenantOn(db, { tenantId }, async (tx) => {
    const [row] = await tx
      .select({ invitationId: invitations.id, userId: memberships.userId, fullName: memberships.fullName, email: users.email, passwordHash: users.passwordHash })
      .from(invitations)
      .innerJoin(memberships, and(eq(memberships.tenantId, invitations.tenantId), eq(memberships.id, invitations.membershipId)))
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(invitations.tenantId, tenantId),
          sql`${invitations.tokenHashes} @> array[${tokenHash(token)}]::text[]`,
          isNull(invitations.acceptedAt),
          gt(invitations.expiresAt, new Date()),
          eq(memberships.active, true),
        ),
      );
    if (!row) return null;
    return {
      tenantId,
      tenantSlug: tenant.slug,
      tenant: { nameCyrl: tenant.nameCyrl, nameLatn: tenant.nameLatn, nameEn: tenant.nameEn },
      invitationId: row.invitationId,
      userId: row.userId,
      email: row.email,
      fullName: row.fullName,
      hasPassword: !!row.passwordHash,
    };
  });
}

/**
 * Accepts an invitation once: the first of two concurrent acceptances wins, the other gets
 * false. `passwordHash` is set only on an account that has none.
 */
export async function acceptInvitation(
  db: Database,
  invitation: OpenInvitation,
  token: string,
  passwordHash: string | null,
  meta: { ip: string | null; userAgent: string | null },
): Promise<boolean> {
  return withTenantOn(db, { tenantId: invitation.tenantId, userId: invitation.userId }, async (tx) => {
    const rows = await tx
      .update(invitations)
      .set({ acceptedAt: new Date(), tokenHashes: sql`'{}'::text[]` })
      .where(
        and(
          eq(invitations.tenantId, invitation.tenantId),
          eq(invitations.id, invitation.invitationId),
          sql`${invitations.tokenHashes} @> array[${tokenHash(token)}]::text[]`,
          isNull(invitations.acceptedAt),
          gt(invitations.expiresAt, new Date()),
        ),
      )
      .returning({ id: invitations.id });
    if (!rows.length) return false;
    if (passwordHash) await tx.update(users).set({ passwordHash }).where(and(eq(users.id, invitation.userId), isNull(users.passwordHash)));
    await appendAudit(tx, invitation.tenantId, {
      type: 'invitation.accepted',
      subjectType: 'invitation',
      subjectId: invitation.invitationId,
      actorUserId: invitation.userId,
      ip: meta.ip,
      userAgent: meta.userAgent,
      data: { userId: invitation.userId },
    });
    return true;
  });
}

/** Open invitations by membership, for the staff list. */
export async function invitationStates(tx: Tx, tenantId: string, membershipIds: string[]) {
  if (!membershipIds.length) return new Map<string, { id: string; acceptedAt: Date | null; expiresAt: Date }>();
  const rows = await tx
    .select({ id: invitations.id, membershipId: invitations.membershipId, acceptedAt: invitations.acceptedAt, expiresAt: invitations.expiresAt })
    .from(invitations)
    .where(and(eq(invitations.tenantId, tenantId), inArray(invitations.membershipId, membershipIds)));
  return new Map(rows.map((r) => [r.membershipId, r]));
}
