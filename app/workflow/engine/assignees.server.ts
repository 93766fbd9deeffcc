// Who a step of the approval line goes to, resolved against the tenant's staff.
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { memberships, orgUnits } from '#db/schema';
import type { Step } from '../template/schema';

export interface LineContext {
  tenantId: string;
  authorId: string;
  authorUnitId: string | null;
  values: Record<string, unknown>;
  /** Named position → membership ids, from the tenant's adoption. */
  positions: Record<string, string[]>;
}

async function holders(tx: Tx, tenantId: string, role: string, unitId?: string | null): Promise<string[]> {
  const rows = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(
      and(
        eq(memberships.tenantId, tenantId),
        eq(memberships.active, true),
        sql`${role} = any(${memberships.roles})`,
        unitId === undefined ? undefined : unitId === null ? sql`false` : eq(memberships.orgUnitId, unitId),
      ),
    );
  return rows.map((r) => r.id);
}

/**
 * The head of the author's unit; when the author heads it (or it has no head), the head of
 * the unit above — a head does not approve their own request.
 */
async function unitHead(tx: Tx, ctx: LineContext): Promise<string[]> {
  let unitId = ctx.authorUnitId;
  for (let depth = 0; unitId && depth < 20; depth++) {
    const heads = (await holders(tx, ctx.tenantId, 'unit_head', unitId)).filter((id) => id !== ctx.authorId);
    if (heads.length) return heads;
    const [unit] = await tx
      .select({ parentId: orgUnits.parentId })
      .from(orgUnits)
      .where(and(eq(orgUnits.tenantId, ctx.tenantId), eq(orgUnits.id, unitId)));
    unitId = unit?.parentId ?? null;
  }
  return [];
}

export async function resolveAssignees(tx: Tx, ctx: LineContext, step: Step): Promise<string[]> {
  const a = step.assignee;
  switch (a.type) {
    case 'authorUnitHead':
      return unitHead(tx, ctx);
    case 'role':
      return holders(tx, ctx.tenantId, a.role);
    case 'unitRole':
      return holders(tx, ctx.tenantId, a.role, ctx.authorUnitId);
    case 'position':
      return ctx.positions[a.position] ?? [];
    case 'staffField': {
      const id = ctx.values[a.field];
      return typeof id === 'string' && id ? [id] : [];
    }
  }
}

/** Members currently standing in for `absentId` (proxy approval, 대결). */
export function activeSubstitutionSql(tenantId: string) {
  return sql`select s.absent_membership_id from substitutes s
    where s.tenant_id = ${tenantId} and current_date between s.starts_on and s.ends_on`;
}
