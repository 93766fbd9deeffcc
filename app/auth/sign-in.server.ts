// Signing in, after the password: the second factor when the account has one, its enrolment
// when the account must have one and has none, then the session. Between the password and the
// second factor there is no session at all — only a challenge (a short-lived cookie whose
// sha256 names a row) that the second-factor pages alone accept — so no other address can be
// reached half signed in.
import { createCookie, redirect, type AppLoadContext } from '@remix-run/node';
import { and, eq, gt, sql } from 'drizzle-orm';
import { createHash, randomBytes } from 'node:crypto';
import { signInChallenges, users } from '#db/schema';
import { db } from '../db.server';
import { isSecureOrigin } from '../env.server';
import { ensureDevice } from './device-cookie.server';
import { factorsOf, mfaRequired } from './mfa.server';
import { safeRedirect } from './redirect';
import { startSession } from './session.server';
import { trustContexts } from './throttle.server';

const CHALLENGE_MINUTES = 10;

let cookie: ReturnType<typeof createCookie> | undefined;
const challengeCookie = () =>
  (cookie ??= createCookie(isSecureOrigin() ? '__Host-delovod_signin' : 'delovod_signin', {
    httpOnly: true,
    secure: isSecureOrigin(),
    sameSite: 'lax',
    path: '/',
    maxAge: CHALLENGE_MINUTES * 60,
  }));

const idOf = (token: string) => createHash('sha256').update(token).digest('hex');

export type ChallengeKind = 'verify' | 'enrol';

export interface Challenge {
  id: string;
  userId: string;
  email: string;
  kind: ChallengeKind;
  redirectTo: string;
}

/** The challenge of this browser's sign-in in progress, if it is of `kind` and still open. */
export async function openChallenge(request: Request, kind: ChallengeKind): Promise<Challenge | null> {
  const token: unknown = await challengeCookie().parse(request.headers.get('cookie'));
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const [row] = await db()
    .select({ id: signInChallenges.id, userId: signInChallenges.userId, email: users.email, kind: signInChallenges.kind, redirectTo: signInChallenges.redirectTo, disabledAt: users.disabledAt })
    .from(signInChallenges)
    .innerJoin(users, eq(users.id, signInChallenges.userId))
    .where(and(eq(signInChallenges.id, idOf(token)), eq(signInChallenges.kind, kind), gt(signInChallenges.expiresAt, sql`now()`)));
  if (!row || row.disabledAt) return null;
  return { id: row.id, userId: row.userId, email: row.email, kind: row.kind, redirectTo: safeRedirect(row.redirectTo) };
}

async function startChallenge(userId: string, kind: ChallengeKind, redirectTo: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db()
    .insert(signInChallenges)
    .values({ id: idOf(token), userId, kind, redirectTo, expiresAt: sql`now() + make_interval(mins => ${CHALLENGE_MINUTES})` });
  // Old challenges of the account go; they are short-lived anyway.
  await db().delete(signInChallenges).where(sql`${signInChallenges.userId} = ${userId} and ${signInChallenges.expiresAt} < now()`);
  return challengeCookie().serialize(token);
}

/**
 * The password (or an invitation's) check has passed for `userId`: the answer that continues
 * the sign-in — to the second factor, to its enrolment, or signed in to `redirectTo`.
 */
export async function afterPassword(request: Request, context: AppLoadContext, userId: string, redirectTo: string): Promise<never> {
  const factors = await factorsOf(userId);
  if (factors.totp) {
    throw redirect('/login/verify', { headers: { 'Set-Cookie': await startChallenge(userId, 'verify', redirectTo) } });
  }
  if (await mfaRequired(userId)) {
    throw redirect('/login/enrol', { headers: { 'Set-Cookie': await startChallenge(userId, 'enrol', redirectTo) } });
  }
  throw redirect(redirectTo, { headers: await signedIn(request, context, userId, null) });
}

/**
 * Every factor has been checked: ends the challenge (if any), starts a new session, and trusts
 * this device and address for the account's throttling. The headers to send with the answer.
 */
export async function signedIn(request: Request, context: AppLoadContext, userId: string, challenge: Challenge | null): Promise<Headers> {
  if (challenge) await db().delete(signInChallenges).where(eq(signInChallenges.id, challenge.id));
  const session = await startSession(userId, { ip: context.ip, userAgent: context.userAgent });
  const { device, setCookie } = await ensureDevice(request);
  await trustContexts(userId, { ip: context.ip, device });
  context.log.info({ userId }, 'signed in');
  const headers = new Headers();
  headers.append('Set-Cookie', session);
  headers.append('Set-Cookie', setCookie);
  if (challenge) headers.append('Set-Cookie', await challengeCookie().serialize('', { maxAge: 0 }));
  return headers;
}

/** Ends every sign-in in progress of the account (a password reset, a factor removed). */
export async function endChallenges(userId: string): Promise<void> {
  await db().delete(signInChallenges).where(eq(signInChallenges.userId, userId));
}
