// Published template versions never change, so their parsed definitions are cached per process.
import { eq } from 'drizzle-orm';
import type { Queryable, Tx } from '#db/client';
import { templates, templateVersions } from '#db/schema';
import type { Locale } from '../../i18n/resources';
import { templateVersionSchema, type TemplateVersion } from '../template/schema';

const cache = new Map<string, TemplateVersion>();

export async function definitionOf(db: Queryable, versionId: string): Promise<TemplateVersion> {
  const hit = cache.get(versionId);
  if (hit) return hit;
  const [row] = await db
    .select({ definition: templateVersions.definition, status: templateVersions.status })
    .from(templateVersions)
    .where(eq(templateVersions.id, versionId));
  if (!row) throw new Error(`template version ${versionId} not found`);
  const def = templateVersionSchema.parse(row.definition);
  // Drafts change; only what is published (or retired) is immutable and cacheable.
  if (row.status !== 'draft') cache.set(versionId, def);
  return def;
}

/** The definitions of several versions, by id, read together where they are not cached yet. */
export async function definitionsOf(db: Queryable, versionIds: Iterable<string>): Promise<Map<string, TemplateVersion>> {
  return new Map(await Promise.all([...new Set(versionIds)].map(async (id) => [id, await definitionOf(db, id)] as const)));
}

/** The titles of template versions, by version id, from the cached definitions. */
export async function titlesOf(tx: Tx, versionIds: string[]): Promise<Map<string, Record<Locale, string>>> {
  const defs = await definitionsOf(tx, versionIds);
  return new Map([...defs].map(([id, def]) => [id, def.title]));
}

export async function templateIdOf(db: Queryable, key: string): Promise<string | undefined> {
  const [row] = await db.select({ id: templates.id }).from(templates).where(eq(templates.key, key));
  return row?.id;
}
