// The national catalog: reading it (everyone) and changing it (national office only — the
// database refuses catalog writes outside the national tenant's scope). Each change is audited
// in the national office's chain.
import { and, asc, desc, eq, inArray, max, sql } from 'drizzle-orm';
import { appendAudit } from '#db/audit';
import type { Queryable, Tx } from '#db/client';
import { rowsOf } from '#db/rows';
import { templates, templateVersions } from '#db/schema';
import { AppError } from '../../errors';
import { checkTemplate, type Problem } from '../template/validate';
import { templateVersionSchema, type TemplateVersion } from '../template/schema';

export type VersionStatus = (typeof templateVersions.$inferSelect)['status'];
export type VersionRow = typeof templateVersions.$inferSelect;

export interface CatalogEntry {
  templateId: string;
  key: string;
  versions: Array<{
    id: string;
    version: number;
    status: VersionStatus;
    title: TemplateVersion['title'] | null;
    adoptBy: string | null;
    publishedAt: Date | null;
    tenants: number;
  }>;
}

function titleOf(definition: unknown): TemplateVersion['title'] | null {
  const parsed = templateVersionSchema.shape.title.safeParse((definition as { title?: unknown } | null)?.title);
  return parsed.success ? parsed.data : null;
}

/** Every template with its versions, newest first, and how many tenants use each version. */
export async function listCatalog(db: Queryable, options: { includeDrafts: boolean }): Promise<CatalogEntry[]> {
  const rows = await db
    .select({
      templateId: templates.id,
      key: templates.key,
      id: templateVersions.id,
      version: templateVersions.version,
      status: templateVersions.status,
      definition: templateVersions.definition,
      adoptBy: templateVersions.adoptBy,
      publishedAt: templateVersions.publishedAt,
    })
    .from(templates)
    .innerJoin(templateVersions, eq(templateVersions.templateId, templates.id))
    .where(options.includeDrafts ? undefined : inArray(templateVersions.status, ['published', 'retired']))
    .orderBy(asc(templates.key), desc(templateVersions.version));
  const counts = new Map(
    rowsOf<{ version_id: string; tenants: string | number }>(await db.execute(sql`select * from adoption_counts()`)).map((r) => [
      r.version_id,
      Number(r.tenants),
    ]),
  );
  const byTemplate = new Map<string, CatalogEntry>();
  for (const r of rows) {
    const entry = byTemplate.get(r.templateId) ?? { templateId: r.templateId, key: r.key, versions: [] };
    entry.versions.push({
      id: r.id,
      version: r.version,
      status: r.status,
      title: titleOf(r.definition),
      adoptBy: r.adoptBy,
      publishedAt: r.publishedAt,
      tenants: counts.get(r.id) ?? 0,
    });
    byTemplate.set(r.templateId, entry);
  }
  return [...byTemplate.values()];
}

export async function findVersion(db: Queryable, key: string, version: number): Promise<(VersionRow & { key: string }) | undefined> {
  const [row] = await db
    .select({ v: templateVersions, key: templates.key })
    .from(templateVersions)
    .innerJoin(templates, eq(templates.id, templateVersions.templateId))
    .where(and(eq(templates.key, key), eq(templateVersions.version, version)));
  return row ? { ...row.v, key: row.key } : undefined;
}

export async function findVersionById(db: Queryable, id: string): Promise<VersionRow | undefined> {
  const [row] = await db.select().from(templateVersions).where(eq(templateVersions.id, id));
  return row;
}

/** The newest published definition of every template: what references are checked against. */
export async function publishedDefinitions(db: Queryable): Promise<TemplateVersion[]> {
  const rows = await db
    .selectDistinctOn([templateVersions.templateId], { definition: templateVersions.definition })
    .from(templateVersions)
    .where(eq(templateVersions.status, 'published'))
    .orderBy(templateVersions.templateId, desc(templateVersions.version));
  return rows.map((r) => templateVersionSchema.parse(r.definition));
}

interface Actor {
  nationalTenantId: string;
  userId: string;
}

/** A new template, starting as draft version 1 of the given (possibly unfinished) definition. */
export async function createTemplate(tx: Tx, actor: Actor, key: string, definition: Record<string, unknown>): Promise<VersionRow> {
  const [existing] = await tx.select({ id: templates.id }).from(templates).where(eq(templates.key, key));
  if (existing) throw new AppError('conflict', `template ${key} exists`, { field: 'key', code: 'templateKeyTaken' });
  const [template] = await tx.insert(templates).values({ key, createdBy: actor.userId }).returning();
  const [version] = await tx
    .insert(templateVersions)
    .values({ templateId: template.id, version: 1, definition: { ...definition, key, version: 1 } })
    .returning();
  await appendAudit(tx, actor.nationalTenantId, {
    type: 'template.created',
    subjectType: 'template',
    subjectId: template.id,
    actorUserId: actor.userId,
    data: { key },
  });
  return version;
}

/** The next version of a template as a draft, copied from a given version. */
export async function createDraftVersion(tx: Tx, actor: Actor, fromVersionId: string): Promise<VersionRow> {
  const from = await findVersionById(tx, fromVersionId);
  if (!from) throw new AppError('notFound', 'version not found');
  const [open] = await tx
    .select({ version: templateVersions.version })
    .from(templateVersions)
    .where(and(eq(templateVersions.templateId, from.templateId), eq(templateVersions.status, 'draft')));
  if (open) throw new AppError('conflict', 'a draft exists', { code: 'draftExists', version: open.version });
  const [{ latest }] = await tx
    .select({ latest: max(templateVersions.version) })
    .from(templateVersions)
    .where(eq(templateVersions.templateId, from.templateId));
  const version = (latest ?? 0) + 1;
  const [row] = await tx
    .insert(templateVersions)
    .values({ templateId: from.templateId, version, definition: { ...(from.definition as object), version } })
    .returning();
  await appendAudit(tx, actor.nationalTenantId, {
    type: 'template.draftCreated',
    subjectType: 'templateVersion',
    subjectId: row.id,
    actorUserId: actor.userId,
    data: { from: from.version, version },
  });
  return row;
}

/** Saves a draft's definition as the editor holds it; the shape is checked only at publishing. */
export async function saveDraft(tx: Tx, versionId: string, definition: Record<string, unknown>): Promise<VersionRow> {
  const [current] = await tx
    .select({ status: templateVersions.status, version: templateVersions.version, key: templates.key })
    .from(templateVersions)
    .innerJoin(templates, eq(templates.id, templateVersions.templateId))
    .where(eq(templateVersions.id, versionId));
  if (!current) throw new AppError('notFound', 'version not found');
  if (current.status !== 'draft') throw new AppError('conflict', 'only drafts can be edited', { code: 'notDraft' });
  // Key and version belong to the catalog, not to the editor.
  const [row] = await tx
    .update(templateVersions)
    .set({ definition: { ...definition, key: current.key, version: current.version }, updatedAt: new Date() })
    .where(eq(templateVersions.id, versionId))
    .returning();
  return row;
}

export async function deleteDraft(tx: Tx, actor: Actor, versionId: string): Promise<void> {
  const current = await findVersionById(tx, versionId);
  if (!current || current.status !== 'draft') throw new AppError('conflict', 'only drafts can be deleted', { code: 'notDraft' });
  await tx.delete(templateVersions).where(eq(templateVersions.id, versionId));
  const [left] = await tx.select({ id: templateVersions.id }).from(templateVersions).where(eq(templateVersions.templateId, current.templateId));
  if (!left) await tx.delete(templates).where(eq(templates.id, current.templateId));
  await appendAudit(tx, actor.nationalTenantId, {
    type: 'template.draftDeleted',
    subjectType: 'templateVersion',
    subjectId: versionId,
    actorUserId: actor.userId,
    data: { version: current.version },
  });
}

export type PublishResult = { ok: true; version: VersionRow } | { ok: false; problems: Problem[] };

/**
 * Publishes a draft after validating the whole definition against the published catalog.
 * Nothing is written when there is any problem; every problem comes back with its path.
 */
export async function publishVersion(tx: Tx, actor: Actor, versionId: string): Promise<PublishResult> {
  // Locks the draft so a double click publishes once.
  const [draft] = await tx.select().from(templateVersions).where(eq(templateVersions.id, versionId)).for('update');
  if (!draft) throw new AppError('notFound', 'version not found');
  if (draft.status !== 'draft') throw new AppError('conflict', 'already published', { code: 'notDraft' });
  const [template] = await tx.select().from(templates).where(eq(templates.id, draft.templateId));
  const others = (await publishedDefinitions(tx)).filter((d) => d.key !== template.key);
  const parsed = templateVersionSchema.safeParse(draft.definition);
  const catalog = parsed.success ? [...others, parsed.data] : others;
  const { template: def, problems } = checkTemplate(draft.definition, { catalog });
  if (!def || problems.length) return { ok: false, problems };
  const [row] = await tx
    .update(templateVersions)
    // The stored definition is the parsed one: defaults filled and Latin labels derived.
    .set({ status: 'published', definition: def, publishedAt: new Date(), publishedBy: actor.userId, updatedAt: new Date() })
    .where(eq(templateVersions.id, versionId))
    .returning();
  await appendAudit(tx, actor.nationalTenantId, {
    type: 'template.published',
    subjectType: 'templateVersion',
    subjectId: row.id,
    actorUserId: actor.userId,
    data: { key: template.key, version: row.version },
  });
  return { ok: true, version: row };
}

export async function retireVersion(tx: Tx, actor: Actor, versionId: string): Promise<VersionRow> {
  const [row] = await tx
    .update(templateVersions)
    .set({ status: 'retired', retiredAt: new Date(), updatedAt: new Date() })
    .where(and(eq(templateVersions.id, versionId), eq(templateVersions.status, 'published')))
    .returning();
  if (!row) throw new AppError('conflict', 'only a published version can be retired', { code: 'notPublished' });
  await appendAudit(tx, actor.nationalTenantId, {
    type: 'template.retired',
    subjectType: 'templateVersion',
    subjectId: row.id,
    actorUserId: actor.userId,
    data: { version: row.version },
  });
  return row;
}

/** Sets (or clears) the date by which adopters of older versions must move to this one. */
export async function setAdoptBy(tx: Tx, actor: Actor, versionId: string, adoptBy: string | null): Promise<VersionRow> {
  const [row] = await tx
    .update(templateVersions)
    .set({ adoptBy, updatedAt: new Date() })
    .where(and(eq(templateVersions.id, versionId), eq(templateVersions.status, 'published')))
    .returning();
  if (!row) throw new AppError('conflict', 'only a published version takes an adopt-by date', { code: 'notPublished' });
  await appendAudit(tx, actor.nationalTenantId, {
    type: 'template.adoptByChanged',
    subjectType: 'templateVersion',
    subjectId: row.id,
    actorUserId: actor.userId,
    data: { adoptBy },
  });
  return row;
}

/**
 * Catalog sync: publishes each version of the standard catalog shipped with the product that the
 * database lacks (demo, new installs, and installations that have an older version), oldest
 * first. Versions already there are left exactly as they are — a published version is never
 * edited, since documents started on it pin it — and a version number the national office has
 * used for a draft of its own is not overwritten (reported as `taken`, for the operator).
 * Both lists name `key@version`.
 */
export async function seedStandardCatalog(
  tx: Tx,
  actor: { nationalTenantId: string; userId: string | null },
  catalog: TemplateVersion[],
): Promise<{ published: string[]; taken: string[] }> {
  const published: string[] = [];
  const taken: string[] = [];
  for (const def of catalog) {
    let [template] = await tx.select({ id: templates.id }).from(templates).where(eq(templates.key, def.key));
    if (!template) [template] = await tx.insert(templates).values({ key: def.key, createdBy: actor.userId }).returning({ id: templates.id });
    const [existing] = await tx
      .select({ status: templateVersions.status, definition: templateVersions.definition })
      .from(templateVersions)
      .where(and(eq(templateVersions.templateId, template.id), eq(templateVersions.version, def.version)));
    if (existing) {
      if (existing.status === 'draft') taken.push(`${def.key}@${def.version}`);
      continue;
    }
    const [row] = await tx
      .insert(templateVersions)
      .values({ templateId: template.id, version: def.version, status: 'published', definition: def, publishedAt: new Date(), publishedBy: actor.userId })
      .returning();
    await appendAudit(tx, actor.nationalTenantId, {
      type: 'template.published',
      subjectType: 'templateVersion',
      subjectId: row.id,
      actorUserId: actor.userId,
      data: { key: def.key, version: def.version, standard: true },
    });
    published.push(`${def.key}@${def.version}`);
  }
  return { published, taken };
}
