// Org units of a tenant: a tree by parent. Moves that would make a unit its own ancestor are refused.
import { and, asc, eq, sql } from 'drizzle-orm';
import { appendAudit } from '#db/audit';
import type { Tx } from '#db/client';
import { memberships, orgUnits } from '#db/schema';
import { auditActor, type Actor } from './actor';
import { isUniqueViolation } from './signup';

export type Unit = typeof orgUnits.$inferSelect;
export interface UnitNode extends Unit {
  children: UnitNode[];
  members: number;
}

export async function unitTree(tx: Tx, tenantId: string): Promise<{ roots: UnitNode[]; all: Unit[] }> {
  const all = await tx.select().from(orgUnits).where(eq(orgUnits.tenantId, tenantId)).orderBy(asc(orgUnits.code));
  const counts = await tx
    .select({ unitId: memberships.orgUnitId, n: sql<number>`count(*)::int` })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.active, true)))
    .groupBy(memberships.orgUnitId);
  const byUnit = new Map(counts.map((c) => [c.unitId, c.n]));
  const nodes = new Map(all.map((u) => [u.id, { ...u, children: [] as UnitNode[], members: byUnit.get(u.id) ?? 0 }]));
  const roots: UnitNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return { roots, all };
}

export interface UnitInput {
  code: string;
  name: string;
  nameEn?: string;
  parentId?: string;
}

type UnitResult = { ok: true; id: string } | { ok: false; field: 'code' | 'parentId'; message: string };

async function wouldCycle(tx: Tx, tenantId: string, unitId: string, parentId: string): Promise<boolean> {
  const all = await tx.select({ id: orgUnits.id, parentId: orgUnits.parentId }).from(orgUnits).where(eq(orgUnits.tenantId, tenantId));
  const parentOf = new Map(all.map((u) => [u.id, u.parentId]));
  for (let at: string | null | undefined = parentId; at; at = parentOf.get(at)) if (at === unitId) return true;
  return false;
}

export async function saveUnit(tx: Tx, tenantId: string, actor: Actor, input: UnitInput, unitId?: string): Promise<UnitResult> {
  if (input.parentId) {
    const [parent] = await tx.select({ id: orgUnits.id }).from(orgUnits).where(and(eq(orgUnits.tenantId, tenantId), eq(orgUnits.id, input.parentId)));
    if (!parent) return { ok: false, field: 'parentId', message: 'onboarding.errors.parentUnknown' };
    if (unitId && (await wouldCycle(tx, tenantId, unitId, input.parentId))) return { ok: false, field: 'parentId', message: 'onboarding.errors.parentCycle' };
  }
  const values = { code: input.code, name: input.name, nameEn: input.nameEn || input.name, parentId: input.parentId ?? null };
  try {
    // A savepoint: a duplicate code must not abort the caller's transaction.
    const id = await tx.transaction(async (sp) => {
      if (unitId) {
        const rows = await sp.update(orgUnits).set(values).where(and(eq(orgUnits.tenantId, tenantId), eq(orgUnits.id, unitId))).returning({ id: orgUnits.id });
        return rows[0]?.id;
      }
      const [row] = await sp.insert(orgUnits).values({ tenantId, ...values }).returning({ id: orgUnits.id });
      return row.id;
    });
    if (!id) return { ok: false, field: 'code', message: 'onboarding.errors.unitUnknown' };
    await appendAudit(tx, tenantId, { type: unitId ? 'unit.updated' : 'unit.created', subjectType: 'unit', subjectId: id, ...auditActor(actor), data: values });
    return { ok: true, id };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, field: 'code', message: 'onboarding.errors.unitCodeDuplicate' };
    throw error;
  }
}

/** Deletes a unit that has no sub-units and nobody in it. */
export async function deleteUnit(tx: Tx, tenantId: string, actor: Actor, unitId: string): Promise<'ok' | 'inUse' | null> {
  const [unit] = await tx.select().from(orgUnits).where(and(eq(orgUnits.tenantId, tenantId), eq(orgUnits.id, unitId))).for('update');
  if (!unit) return null;
  const [children] = await tx.select({ n: sql<number>`count(*)::int` }).from(orgUnits).where(and(eq(orgUnits.tenantId, tenantId), eq(orgUnits.parentId, unitId)));
  const [members] = await tx.select({ n: sql<number>`count(*)::int` }).from(memberships).where(and(eq(memberships.tenantId, tenantId), eq(memberships.orgUnitId, unitId)));
  if (children.n || members.n) return 'inUse';
  await tx.delete(orgUnits).where(and(eq(orgUnits.tenantId, tenantId), eq(orgUnits.id, unitId)));
  await appendAudit(tx, tenantId, { type: 'unit.deleted', subjectType: 'unit', subjectId: unitId, ...auditActor(actor), data: { code: unit.code, name: unit.name } });
  return 'ok';
}
