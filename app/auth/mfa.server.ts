// The second factor: TOTP (RFC 6238 through `otpauth`: SHA-1, 6 digits, 30 s, one step either
// side for clock drift) and single-use recovery codes. Each TOTP code is good once: the newest
// time step accepted is kept, and a code of that step or an earlier one is refused (ASVS 6.5.1).
import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { createHash, randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { rowsOf } from '#db/rows';
import { passkeyChallenges, tenants, userPasskeys, userRecoveryCodes, userTotp } from '#db/schema';
import { db } from '../db.server';
import { userTenants } from './directory.server';
import { env, isSecureOrigin } from '../env.server';

const ISSUER = 'Delovod';
const PERIOD = 30;
export const RECOVERY_CODES = 10;
// 24 symbols of Crockford's base32: 120 bits, enough for a plain sha256 (ASVS 6.5.2).
const RECOVERY_LENGTH = 24;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
// A secret shown for enrolment but never confirmed is replaced after this long.
const PENDING_MINUTES = 30;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const totpOf = (secret: string, email: string) =>
  new TOTP({ issuer: ISSUER, label: email, secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: PERIOD });

/** What a user has enrolled. */
export interface Factors {
  totp: boolean;
  recoveryLeft: number;
}

export async function factorsOf(userId: string): Promise<Factors> {
  const [row] = rowsOf<{ totp: boolean; recovery_left: number }>(
    await db().execute(sql`
      select exists (select 1 from ${userTotp} where ${userTotp.userId} = ${userId} and ${userTotp.confirmedAt} is not null) as totp,
        (select count(*)::int from ${userRecoveryCodes} where ${userRecoveryCodes.userId} = ${userId} and ${userRecoveryCodes.usedAt} is null) as recovery_left`),
  );
  return { totp: row.totp, recoveryLeft: row.recovery_left };
}

/**
 * Whether the user must use a second factor: national-office staff and tenant administrators
 * (unless the deployment made it optional for them, on a plain-http origin only), and every
 * member of a tenant that requires it.
 */
export async function mfaRequired(userId: string): Promise<boolean> {
  const memberOf = (await userTenants(userId)).filter((t) => t.status === 'active');
  if (!memberOf.length) return false;
  const staffRule = env().MFA_FOR_STAFF === 'required' || isSecureOrigin();
  if (staffRule && memberOf.some((t) => t.kind === 'national' || t.roles.includes('tenant_admin'))) return true;
  const [row] = await db()
    .select({ n: sql<number>`count(*)::int` })
    .from(tenants)
    .where(and(sql`${tenants.id} = any(${sql.param(memberOf.map((t) => t.tenantId))}::uuid[])`, eq(tenants.requireMfa, true)));
  return row.n > 0;
}

export interface Enrolment {
  secret: string;
  /** The otpauth:// address an authenticator app reads from the QR code. */
  uri: string;
  /** The QR code as an SVG document, drawn on the server so the page needs no JavaScript. */
  qrSvg: string;
}

/**
 * The secret to enrol, kept unconfirmed until a code from it is entered: the one shown a moment
 * ago while it is fresh (a reload shows the same QR code), otherwise a new one (160 bits from
 * the CSPRNG). Null when TOTP is already enrolled.
 */
export async function pendingEnrolment(userId: string, email: string): Promise<Enrolment | null> {
  const fresh = new Secret({ size: 20 }).base32;
  const rows = await db()
    .insert(userTotp)
    .values({ userId, secret: fresh })
    .onConflictDoUpdate({
      target: userTotp.userId,
      set: { secret: fresh, createdAt: sql`now()`, lastStep: null },
      setWhere: sql`${userTotp.confirmedAt} is null and ${userTotp.createdAt} < now() - make_interval(mins => ${PENDING_MINUTES})`,
    })
    .returning({ secret: userTotp.secret });
  const [row] = rows.length
    ? rows
    : await db()
        .select({ secret: userTotp.secret })
        .from(userTotp)
        .where(and(eq(userTotp.userId, userId), isNull(userTotp.confirmedAt)));
  if (!row) return null;
  const uri = totpOf(row.secret, email).toString();
  // qrcode loads on the first set-up of a second factor, not with every web process.
  const { default: QRCode } = await import('qrcode');
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret: row.secret, uri, qrSvg };
}

const sixDigits = (code: string) => code.replace(/\s+/g, '');

/** The time step a code belongs to, if it is valid now for the secret (one step either side). */
function stepOf(secret: string, email: string, code: string, now = Date.now()): number | null {
  const token = sixDigits(code);
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totpOf(secret, email).validate({ token, timestamp: now, window: 1 });
  return delta === null ? null : TOTP.counter({ period: PERIOD, timestamp: now }) + delta;
}

/**
 * Confirms the pending secret with a code from it; the code's step is then spent. False when
 * the code is wrong or there is nothing pending.
 */
export async function confirmEnrolment(userId: string, email: string, code: string): Promise<boolean> {
  const [pending] = await db()
    .select({ secret: userTotp.secret })
    .from(userTotp)
    .where(and(eq(userTotp.userId, userId), isNull(userTotp.confirmedAt)));
  const step = pending && stepOf(pending.secret, email, code);
  if (step === null || step === undefined) return false;
  const rows = await db()
    .update(userTotp)
    .set({ confirmedAt: sql`now()`, lastStep: step })
    .where(and(eq(userTotp.userId, userId), eq(userTotp.secret, pending.secret), isNull(userTotp.confirmedAt)))
    .returning({ userId: userTotp.userId });
  return rows.length > 0;
}

/** Checks a TOTP code of an enrolled user; a code is accepted once. */
export async function verifyTotp(userId: string, email: string, code: string): Promise<boolean> {
  const [row] = await db()
    .select({ secret: userTotp.secret })
    .from(userTotp)
    .where(and(eq(userTotp.userId, userId), isNotNull(userTotp.confirmedAt)));
  const step = row && stepOf(row.secret, email, code);
  if (step === null || step === undefined) return false;
  // Check and spend in one statement: of two requests with the same code, one wins.
  const spent = await db()
    .update(userTotp)
    .set({ lastStep: step })
    .where(and(eq(userTotp.userId, userId), isNotNull(userTotp.confirmedAt), sql`coalesce(${userTotp.lastStep}, -1) < ${step}`))
    .returning({ userId: userTotp.userId });
  return spent.length > 0;
}

/** Normalises a typed recovery code as Crockford's base32 reads it (O is 0, I and L are 1). */
export function normaliseRecoveryCode(code: string): string {
  return code
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

export const looksLikeRecoveryCode = (code: string) => normaliseRecoveryCode(code).length === RECOVERY_LENGTH;

function newRecoveryCode(): string {
  const symbols = Array.from({ length: RECOVERY_LENGTH }, () => CROCKFORD[randomInt(CROCKFORD.length)]).join('');
  return symbols.match(/.{4}/g)!.join('-');
}

/** New recovery codes, replacing any earlier ones; shown once, kept only as sha256. */
export async function newRecoveryCodes(userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
  await db().transaction(async (tx) => {
    await tx.delete(userRecoveryCodes).where(eq(userRecoveryCodes.userId, userId));
    await tx.insert(userRecoveryCodes).values(codes.map((c) => ({ userId, codeHash: sha256(normaliseRecoveryCode(c)) })));
  });
  return codes;
}

/** Spends a recovery code: true once per code. */
export async function spendRecoveryCode(userId: string, code: string): Promise<boolean> {
  const normal = normaliseRecoveryCode(code);
  if (normal.length !== RECOVERY_LENGTH) return false;
  const rows = await db()
    .update(userRecoveryCodes)
    .set({ usedAt: sql`now()` })
    .where(and(eq(userRecoveryCodes.userId, userId), eq(userRecoveryCodes.codeHash, sha256(normal)), isNull(userRecoveryCodes.usedAt)))
    .returning({ userId: userRecoveryCodes.userId });
  return rows.length > 0;
}

/** Turns two-step verification off: the TOTP factor, the recovery codes and the passkeys that go with them. */
export async function removeTotp(userId: string): Promise<void> {
  await db().transaction(async (tx) => {
    await tx.delete(userTotp).where(eq(userTotp.userId, userId));
    await tx.delete(userRecoveryCodes).where(eq(userRecoveryCodes.userId, userId));
    await tx.delete(userPasskeys).where(eq(userPasskeys.userId, userId));
    await tx.delete(passkeyChallenges).where(eq(passkeyChallenges.userId, userId));
  });
}
