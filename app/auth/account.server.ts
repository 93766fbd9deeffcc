// An account's password: the words it must not be built on, setting a new one (which ends
// every session and sign-in in progress), and reset by email.
import { and, eq, gt, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { createHash, randomBytes } from 'node:crypto';
import type { Tx } from '#db/client';
import { memberships, passwordResets, sessions, signInChallenges, tenants, users } from '#db/schema';
import { enqueue } from '#jobs/kinds';
import { db, withTenant } from '../db.server';
import { userTenants } from './directory.server';
import { startSession } from './session.server';

type SessionMeta = { ip: string | null; userAgent: string | null };

/** How long a reset link works. */
export const RESET_MINUTES = 30;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * What a user's new password must not be built on: their email, their names as their
 * organisations know them, and those organisations' names.
 */
export async function passwordContextOf(userId: string, email: string): Promise<string[]> {
  const memberOf = await userTenants(userId);
  const names = await Promise.all(
    memberOf.map((t) =>
      withTenant(
        t.tenantId,
        (tx) => tx.select({ name: memberships.fullName }).from(memberships).where(and(eq(memberships.tenantId, t.tenantId), eq(memberships.userId, userId))),
        { userId, readOnly: true },
      ),
    ),
  );
  return [email, ...names.flat().map((r) => r.name), ...memberOf.flatMap((t) => [t.nameCyrl, t.nameLatn, t.nameEn])];
}

/**
 * Sets a new password and, in the same transaction, ends every session of the account, every
 * sign-in in progress and every reset link still open. The caller starts a new session where
 * the person is to stay signed in.
 */
export async function setPassword(tx: Tx, userId: string, passwordHash: string): Promise<void> {
  await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
  await tx.delete(sessions).where(eq(sessions.userId, userId));
  await tx.delete(signInChallenges).where(eq(signInChallenges.userId, userId));
  await tx
    .update(passwordResets)
    .set({ usedAt: sql`now()` })
    .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)));
}

/**
 * Sets a new password from the account page: every session ends, and this browser goes on in
 * a new one (rotation). Its Set-Cookie.
 */
export async function changePassword(userId: string, passwordHash: string, meta: SessionMeta): Promise<string> {
  await db().transaction((tx) => setPassword(tx, userId, passwordHash));
  return startSession(userId, meta);
}

/** After a change to the second factor: every other session ends, this one is rotated. Its Set-Cookie. */
export async function restartSessions(userId: string, meta: SessionMeta): Promise<string> {
  await db().delete(sessions).where(eq(sessions.userId, userId));
  return startSession(userId, meta);
}

/**
 * Asks for a reset email for `email`. Whether or not an account uses the address, the same
 * statements run (a request row, its outbox row); the email job sends only to an account.
 * Account emails belong to no organisation: they go out as the national office's, as signup
 * emails do.
 */
export async function requestPasswordReset(email: string): Promise<void> {
  const [national] = await db().select({ id: tenants.id }).from(tenants).where(eq(tenants.kind, 'national'));
  if (!national) throw new Error('no national office tenant');
  await withTenant(national.id, async (tx) => {
    const [user] = await tx.select({ id: users.id, disabledAt: users.disabledAt }).from(users).where(eq(users.email, email.trim().toLowerCase()));
    const [reset] = await tx
      .insert(passwordResets)
      .values({ userId: user && !user.disabledAt ? user.id : null, expiresAt: sql`now() + make_interval(mins => ${RESET_MINUTES})` })
      .returning({ id: passwordResets.id });
    await enqueue(tx, { name: 'email.passwordReset', payload: { tenantId: national.id, resetId: reset.id } });
    // Requests a day past their expiry are of no more use.
    await tx.delete(passwordResets).where(lt(passwordResets.expiresAt, sql`now() - interval '1 day'`));
  });
}

/**
 * The link of a reset request, minted when its email is sent (a resend mints a new one, and the
 * earlier link stops working); only its sha256 is kept. Null when there is nothing to send: no
 * account, or the request is used or expired.
 */
export async function issueResetToken(tx: Tx, resetId: string): Promise<{ token: string; userId: string } | null> {
  const token = randomBytes(32).toString('base64url');
  const [row] = await tx
    .update(passwordResets)
    .set({ tokenHash: sha256(token) })
    .where(and(eq(passwordResets.id, resetId), isNotNull(passwordResets.userId), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, sql`now()`)))
    .returning({ userId: passwordResets.userId });
  return row?.userId ? { token, userId: row.userId } : null;
}

const openReset = and(isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, sql`now()`), isNull(users.disabledAt));

/** The account a reset link is for, while the link works. */
export async function resetAccount(token: string): Promise<{ userId: string; email: string } | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const [row] = await db()
    .select({ userId: users.id, email: users.email })
    .from(passwordResets)
    .innerJoin(users, eq(users.id, passwordResets.userId))
    .where(and(eq(passwordResets.tokenHash, sha256(token)), openReset));
  return row ?? null;
}

/**
 * Spends a reset link and sets the password, in one transaction: of two uses of one link, one
 * sets the password and the other finds it spent. The account, or null.
 */
export async function completeReset(token: string, passwordHash: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  return db().transaction(async (tx) => {
    const [row] = await tx
      .update(passwordResets)
      .set({ usedAt: sql`now()` })
      .where(and(eq(passwordResets.tokenHash, sha256(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, sql`now()`)))
      .returning({ userId: passwordResets.userId });
    if (!row?.userId) return null;
    const [user] = await tx.select({ disabledAt: users.disabledAt }).from(users).where(eq(users.id, row.userId));
    if (!user || user.disabledAt) return null;
    await setPassword(tx, row.userId, passwordHash);
    return row.userId;
  });
}
