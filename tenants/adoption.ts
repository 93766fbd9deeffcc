// Adoption: a tenant pins a published version of a national template, with the parameters
// the template lets it set (within their declared bounds) and the people in its named positions.
import { and, desc, eq, inArray } from 'drizzle-orm';
import { appendAudit } from '#db/audit';
import type { Tx } from '#db/client';
import { adoptions, memberships, templates, templateVersions } from '#db/schema';
import { AppError } from '#app/errors';
import { resolveTenantParameters, tenantParametersSchema } from '#app/workflow/template/parameters';
import { templateVersionSchema, type TemplateVersion } from '#app/workflow/template/schema';
import type { Locale } from '#app/workflow/template/labels';
import { isUuid } from '#app/ids';
import { serialise } from '#app/workflow/engine/serialise.server';

export type Adoption = typeof adoptions.$inferSelect;

export interface AdoptInput {
  tenantId: string;
  versionId: string;
  /** Raw parameter values as submitted (strings from a form, or numbers). */
  parameters: Record<string, unknown>;
  /** Named position → membership ids. */
  positions: Record<string, string[]>;
  actorUserId: string | null;
  locale: Locale;
  /**
   * The adoption as the administrator saw it (its `updatedAt` as ISO text, or null for none):
   * when someone else adopted or changed it meanwhile, the save is refused rather than lost.
   */
  basedOn?: string | null;
}

export type AdoptResult =
  | { ok: true; adoption: Adoption; previousVersionId: string | null }
  | { ok: false; fieldErrors: Record<string, string[]> };

/**
 * Adopts a version, or moves an existing adoption to it (an upgrade). Documents already
 * started keep the version they pinned; only new documents use the adopted one.
 */
export async function adoptVersion(tx: Tx, input: AdoptInput): Promise<AdoptResult> {
  const [version] = await tx.select().from(templateVersions).where(eq(templateVersions.id, input.versionId));
  if (!version || version.status !== 'published') throw new AppError('conflict', 'only a published version can be adopted', { code: 'notPublished' });
  const def = templateVersionSchema.parse(version.definition);

  const parsed = tenantParametersSchema(def, { locale: input.locale }).safeParse(input.parameters);
  const fieldErrors: Record<string, string[]> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) (fieldErrors[`parameters.${issue.path.join('.')}`] ??= []).push(issue.message);
  }
  const positions = await checkPositions(tx, input.tenantId, def, input.positions, fieldErrors, input.locale);
  if (!parsed.success || Object.keys(fieldErrors).length) return { ok: false, fieldErrors };

  // Two first adoptions of one template find no row to lock: the (tenant, template) lock makes
  // the second wait and then read the first one's committed row (READ COMMITTED).
  await serialise(tx, input.tenantId, [`adoption|${version.templateId}`]);
  const [current] = await tx
    .select()
    .from(adoptions)
    .where(and(eq(adoptions.tenantId, input.tenantId), eq(adoptions.templateId, version.templateId)))
    .for('update');
  if (input.basedOn !== undefined && (current?.updatedAt.toISOString() ?? null) !== input.basedOn) {
    throw new AppError('conflict', 'adoption changed by someone else', { code: 'adoptionChanged' });
  }
  const values = { versionId: version.id, parameters: parsed.data, positions, updatedAt: new Date() };
  const [adoption] = current
    ? await tx.update(adoptions).set(values).where(and(eq(adoptions.tenantId, input.tenantId), eq(adoptions.id, current.id))).returning()
    : await tx
        .insert(adoptions)
        .values({ tenantId: input.tenantId, templateId: version.templateId, adoptedBy: input.actorUserId, ...values })
        .returning();
  await appendAudit(tx, input.tenantId, {
    type: current ? (current.versionId === version.id ? 'adoption.updated' : 'adoption.upgraded') : 'adoption.created',
    subjectType: 'adoption',
    subjectId: adoption.id,
    actorUserId: input.actorUserId,
    data: { template: def.key, version: def.version, fromVersionId: current?.versionId ?? null, parameters: parsed.data, positions },
  });
  return { ok: true, adoption, previousVersionId: current?.versionId ?? null };
}

const positionMessages: Record<Locale, { unknown: string; required: string }> = {
  'sr-Cyrl': { unknown: 'Изабрана особа није запослена у овој организацији.', required: 'Изаберите бар једну особу за ово радно место.' },
  'sr-Latn': { unknown: 'Izabrana osoba nije zaposlena u ovoj organizaciji.', required: 'Izaberite bar jednu osobu za ovo radno mesto.' },
  en: { unknown: 'The chosen person is not on this organisation’s staff.', required: 'Choose at least one person for this position.' },
};

/** Every position the template declares must name active staff of this tenant. */
async function checkPositions(
  tx: Tx,
  tenantId: string,
  def: TemplateVersion,
  given: Record<string, string[]>,
  errors: Record<string, string[]>,
  locale: Locale,
): Promise<Record<string, string[]>> {
  const declared = def.tenantParameters.filter((p) => p.type === 'position').map((p) => p.name);
  const wanted = [...new Set(declared.flatMap((name) => given[name] ?? []))];
  const known = new Set(
    wanted.some(isUuid)
      ? (
          await tx
            .select({ id: memberships.id })
            .from(memberships)
            .where(and(eq(memberships.tenantId, tenantId), eq(memberships.active, true), inArray(memberships.id, wanted.filter(isUuid))))
        ).map((m) => m.id)
      : [],
  );
  const out: Record<string, string[]> = {};
  for (const name of declared) {
    const ids = [...new Set(given[name] ?? [])];
    if (ids.some((id) => !known.has(id))) (errors[`positions.${name}`] ??= []).push(positionMessages[locale].unknown);
    else if (!ids.length) (errors[`positions.${name}`] ??= []).push(positionMessages[locale].required);
    out[name] = ids;
  }
  return out;
}

/**
 * Adopts the newest published version of each given template with its default parameters
 * (a new tenant's starting set). Templates that declare positions are adopted with the
 * positions left for the tenant admin to fill, so they are skipped here and reported.
 */
export async function adoptStandardTemplates(
  tx: Tx,
  tenantId: string,
  keys: string[],
  actorUserId: string | null,
): Promise<{ adopted: string[]; needsPositions: string[] }> {
  if (!keys.length) return { adopted: [], needsPositions: [] };
  const rows = await tx
    .selectDistinctOn([templateVersions.templateId], { id: templateVersions.id, key: templates.key, definition: templateVersions.definition })
    .from(templateVersions)
    .innerJoin(templates, eq(templates.id, templateVersions.templateId))
    .where(and(eq(templateVersions.status, 'published'), inArray(templates.key, keys)))
    .orderBy(templateVersions.templateId, desc(templateVersions.version));
  const adopted: string[] = [];
  const needsPositions: string[] = [];
  for (const row of rows) {
    const def = templateVersionSchema.parse(row.definition);
    if (def.tenantParameters.some((p) => p.type === 'position')) {
      needsPositions.push(row.key);
      continue;
    }
    const parameters = resolveTenantParameters(def);
    const result = await adoptVersion(tx, { tenantId, versionId: row.id, parameters, positions: {}, actorUserId, locale: 'en' });
    if (result.ok) adopted.push(row.key);
  }
  return { adopted, needsPositions };
}

export async function tenantAdoptions(tx: Tx, tenantId: string) {
  return tx
    .select({ adoption: adoptions, key: templates.key, version: templateVersions.version, definition: templateVersions.definition })
    .from(adoptions)
    .innerJoin(templates, eq(templates.id, adoptions.templateId))
    .innerJoin(templateVersions, eq(templateVersions.id, adoptions.versionId))
    .where(eq(adoptions.tenantId, tenantId));
}
