// Throttling of every password and code check (sign-in, invitation, password change and reset,
// TOTP and recovery codes), per account and per client address, without handing an attacker
// the power to lock the real owner out (OWASP "device cookies"):
// - from a context where the account has signed in before (its device cookie, or its client
//   address), failures are counted for that context and account only: someone hammering the
//   account from elsewhere does not slow its owner down;
// - from anywhere else, failures count per account and per client address (across accounts).
// Past an allowance a block grows with each further failure but never beyond MAX_BLOCK, and a
// blocked attempt checks nothing. Second-factor codes are counted apart from passwords: someone
// who has the password must not win a fresh count of code guesses by entering it again.
// Password-reset emails are counted per address asked for and per client address in the same table.
import { createHash } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { loginThrottle, trustedSignIns, users } from '#db/schema';
import { anyOf } from '#db/any';
import { db } from '../db.server';

const WINDOW_MS = 15 * 60_000;
const MAX_BLOCK_MS = 15 * 60_000;
/** How long a context stays trusted after the account last signed in from it. */
export const TRUSTED_DAYS = 90;

export type LimitKind = 'account' | 'ip' | 'trusted' | 'resetAccount' | 'resetIp';
interface Limit {
  /** Counted events within the window after which each further one blocks. */
  allowance: number;
  firstBlockMs: number;
}
export const limits: Record<LimitKind, Limit> = {
  account: { allowance: 5, firstBlockMs: 30_000 },
  ip: { allowance: 30, firstBlockMs: 60_000 },
  trusted: { allowance: 5, firstBlockMs: 30_000 },
  // Reset emails: a few to one address, more from one client address.
  resetAccount: { allowance: 3, firstBlockMs: 5 * 60_000 },
  resetIp: { allowance: 10, firstBlockMs: 5 * 60_000 },
};

export interface ThrottleKey {
  kind: LimitKind;
  key: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const normalEmail = (email: string) => email.trim().toLowerCase();

/** Where a request comes from: its client address and the device cookie it carries, if any. */
export interface ClientContext {
  ip: string | null;
  /** The raw device cookie (see device-cookie.server.ts). */
  device: string | null;
}

/** The contexts a client presents, as trusted_sign_ins names them, most specific first. */
export function contextsOf(client: ClientContext): string[] {
  return [...(client.device ? [`device:${sha256(client.device)}`] : []), ...(client.ip ? [`ip:${client.ip}`] : [])];
}

/** What is checked: a password, or a second factor's code (TOTP or recovery code). */
export type CheckKind = 'password' | 'code';
/** Codes' own counts carry this prefix; a client address's count is one for both. */
const prefixOf = (kind: CheckKind) => (kind === 'code' ? 'code:' : '');

const ipKey = (ip: string | null): ThrottleKey => ({ kind: 'ip', key: `ip:${ip ?? 'unknown'}` });
const accountKey = (email: string, kind: CheckKind): ThrottleKey => ({ kind: 'account', key: `${prefixOf(kind)}account:${normalEmail(email)}` });

/** A check about to be made for an account, and the keys its failures count against. */
export interface Gate {
  keys: ThrottleKey[];
  /** The context the account has signed in from before, when the client presents one. */
  trusted: string | null;
  /** Milliseconds until the check may be made again, or 0. */
  waitMs: number;
}

/**
 * The gate of a password or code check for the account of `email` (known or not: an unknown
 * address is counted the same way, so the answer never tells them apart). With `email` null —
 * a link's token, which names no account — only the client address counts.
 */
export async function openGate(email: string | null, client: ClientContext, kind: CheckKind): Promise<Gate> {
  const contexts = contextsOf(client);
  let trusted: string | null = null;
  if (email && contexts.length) {
    const rows = await db()
      .select({ context: trustedSignIns.context })
      .from(trustedSignIns)
      .innerJoin(users, eq(users.id, trustedSignIns.userId))
      .where(
        and(
          eq(users.email, normalEmail(email)),
          anyOf(trustedSignIns.context, contexts, 'text'),
          sql`${trustedSignIns.lastSuccessAt} > now() - make_interval(days => ${TRUSTED_DAYS})`,
        ),
      );
    const found = new Set(rows.map((r) => r.context));
    trusted = contexts.find((c) => found.has(c)) ?? null;
  }
  const keys: ThrottleKey[] = !email
    ? [ipKey(client.ip)]
    : trusted
      ? [{ kind: 'trusted', key: `${prefixOf(kind)}trusted:${trusted}|${normalEmail(email)}` }]
      : [accountKey(email, kind), ipKey(client.ip)];
  return { keys, trusted, waitMs: await blockedFor(keys) };
}

/** The keys that count password-reset emails asked for `email` from `ip`. */
export function resetKeys(email: string, ip: string | null): ThrottleKey[] {
  return [
    { kind: 'resetAccount', key: `reset:${normalEmail(email)}` },
    { kind: 'resetIp', key: `reset-ip:${ip ?? 'unknown'}` },
  ];
}

/** Milliseconds until any of `keys` lets an attempt through, or 0. */
export async function blockedFor(keys: readonly ThrottleKey[]): Promise<number> {
  const rows = await db()
    .select({ blockedUntil: loginThrottle.blockedUntil })
    .from(loginThrottle)
    .where(inArray(loginThrottle.key, keys.map((k) => k.key)));
  const until = Math.max(0, ...rows.map((r) => r.blockedUntil?.getTime() ?? 0));
  return Math.max(0, until - Date.now());
}

/** Counts a failure (or a reset email) against each key. */
export async function recordFailure(keys: readonly ThrottleKey[]): Promise<void> {
  for (const { kind, key } of keys) {
    const { allowance, firstBlockMs } = limits[kind];
    // One statement: a new window starts when the old one has passed; past the allowance the
    // block doubles per failure up to the cap.
    await db().execute(sql`
      insert into login_throttle as t (key, failures, window_started_at)
      values (${key}, 1, now())
      on conflict (key) do update set
        failures = case when t.window_started_at < now() - make_interval(secs => ${WINDOW_MS / 1000}) then 1 else t.failures + 1 end,
        window_started_at = case when t.window_started_at < now() - make_interval(secs => ${WINDOW_MS / 1000}) then now() else t.window_started_at end,
        blocked_until = case
          when t.window_started_at >= now() - make_interval(secs => ${WINDOW_MS / 1000}) and t.failures + 1 >= ${allowance}
          then now() + make_interval(secs => least(${MAX_BLOCK_MS / 1000}, ${firstBlockMs / 1000} * power(2, t.failures + 1 - ${allowance})))
          else null end`);
  }
}

/**
 * After a successful check: the account's own count starts again (the trusted context's, or
 * the account's); a client address's count across accounts stays.
 */
export async function clearFailures(gate: Gate): Promise<void> {
  const own = gate.keys.filter((k) => k.kind === 'account' || k.kind === 'trusted').map((k) => k.key);
  if (own.length) await db().delete(loginThrottle).where(inArray(loginThrottle.key, own));
}

/** Remembers that the account signed in from these contexts (after every factor was checked). */
export async function trustContexts(userId: string, client: ClientContext): Promise<void> {
  const contexts = contextsOf(client);
  if (!contexts.length) return;
  await db()
    .insert(trustedSignIns)
    .values(contexts.map((context) => ({ userId, context })))
    .onConflictDoUpdate({ target: [trustedSignIns.userId, trustedSignIns.context], set: { lastSuccessAt: sql`now()` } });
}

export type CheckOutcome = { status: 'ok' } | { status: 'failed' } | { status: 'throttled'; waitMs: number };

/**
 * One throttled password or code check for the account of `email`: refused unchecked while
 * blocked; a failure is counted; a success starts the account's count (of that kind of secret) again.
 */
export async function throttledCheck(email: string | null, client: ClientContext, kind: CheckKind, check: () => Promise<boolean>): Promise<CheckOutcome> {
  const gate = await openGate(email, client, kind);
  if (gate.waitMs > 0) return { status: 'throttled', waitMs: gate.waitMs };
  if (!(await check())) {
    await recordFailure(gate.keys);
    return { status: 'failed' };
  }
  await clearFailures(gate);
  return { status: 'ok' };
}

/** The form-level message and headers of a throttled attempt (429 with Retry-After). */
export function throttledAnswer(waitMs: number): { formError: string; init: { status: 429; headers: Record<string, string> } } {
  return {
    formError: `login.throttled|${Math.ceil(waitMs / 60_000)}`,
    init: { status: 429, headers: { 'Retry-After': String(Math.ceil(waitMs / 1000)) } },
  };
}
