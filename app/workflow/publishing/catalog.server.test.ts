// Publishing, immutability, retiring, adoption within bounds and upgrades, against PostgreSQL
// as the runtime role, with the demo country seeded.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '#app/auth/password.server';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { rowsOf } from '#db/rows';
import { adoptions, templates, templateVersions, tenants } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { adoptVersion } from '#tenants/adoption';
import { seedDemo } from '#tenants/demo';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import { standardCatalog } from '../catalog/index';
import {
  createDraftVersion,
  createTemplate,
  findVersion,
  listCatalog,
  publishVersion,
  retireVersion,
  saveDraft,
  setAdoptBy,
} from './catalog.server';

let database: TestDatabase;
let app: DatabaseHandle;
let national: { nationalTenantId: string; userId: string };
let surdulica: string;
let agency: string;

const inNational = <T>(fn: Parameters<typeof withTenantOn<T>>[2]) => withTenantOn(app.db, { tenantId: national.nationalTenantId }, fn);

async function databaseError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { cause?: Error };
    return e.cause?.message ?? e.message;
  }
  throw new Error('expected the database to refuse');
}

const smallTemplate = {
  title: { 'sr-Cyrl': 'Захтев за набавку', en: 'Purchase request' },
  category: 'procurement',
  classification: '4',
  fields: [
    { name: 'item', type: 'text', label: { 'sr-Cyrl': 'Предмет', en: 'Item' }, required: true },
    { name: 'quantity', type: 'number', label: { 'sr-Cyrl': 'Количина', en: 'Quantity' }, required: true, min: 1 },
    { name: 'neededBy', type: 'date', label: { 'sr-Cyrl': 'Потребно до', en: 'Needed by' } },
  ],
  route: [
    { id: 'head', kind: 'approve', label: { 'sr-Cyrl': 'Руководилац', en: 'Head of unit' }, assignee: { type: 'authorUnitHead' } },
    { id: 'finance', kind: 'approve', label: { 'sr-Cyrl': 'Финансије', en: 'Finance' }, assignee: { type: 'role', role: 'finance_head' } },
  ],
};

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  app = connectPostgres(database.appUrl, { max: 4 });
  await seedDemo(app.db, hashPassword);
  const rows = await app.db.select().from(tenants);
  const nationalId = rows.find((t) => t.kind === 'national')!.id;
  surdulica = rows.find((t) => t.slug === 'surdulica')!.id;
  agency = rows.find((t) => t.slug === 'business-registers-agency')!.id;
  const [user] = rowsOf<{ id: string }>(await app.db.execute(sql`select id from users where email = 'ana.markovic@ite.test'`));
  national = { nationalTenantId: nationalId, userId: user.id };
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('the catalog', () => {
  it('ships the standard templates, published, adopted by the demo tenants', async () => {
    const catalog = await listCatalog(app.db, { includeDrafts: false });
    expect(catalog.map((t) => t.key).sort()).toEqual(standardCatalog.map((t) => t.key).sort());
    for (const entry of catalog) {
      // Newest first: the shipped version, adopted; a template changed since (issue 22) keeps its
      // first version published beside it, adopted by nobody in a new installation.
      const shipped = standardCatalog.find((d) => d.key === entry.key)!.version;
      expect(entry.versions.map((v) => v.version)).toEqual(Array.from({ length: shipped }, (_, i) => shipped - i));
      expect(entry.versions[0]).toMatchObject({ version: shipped, status: 'published', tenants: 2 });
    }
  });

  it('refuses catalog writes from any tenant but the national office, and with no tenant', async () => {
    for (const tenantId of [surdulica, agency]) {
      const message = await databaseError(withTenantOn(app.db, { tenantId }, (tx) => tx.insert(templates).values({ key: 'sneaky' })));
      expect(message).toMatch(/row-level security/);
      const updated = await withTenantOn(app.db, { tenantId }, (tx) =>
        tx.update(templateVersions).set({ adoptBy: '2030-01-01' }).returning({ id: templateVersions.id }),
      );
      expect(updated).toEqual([]);
    }
    expect(await databaseError(app.db.insert(templates).values({ key: 'sneaky' }))).toMatch(/row-level security/);
  });

  it('publishes only a valid definition, listing every problem with its place', async () => {
    const draft = await inNational((tx) =>
      createTemplate(tx, national, 'purchase-request', {
        ...smallTemplate,
        route: [smallTemplate.route[0], { ...smallTemplate.route[1], assignee: { type: 'role', role: 'finance_chief' } }],
      }),
    );
    const refused = await inNational((tx) => publishVersion(tx, national, draft.id));
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.problems).toContainEqual(expect.objectContaining({ path: ['route', 1, 'assignee', 'role'], code: 'unknownRole' }));
    expect((await findVersion(app.db, 'purchase-request', 1))?.status).toBe('draft');

    await inNational((tx) => saveDraft(tx, draft.id, smallTemplate));
    const published = await inNational((tx) => publishVersion(tx, national, draft.id));
    expect(published.ok).toBe(true);
    const row = await findVersion(app.db, 'purchase-request', 1);
    expect(row).toMatchObject({ status: 'published', key: 'purchase-request' });
    // Stored parsed: the Latin labels are derived from the Cyrillic ones.
    expect((row!.definition as { title: Record<string, string> }).title['sr-Latn']).toBe('Zahtev za nabavku');
  });

  it('keeps a published version immutable, in the national scope too', async () => {
    const v1 = (await findVersion(app.db, 'purchase-request', 1))!;
    expect(await databaseError(inNational((tx) => tx.update(templateVersions).set({ definition: {} }).where(eq(templateVersions.id, v1.id))))).toMatch(
      /immutable/,
    );
    expect(await databaseError(inNational((tx) => tx.delete(templateVersions).where(eq(templateVersions.id, v1.id))))).toMatch(/immutable/);
    await expect(inNational((tx) => saveDraft(tx, v1.id, smallTemplate))).rejects.toMatchObject({ code: 'conflict' });
  });

  it('adopts within the declared bounds: a premium may be raised, never lowered', async () => {
    const slip = (await findVersion(app.db, 'overtime-pay-slip', 1))!;
    const low = await withTenantOn(app.db, { tenantId: surdulica }, (tx) =>
      adoptVersion(tx, {
        tenantId: surdulica,
        versionId: slip.id,
        parameters: { 'premium.overtime': '25', 'premium.night': '26', 'premium.holiday': '110' },
        positions: {},
        actorUserId: null,
        locale: 'en',
      }),
    );
    expect(low.ok).toBe(false);
    if (!low.ok) expect(low.fieldErrors['parameters.premium.overtime']?.[0]).toMatch(/26/);
    const high = await withTenantOn(app.db, { tenantId: surdulica }, (tx) =>
      adoptVersion(tx, {
        tenantId: surdulica,
        versionId: slip.id,
        parameters: { 'premium.overtime': '30', 'premium.night': '26', 'premium.holiday': '120' },
        positions: {},
        actorUserId: null,
        locale: 'en',
      }),
    );
    expect(high.ok).toBe(true);
    const [row] = await withTenantOn(app.db, { tenantId: surdulica }, (tx) =>
      tx.select().from(adoptions).where(and(eq(adoptions.tenantId, surdulica), eq(adoptions.versionId, slip.id))),
    );
    expect(row.parameters).toMatchObject({ 'premium.overtime': 30, 'premium.holiday': 120 });
  });

  it('moves an adoption to a newer version only when the tenant upgrades, and retires old versions', async () => {
    const v1 = (await findVersion(app.db, 'purchase-request', 1))!;
    await withTenantOn(app.db, { tenantId: agency }, (tx) =>
      adoptVersion(tx, { tenantId: agency, versionId: v1.id, parameters: {}, positions: {}, actorUserId: null, locale: 'en' }),
    );
    const v2draft = await inNational((tx) => createDraftVersion(tx, national, v1.id));
    expect(v2draft.version).toBe(2);
    await inNational((tx) => saveDraft(tx, v2draft.id, { ...smallTemplate, fields: [...smallTemplate.fields, { name: 'reason', type: 'textarea', label: { 'sr-Cyrl': 'Разлог', en: 'Reason' } }] }));
    expect((await inNational((tx) => publishVersion(tx, national, v2draft.id))).ok).toBe(true);
    await inNational((tx) => setAdoptBy(tx, national, v2draft.id, '2027-03-01'));

    const pinned = async () =>
      (await withTenantOn(app.db, { tenantId: agency }, (tx) => tx.select().from(adoptions).where(eq(adoptions.templateId, v1.templateId))))[0].versionId;
    expect(await pinned()).toBe(v1.id);
    const upgraded = await withTenantOn(app.db, { tenantId: agency }, (tx) =>
      adoptVersion(tx, { tenantId: agency, versionId: v2draft.id, parameters: {}, positions: {}, actorUserId: null, locale: 'en' }),
    );
    expect(upgraded.ok && upgraded.previousVersionId).toBe(v1.id);
    expect(await pinned()).toBe(v2draft.id);

    await inNational((tx) => retireVersion(tx, national, v1.id));
    await expect(
      withTenantOn(app.db, { tenantId: surdulica }, (tx) =>
        adoptVersion(tx, { tenantId: surdulica, versionId: v1.id, parameters: {}, positions: {}, actorUserId: null, locale: 'en' }),
      ),
    ).rejects.toMatchObject({ code: 'conflict' });
    const entry = (await listCatalog(app.db, { includeDrafts: true })).find((t) => t.key === 'purchase-request')!;
    expect(entry.versions.map((v) => [v.version, v.status, v.tenants, v.adoptBy])).toEqual([
      [2, 'published', 1, '2027-03-01'],
      [1, 'retired', 0, null],
    ]);
  });

  it("never lets one tenant read or change another tenant's adoption", async () => {
    const seen = await withTenantOn(app.db, { tenantId: agency }, (tx) => tx.select().from(adoptions).where(eq(adoptions.tenantId, surdulica)));
    expect(seen).toEqual([]);
    const changed = await withTenantOn(app.db, { tenantId: agency }, (tx) =>
      tx.update(adoptions).set({ parameters: {} }).where(eq(adoptions.tenantId, surdulica)).returning(),
    );
    expect(changed).toEqual([]);
  });
});
