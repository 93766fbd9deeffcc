// National operations that the database checks itself (national_caller(), migration 0060): they
// run in a transaction scoped to the national office as the signed-in member, carrying the
// session's token, which the database compares with the sha256 it keeps.
import { sql } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { withTenant } from '../db.server';
import type { TenantAccess } from './guards.server';

export function asNationalCaller<T>(access: TenantAccess, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withTenant(
    access.tenant.id,
    async (tx) => {
      await tx.execute(sql`select set_config('app.session_token', ${access.signedIn.token}, true)`);
      return fn(tx);
    },
    { userId: access.signedIn.user.id },
  );
}
