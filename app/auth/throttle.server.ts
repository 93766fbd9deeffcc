// Sign-in throttling per account and per client address. A block grows with each further
// failure but never beyond MAX_BLOCK, and a success clears the account: an attacker can slow
// the real owner down for minutes, never lock them out for good.
import { eq, inArray, sql } from 'drizzle-orm';
import { loginThrottle } from '#db/schema';
import { db } from '../db.server';

const WINDOW_MS = 15 * 60_000;
const MAX_BLOCK_MS = 15 * 60_000;

interface Limit {
  failuresBeforeBlock: number;
  firstBlockMs: number;
}
const limits: Record<'account' | 'ip', Limit> = {
  account: { failuresBeforeBlock: 5, firstBlockMs: 30_000 },
  ip: { failuresBeforeBlock: 30, firstBlockMs: 60_000 },
};

export function throttleKeys(email: string, ip: string | null) {
  return { account: `account:${email.trim().toLowerCase()}`, ip: `ip:${ip ?? 'unknown'}` };
}

/** Milliseconds until a sign-in may be tried again, or 0. */
export async function throttledFor(keys: { account: string; ip: string }): Promise<number> {
  const rows = await db()
    .select({ blockedUntil: loginThrottle.blockedUntil })
    .from(loginThrottle)
    .where(inArray(loginThrottle.key, [keys.account, keys.ip]));
  const until = Math.max(0, ...rows.map((r) => r.blockedUntil?.getTime() ?? 0));
  return Math.max(0, until - Date.now());
}

export async function recordFailure(keys: { account: string; ip: string }): Promise<void> {
  for (const [kind, key] of [['account', keys.account], ['ip', keys.ip]] as const) {
    const { failuresBeforeBlock, firstBlockMs } = limits[kind];
    // One statement: a new window starts when the old one has passed; past the allowance the
    // block doubles per failure up to the cap.
    await db().execute(sql`
      insert into login_throttle as t (key, failures, window_started_at)
      values (${key}, 1, now())
      on conflict (key) do update set
        failures = case when t.window_started_at < now() - make_interval(secs => ${WINDOW_MS / 1000}) then 1 else t.failures + 1 end,
        window_started_at = case when t.window_started_at < now() - make_interval(secs => ${WINDOW_MS / 1000}) then now() else t.window_started_at end,
        blocked_until = case
          when t.window_started_at >= now() - make_interval(secs => ${WINDOW_MS / 1000}) and t.failures + 1 >= ${failuresBeforeBlock}
          then now() + make_interval(secs => least(${MAX_BLOCK_MS / 1000}, ${firstBlockMs / 1000} * power(2, t.failures + 1 - ${failuresBeforeBlock})))
          else null end`);
  }
}

export async function clearAccount(accountKey: string): Promise<void> {
  await db().delete(loginThrottle).where(eq(loginThrottle.key, accountKey));
}
