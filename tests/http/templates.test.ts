// The catalog and adoption screens through HTTP: who may see and change what.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '#db/rows';
import { tenants } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { Client, signedIn } from '#tests/support/http';
import { startApp, type RunningApp } from '#tests/support/server';

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app?.stop());

const as = (email: string): Promise<Client> => signedIn(app.url, email);

const admin = 'milos.tomic@surdulica.test';
const nationalId = async () => (await app.app.db.select({ id: tenants.id }).from(tenants).where(eq(tenants.kind, 'national')))[0].id;
const slipPage = '/t/surdulica/admin/templates/overtime-pay-slip';

describe('tenant adoption screens', () => {
  it('lists the catalog with what the tenant adopted', async () => {
    const c = await as(admin);
    const res = await c.get('/t/surdulica/admin/templates');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Обрачун увећане зараде за прековремени рад');
    expect(html).toContain('Усвојена верзија 1');
  });

  it('refuses a premium below the legal minimum beside the field and keeps what was typed', async () => {
    const c = await as(admin);
    const page = await (await c.get(slipPage)).text();
    const versionId = /name="versionId" value="([^"]+)"/.exec(page)![1];
    const res = await c.post(slipPage, {
      versionId,
      'param:premium.overtime': '20',
      'param:premium.night': '26',
      'param:premium.holiday': '110',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/field__error[^>]*>[^<]*26/);
    expect(html).toContain('value="20"');
    const ok = await c.post(slipPage, { versionId, 'param:premium.overtime': '35', 'param:premium.night': '30', 'param:premium.holiday': '110' });
    expect(ok.status).toBe(302);
    // The adopted version is named: the shipped pay slip is version 2 (issue 22, negative corrections).
    expect(ok.headers.get('location')).toBe(`${slipPage}?saved=2`);
    expect(await (await c.get(slipPage)).text()).toContain('value="35"');
  });

  it('answers administrators saving the same adoption at the same moment with one save and translated conflicts, never a 500', async () => {
    const tabs = await Promise.all(Array.from({ length: 8 }, () => as(admin)));
    const page = await (await tabs[0].get(slipPage)).text();
    const versionId = /name="versionId" value="([^"]+)"/.exec(page)![1];
    const basedOn = /name="basedOn" value="([^"]*)"/.exec(page)![1];
    const answers = await Promise.all(
      tabs.map((tab, i) => tab.post(slipPage, { versionId, basedOn, 'param:premium.overtime': String(40 + i), 'param:premium.night': '30', 'param:premium.holiday': '110' })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([302, 409, 409, 409, 409, 409, 409, 409]);
    const refused = answers.find((r) => r.status === 409)!;
    const html = await refused.text();
    expect(html).toContain('Други администратор је управо усвојио или изменио овај образац.');
    expect(html).toMatch(/value="4\d"/);
  });

  it('gives staff without the right 403 and other tenants 404, for reading and for writing', async () => {
    const employee = await as('nikola.petrovic@surdulica.test');
    expect((await employee.get('/t/surdulica/admin/templates')).status).toBe(403);
    expect((await employee.get(slipPage)).status).toBe(403);
    expect((await employee.post(slipPage, { versionId: '00000000-0000-4000-8000-000000000000' })).status).toBe(403);
    const agencyAdmin = await as('milica.savic@apr.test');
    expect((await agencyAdmin.get(slipPage)).status).toBe(404);
    expect((await agencyAdmin.post(slipPage, { versionId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
  });
});

describe('upgrading', () => {
  it('shows the tenant admin what changes before adopting a newer version', async () => {
    const editor = await as('ana.markovic@ite.test');
    const versions = await (await editor.get('/national/templates/leave-request')).text();
    const v1 = /name="versionId" value="([^"]+)"/.exec(versions)![1];
    const draft = await editor.post('/national/templates/leave-request', { intent: 'newDraft', versionId: v1 });
    expect(draft.headers.get('location')).toBe('/national/templates/leave-request/v/2');
    const [row] = rowsOf<{ id: string }>(
      await app.owner.db.execute(sql`select id from template_versions where version = 2 and template_id = (select id from templates where key = 'leave-request')`),
    );
    // The editor's own forms are tested elsewhere; here the draft gains one field before publishing.
    await withTenantOn(app.app.db, { tenantId: (await nationalId()) }, (tx) =>
      tx.execute(sql`update template_versions set definition = jsonb_set(definition, '{fields}', definition->'fields' || '[{"name":"phone","type":"text","label":{"sr-Cyrl":"Телефон за хитне случајеве","en":"Emergency phone"}}]'::jsonb)
        where id = ${row.id}`),
    );
    const published = await editor.post('/national/templates/leave-request/v/2', { intent: 'publish' });
    expect(published.status).toBeLessThan(400);
    const admin = await as('milos.tomic@surdulica.test');
    const page = await (await admin.get('/t/surdulica/admin/templates/leave-request')).text();
    expect(page).toContain('Шта се мења од верзије 1 до верзије 2');
    expect(page).toMatch(/<code>phone<\/code>|phone/);
    expect(page).toContain('Усвоји верзију 2');
  });
});

describe('national catalog screens', () => {
  it('are for national-office editors only', async () => {
    const editor = await as('ana.markovic@ite.test');
    expect((await editor.get('/national/templates')).status).toBe(200);
    expect((await editor.get('/national/templates/overtime-request')).status).toBe(200);
    const reviewer = await as('petar.nikolic@ite.test');
    expect((await reviewer.get('/national/templates')).status).toBe(403);
    const tenantAdmin = await as(admin);
    expect((await tenantAdmin.get('/national/templates')).status).toBe(404);
    expect((await tenantAdmin.post('/national/templates/new', { key: 'x-template', titleCyrl: 'Х', titleEn: 'X', category: 'x', classification: '1' })).status).toBe(404);
  });

  it('creates a template draft with translated errors for bad input', async () => {
    const editor = await as('ana.markovic@ite.test');
    const bad = await editor.post('/national/templates/new', { key: 'Bad Key', titleCyrl: '', titleEn: 'Trip', category: 'travel', classification: 'x' });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('Користите мала латинична слова');
    expect(html).toContain('value="Bad Key"');
    const taken = await editor.post('/national/templates/new', { key: 'overtime-request', titleCyrl: 'Х', titleEn: 'X', category: 'labour', classification: '1' });
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain('Образац са овим кључем већ постоји.');
    const ok = await editor.post('/national/templates/new', { key: 'business-trip', titleCyrl: 'Путни налог', titleEn: 'Business trip order', category: 'travel', classification: '1' });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toBe('/national/templates/business-trip/v/1');
    const list = await (await editor.get('/national/templates')).text();
    expect(list).toContain('business-trip');
  });
});
