// Mandatory upgrades: once a version's adoption deadline (adopt_by) has passed, adoptions of
// older versions move to it with their parameters and positions, and the tenant admins are
// told. Parameters or positions the new version refuses leave the adoption where it is and tell
// the admins what to do instead. Documents already started keep their version.
import { and, arrayContains, eq, sql } from 'drizzle-orm';
import { rowsOf } from '#db/rows';
import { adoptions, memberships, templates, templateVersions, tenants } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { belgradeDate } from '#app/time/belgrade';
import { templateVersionSchema } from '#app/workflow/template/schema';
import { adoptVersion } from '#tenants/adoption';
import { defineSchedule, type JobContext } from '../job';
import { notifyFromJob } from '../notify';

export async function upgradeOverdueAdoptions(ctx: JobContext): Promise<{ upgraded: number; blocked: number }> {
  const today = belgradeDate(ctx.now());
  const due = rowsOf<{ tenant_id: string; adoption_id: string; version_id: string }>(
    await ctx.db.execute(sql`select tenant_id, adoption_id, version_id from overdue_adoptions(${today}::date)`),
  );
  const counts = { upgraded: 0, blocked: 0 };
  for (const row of due) {
    try {
      await withTenantOn(ctx.db, { tenantId: row.tenant_id }, async (tx) => {
        const [current] = await tx
          .select({ adoption: adoptions, key: templates.key })
          .from(adoptions)
          .innerJoin(templates, eq(templates.id, adoptions.templateId))
          .where(and(eq(adoptions.tenantId, row.tenant_id), eq(adoptions.id, row.adoption_id)))
          .for('update', { of: adoptions });
        if (!current || current.adoption.versionId === row.version_id) return;
        const [target] = await tx.select().from(templateVersions).where(eq(templateVersions.id, row.version_id));
        const [tenant] = await tx.select({ locale: tenants.defaultLocale }).from(tenants).where(eq(tenants.id, row.tenant_id));
        const def = templateVersionSchema.parse(target.definition);
        const result = await adoptVersion(tx, {
          tenantId: row.tenant_id,
          versionId: row.version_id,
          parameters: current.adoption.parameters as Record<string, unknown>,
          positions: current.adoption.positions as Record<string, string[]>,
          actorUserId: null,
          locale: tenant.locale,
        });
        const admins = await tx
          .select({ id: memberships.id })
          .from(memberships)
          .where(and(eq(memberships.tenantId, row.tenant_id), eq(memberships.active, true), arrayContains(memberships.roles, ['tenant_admin'])));
        const data = { key: current.key, template: def.title[tenant.locale], version: def.version, deadline: target.adoptBy };
        if (result.ok) counts.upgraded++;
        else counts.blocked++;
        // A blocked upgrade is announced once per target version: the notification's data names it.
        if (!result.ok) {
          const told = await tx.execute(
            sql`select 1 from notifications where tenant_id = ${row.tenant_id} and kind = 'adoption.upgradeBlocked' and data->>'versionId' = ${row.version_id} limit 1`,
          );
          if (rowsOf(told).length) return;
        }
        await notifyFromJob(tx, row.tenant_id, admins.map((a) => a.id), result.ok ? 'adoption.upgraded' : 'adoption.upgradeBlocked', null, { ...data, versionId: row.version_id });
      });
    } catch (error) {
      ctx.log.error({ err: error, tenantId: row.tenant_id, adoptionId: row.adoption_id }, 'mandatory upgrade failed');
    }
  }
  return counts;
}

export const mandatoryUpgrades = defineSchedule({
  name: 'adoptions.upgrade',
  pattern: '30 5 * * *',
  inlineEvery: 60 * 60_000,
  handler: upgradeOverdueAdoptions,
});
