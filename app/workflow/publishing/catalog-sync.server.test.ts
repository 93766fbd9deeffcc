// Issue 22: a changed standard template is a new published version, never an edit of the one
// databases already hold. An installation seeded with the first overtime templates gets version 2
// by the regular catalog sync (seedDemo → seedStandardCatalog, as `npm run db:seed` and the demo's
// start run it); its tenants stay on version 1 until they upgrade, and documents started on
// version 1 keep it and its arithmetic. Against PostgreSQL as the runtime role.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '#app/auth/password.server';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { adoptions, documents, templates, templateVersions } from '#db/schema';
import { adoptVersion } from '#tenants/adoption';
import { seedDemo } from '#tenants/demo';
import { actorOf, inTenant } from '#tests/support/actors';
import { acted, overtimeRequest, submitted } from '#tests/support/documents';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import type { Actor } from '../engine/actor';
import { createDocument } from '../engine/create-document.server';
import { submitDocument } from '../engine/submit-document.server';
import type { DocumentRow } from '../engine/transition.server';
import { standardCatalog, standardCatalogHistory } from '../catalog/index';
import { resolveTenantParameters } from '../template/parameters';
import { templateVersionSchema } from '../template/schema';

let database: TestDatabase;
let app: DatabaseHandle;
let jelena: Actor, marija: Actor;

/** The catalog as installations had it before version 2: each template's first version only. */
const firstVersions = standardCatalogHistory.filter((d) => d.version === 1);

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  app = connectPostgres(database.appUrl, { max: 4 });
  await seedDemo(app.db, hashPassword, firstVersions);
  [jelena, marija] = await Promise.all(['jelena.djordjevic', 'marija.stojanovic'].map((n) => actorOf(app.db, 'surdulica', `${n}@surdulica.test`)));
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

async function versionsOf(key: string) {
  return app.db
    .select({ id: templateVersions.id, version: templateVersions.version, status: templateVersions.status, definition: templateVersions.definition })
    .from(templateVersions)
    .innerJoin(templates, eq(templates.id, templateVersions.templateId))
    .where(eq(templates.key, key))
    .orderBy(templateVersions.version);
}

/** An approved request for the night 00:00–06:00 of a date, and a report on it (confirmed or left as a draft). */
async function reportFor(date: string, confirm: boolean): Promise<DocumentRow> {
  const request = await acted(app.db, marija, await submitted(app.db, jelena, 'overtime-request', overtimeRequest(date, '00:00', '06:00')), 'approved');
  const draft = await inTenant(app.db, jelena, (tx) => createDocument(tx, jelena, { templateKey: 'overtime-report', sourceDocumentId: request.id }));
  if (!confirm) return draft;
  const result = await inTenant(app.db, jelena, (tx) => submitDocument(tx, jelena, draft.id, draft.version, { actualStart: '00:00', actualEnd: '06:00', workDone: 'Попис' }));
  if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
  return acted(app.db, marija, result.document, 'approved');
}

describe('catalog sync of a changed standard template', () => {
  it('publishes version 2 beside the version 1 a database holds, leaves version 1 as it was, and documents started on it keep it', async () => {
    // Sunday 25 October 2026, the night clocks go back: 00:00–06:00 is 7 hours of real time.
    // Version 1 counted wall-clock hours, so a report confirmed on it says 6.
    const confirmedOnV1 = await reportFor('2026-10-25', true);
    const draftOnV1 = await reportFor('2027-10-31', false);
    expect(confirmedOnV1.computed).toMatchObject({ hours: '6.00' });
    const [v1Before] = await versionsOf('overtime-report');

    // The regular path: the seed runs again (db:seed, the demo's start) with the product's catalog.
    await seedDemo(app.db, hashPassword);
    for (const key of ['overtime-request', 'overtime-report', 'overtime-pay-slip']) {
      const rows = await versionsOf(key);
      expect(rows.map((r) => [r.version, r.status])).toEqual([
        [1, 'published'],
        [2, 'published'],
      ]);
      expect(templateVersionSchema.parse(rows[1].definition)).toEqual(standardCatalog.find((d) => d.key === key));
    }
    const [v1After, v2] = await versionsOf('overtime-report');
    expect(v1After).toEqual(v1Before);
    // Running it once more publishes nothing new.
    await seedDemo(app.db, hashPassword);
    expect(await versionsOf('overtime-report')).toHaveLength(2);

    // The tenant stays on version 1 until it upgrades.
    const held = await inTenant(app.db, jelena, (tx) =>
      tx
        .select({ versionId: adoptions.versionId })
        .from(adoptions)
        .innerJoin(templates, eq(templates.id, adoptions.templateId))
        .where(and(eq(adoptions.tenantId, jelena.tenantId), eq(templates.key, 'overtime-report'))),
    );
    expect(held).toEqual([{ versionId: v1After.id }]);
    const upgraded = await inTenant(app.db, jelena, (tx) =>
      adoptVersion(tx, {
        tenantId: jelena.tenantId,
        versionId: v2.id,
        parameters: resolveTenantParameters(templateVersionSchema.parse(v2.definition)),
        positions: {},
        actorUserId: null,
        locale: 'en',
      }),
    );
    expect(upgraded.ok).toBe(true);

    // After the upgrade: the confirmed report and the draft started on version 1 keep it (and its
    // arithmetic); a new report is on version 2 and counts the hour the clocks repeat.
    const [stored] = await inTenant(app.db, jelena, (tx) => tx.select().from(documents).where(and(eq(documents.tenantId, jelena.tenantId), eq(documents.id, confirmedOnV1.id))));
    expect(stored).toMatchObject({ versionId: v1After.id, computed: { hours: '6.00' } });
    const submittedV1 = await inTenant(app.db, jelena, (tx) => submitDocument(tx, jelena, draftOnV1.id, draftOnV1.version, { actualStart: '00:00', actualEnd: '06:00', workDone: 'Попис' }));
    expect(submittedV1.ok && submittedV1.document).toMatchObject({ versionId: v1After.id, computed: { hours: '6.00' } });
    const onV2 = await reportFor('2028-10-29', true);
    expect(onV2).toMatchObject({ versionId: v2.id, computed: { hours: '7.00', nightHours: '7.00' } });
  });
});
