// Passkeys (WebAuthn, through @simplewebauthn/server) as a second kind of second factor, beside
// TOTP: a person who has TOTP may add passkeys and then confirm a sign-in with either. The
// relying party is this site (PUBLIC_URL's host and origin). Each ceremony's challenge is kept
// for five minutes, per user and purpose, and taken by the one response that answers it; each
// credential's signature counter is stored, and a response whose counter does not move forward
// (a cloned authenticator) is refused by the library's check.
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { passkeyChallenges, userPasskeys } from '#db/schema';
import { db } from '../db.server';
import { env } from '../env.server';

const CHALLENGE_MINUTES = 5;
/** At most this many passkeys per person. */
export const MAX_PASSKEYS = 10;

type Purpose = 'register' | 'authenticate';

const relyingParty = () => {
  const url = new URL(env().PUBLIC_URL);
  return { rpID: url.hostname, origin: url.origin };
};

async function keepChallenge(userId: string, purpose: Purpose, challenge: string): Promise<void> {
  const expiresAt = sql`now() + make_interval(mins => ${CHALLENGE_MINUTES})`;
  await db()
    .insert(passkeyChallenges)
    .values({ userId, purpose, challenge, expiresAt })
    .onConflictDoUpdate({ target: [passkeyChallenges.userId, passkeyChallenges.purpose], set: { challenge, expiresAt } });
}

/** The open challenge of the ceremony, taken: no second response can answer it. */
async function takeChallenge(userId: string, purpose: Purpose): Promise<string | null> {
  const [row] = await db()
    .delete(passkeyChallenges)
    .where(and(eq(passkeyChallenges.userId, userId), eq(passkeyChallenges.purpose, purpose), gt(passkeyChallenges.expiresAt, sql`now()`)))
    .returning({ challenge: passkeyChallenges.challenge });
  return row?.challenge ?? null;
}

export interface Passkey {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export function passkeysOf(userId: string): Promise<Passkey[]> {
  return db()
    .select({ id: userPasskeys.id, name: userPasskeys.name, createdAt: userPasskeys.createdAt, lastUsedAt: userPasskeys.lastUsedAt })
    .from(userPasskeys)
    .where(eq(userPasskeys.userId, userId))
    .orderBy(asc(userPasskeys.createdAt));
}

const credentialsOf = (userId: string) =>
  db().select({ id: userPasskeys.id, transports: userPasskeys.transports }).from(userPasskeys).where(eq(userPasskeys.userId, userId));

/** What the browser needs to create a passkey for this person (their existing ones excluded). */
export async function registrationOptions(userId: string, email: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await credentialsOf(userId);
  const options = await generateRegistrationOptions({
    rpName: 'Delovod',
    rpID: relyingParty().rpID,
    userName: email,
    userID: new TextEncoder().encode(userId),
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.id, transports: c.transports as AuthenticatorTransportFuture[] })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  await keepChallenge(userId, 'register', options.challenge);
  return options;
}

/** Checks a new passkey against the open challenge and keeps it. False when it does not verify. */
export async function addPasskey(userId: string, response: RegistrationResponseJSON, name: string): Promise<boolean> {
  const expectedChallenge = await takeChallenge(userId, 'register');
  if (!expectedChallenge) return false;
  const { rpID, origin } = relyingParty();
  const verified = await verifyRegistrationResponse({ response, expectedChallenge, expectedOrigin: origin, expectedRPID: rpID, requireUserVerification: false }).catch(() => null);
  if (!verified?.verified) return false;
  const { credential } = verified.registrationInfo;
  const added = await db()
    .insert(userPasskeys)
    .values({
      id: credential.id,
      userId,
      publicKey: Buffer.from(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports ?? [],
      name,
    })
    .onConflictDoNothing()
    .returning({ id: userPasskeys.id });
  return added.length > 0;
}

/** What the browser needs to sign in with one of this person's passkeys; null when they have none. */
export async function authenticationOptions(userId: string): Promise<PublicKeyCredentialRequestOptionsJSON | null> {
  const existing = await credentialsOf(userId);
  if (!existing.length) return null;
  const options = await generateAuthenticationOptions({
    rpID: relyingParty().rpID,
    allowCredentials: existing.map((c) => ({ id: c.id, transports: c.transports as AuthenticatorTransportFuture[] })),
    userVerification: 'preferred',
  });
  await keepChallenge(userId, 'authenticate', options.challenge);
  return options;
}

/**
 * Checks a passkey's answer to the open challenge: one of this person's passkeys signed it, and
 * its counter moved forward (stored again, in the statement that also refuses a counter that did
 * not, so of two answers racing only one passes).
 */
export async function verifyPasskey(userId: string, response: AuthenticationResponseJSON): Promise<boolean> {
  const expectedChallenge = await takeChallenge(userId, 'authenticate');
  if (!expectedChallenge) return false;
  const [stored] = await db()
    .select()
    .from(userPasskeys)
    .where(and(eq(userPasskeys.userId, userId), eq(userPasskeys.id, response.id)));
  if (!stored) return false;
  const { rpID, origin } = relyingParty();
  const verified = await verifyAuthenticationResponse({
    response,
    expectedChallenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    credential: { id: stored.id, publicKey: new Uint8Array(stored.publicKey), counter: stored.counter, transports: stored.transports as AuthenticatorTransportFuture[] },
    requireUserVerification: false,
  }).catch(() => null);
  if (!verified?.verified) return false;
  const newCounter = verified.authenticationInfo.newCounter;
  const updated = await db()
    .update(userPasskeys)
    .set({ counter: newCounter, lastUsedAt: sql`now()` })
    .where(and(eq(userPasskeys.id, stored.id), sql`(${userPasskeys.counter} < ${newCounter} or ${newCounter} = 0)`))
    .returning({ id: userPasskeys.id });
  return updated.length > 0;
}

/** Removes one of this person's passkeys. */
export async function removePasskey(userId: string, id: string): Promise<boolean> {
  const rows = await db()
    .delete(userPasskeys)
    .where(and(eq(userPasskeys.userId, userId), eq(userPasskeys.id, id)))
    .returning({ id: userPasskeys.id });
  return rows.length > 0;
}
