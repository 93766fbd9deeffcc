import { sql } from 'drizzle-orm';
import { rowsOf } from '#db/rows';
import { db } from '../db.server';

export interface UserTenant {
  tenantId: string;
  slug: string;
  kind: string;
  nameCyrl: string;
  nameLatn: string;
  nameEn: string;
  status: 'active' | 'suspended';
  roles: string[];
}

/** The organisations a user belongs to: sign-in's one cross-tenant read (SECURITY DEFINER). */
export async function userTenants(userId: string): Promise<UserTenant[]> {
  const result = await db().execute(sql`select * from user_tenants(${userId})`);
  return rowsOf<Record<string, unknown>>(result).map((r) => ({
    tenantId: r.tenant_id as string,
    slug: r.slug as string,
    kind: r.kind as string,
    nameCyrl: r.name_cyrl as string,
    nameLatn: r.name_latn as string,
    nameEn: r.name_en as string,
    status: r.status as UserTenant['status'],
    roles: r.roles as string[],
  }));
}
