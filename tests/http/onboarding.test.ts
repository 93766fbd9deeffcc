// Onboarding through HTTP as a browser without JavaScript: the wizard, the national review,
// the first administrator, an invitation, and who may reach the administration.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '#db/rows';
import { withTenantOn } from '#db/tenant';
import { DEMO_PASSWORD } from '#tenants/demo';
import { issueInvitationToken } from '#tenants/invitations';
import { encodeCodePage } from '#tests/support/codepage';
import { Client } from '#tests/support/http';
import { startApp, type RunningApp } from '#tests/support/server';

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app?.stop());

async function upload(c: Client, path: string, bytes: Uint8Array, name = 'staff.csv') {
  const form = new FormData();
  form.set('intent', 'upload');
  form.set('file', new Blob([Buffer.from(bytes)], { type: 'text/csv' }), name);
  return c.request(path, { method: 'POST', body: form, headers: { origin: app.url } });
}

describe('a municipality joins', () => {
  const applicant = new Client('http://placeholder');
  let slug = '';

  it('finds the application from the start page, where signing in and applying are two different words', async () => {
    const home = await (await new Client(app.url).get('/')).text();
    expect(home).toMatch(/<a class="button"[^>]* href="\/signup">Поднесите захтев за приступање<\/a>/);
    expect(home).toMatch(/<a class="button secondary"[^>]* href="\/login">Пријавите се<\/a>/);
    expect(home).not.toMatch(/подноси пријаву/);
    const start = await (await new Client(app.url).get('/signup')).text();
    expect(start).toContain('Поднеси захтев за приступање');
    expect(start).not.toMatch(/[Пп]ријав[уа] у име/);
  });

  it('goes through the wizard, with errors beside the fields and nothing lost', async () => {
    Object.assign(applicant, new Client(app.url));
    const start = await applicant.post('/signup', { intent: 'start' });
    expect(start.headers.get('location')).toBe('/signup/body');

    const bad = await applicant.post('/signup/body', { intent: 'next', kind: 'municipality', nameCyrl: 'Општина Власотинце', maticniBroj: '07245361', pib: '100981009', address: 'Трг ослобођења 16' });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('Овај матични број није исправан');
    expect(html).toContain('value="Општина Власотинце"');

    const known = await applicant.post('/signup/body', { intent: 'next', kind: 'municipality', nameCyrl: 'Општина Власотинце', maticniBroj: '07245360', pib: '100981009', address: 'Трг ослобођења 16' });
    expect(known.headers.get('location')).toBe('/signup/admin');
    // Going back shows what was saved.
    expect(await (await applicant.get('/signup/body')).text()).toContain('value="07245360"');

    expect((await applicant.post('/signup/admin', { intent: 'next', fullName: 'Јована Илић', position: 'Администратор', email: 'jovana@vlasotince.test', password: 'short', confirm: 'short' })).status).toBe(400);
    const admin = await applicant.post('/signup/admin', { intent: 'next', fullName: 'Јована Илић', position: 'Администратор', email: 'jovana@vlasotince.test', password: 'Kamen-Reka-Sunce-2026', confirm: 'Kamen-Reka-Sunce-2026' });
    expect(admin.headers.get('location')).toBe('/signup/units');

    expect((await applicant.post('/signup/units', { intent: 'add', code: 'OU', name: 'Општинска управа' })).status).toBe(302);
    expect((await applicant.post('/signup/units', { intent: 'add', code: 'FIN', name: 'Одељење за финансије', parentCode: 'OU' })).status).toBe(302);
    const dup = await applicant.post('/signup/units', { intent: 'add', code: 'fin', name: 'Друго' });
    expect(dup.status).toBe(400);
    expect(await dup.text()).toContain('Друга јединица има ову шифру.');
    expect((await applicant.post('/signup/units', { intent: 'next' })).headers.get('location')).toBe('/signup/staff');
  });

  it('reports every bad row of a Windows-1251 staff file and imports nothing until asked', async () => {
    const csv = [
      'е-пошта;име и презиме;радно место;јединица',
      'milan@vlasotince.test;Милан Ђорђевић;Референт;FIN',
      ';Без Адресе;Референт;FIN',
      'milan@vlasotince.test;Милан Други;Референт;FIN',
      'zorica@vlasotince.test;Зорица Живић;Референт;XYZ',
    ].join('\r\n');
    const res = await upload(applicant, '/signup/staff', encodeCodePage(csv, 'windows-1251'));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('windows-1251');
    expect(html).toContain('Ово поље је обавезно.');
    expect(html).toContain('Ова адреса е-поште се понавља.');
    expect(html).toContain('Нема такве јединице.');
    expect(await (await applicant.get('/signup/staff')).text()).toContain('Још нико није наведен.');
    const b64 = /name="csv" value="([^"]+)"/.exec(html)![1];
    const imported = await applicant.post('/signup/staff', { intent: 'importValid', csv: b64 });
    expect(imported.headers.get('location')).toBe('/signup/staff?notice=imported');
    const list = await (await applicant.get('/signup/staff')).text();
    expect(list).toContain('milan@vlasotince.test');
    expect(list).not.toContain('zorica@vlasotince.test');
    expect((await applicant.post('/signup/staff', { intent: 'next' })).headers.get('location')).toBe('/signup/templates');
  });

  it('submits, and a second application for the same body is explained', async () => {
    const templates = await applicant.get('/signup/templates');
    // The standard set comes preselected.
    const keys = [...(await templates.text()).matchAll(/<input[^>]*name="templates"[^>]*>/g)]
      .filter((m) => / checked=""/.test(m[0]))
      .map((m) => /value="([^"]+)"/.exec(m[0])![1]);
    expect(keys).toContain('overtime-request');
    const body = new URLSearchParams([['intent', 'next'], ...keys.map((k) => ['templates', k])]);
    const next = await applicant.request('/signup/templates', { method: 'POST', body, headers: { origin: app.url } });
    expect(next.headers.get('location')).toBe('/signup/review');
    // The rows the import left out are still there at the review, each with its reason.
    const review = await (await applicant.get('/signup/review')).text();
    expect(review).toContain('Из послате датотеке изостављена су 3 реда:');
    expect(review).toMatch(/ред 5 \(zorica@vlasotince\.test, Зорица Живић, Референт, XYZ\):(<!-- -->)? (<!-- -->)?Јединица: Нема такве јединице\./);
    expect((await applicant.post('/signup/review', { intent: 'submit' })).headers.get('location')).toBe('/signup');
    expect(await (await applicant.get('/signup')).text()).toContain('Захтев је поднет');

    const other = new Client(app.url);
    await other.post('/signup', { intent: 'start' });
    const again = await other.post('/signup/body', { intent: 'next', kind: 'municipality', nameLatn: 'Opština Vlasotince', maticniBroj: '07245360', pib: '100981009', address: 'Trg 1' });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Захтев за овај орган већ чека преглед.');
  });

  it('is approved by the national office; its administrator invites a colleague who lands in the inbox', async () => {
    const reviewer = new Client(app.url);
    await reviewer.signIn('petar.nikolic@ite.test', DEMO_PASSWORD);
    // The office's home says an application waits and leads to it.
    const home = await (await reviewer.get('/national')).text();
    expect(home).toMatch(/<span class="waiting__count">1<\/span> (<!-- -->)?захтев за приступање чека преглед/);
    expect(home).toContain('href="/national/signups"');
    const list = await (await reviewer.get('/national/signups')).text();
    const id = /\/national\/signups\/([0-9a-f-]{36})/.exec(list)![1];
    const approved = await reviewer.post(`/national/signups/${id}`, { intent: 'approve', slug: 'vlasotince' });
    expect(approved.headers.get('location')).toContain('decided=approved');
    slug = 'vlasotince';

    const admin = new Client(app.url);
    expect((await admin.signIn('jovana@vlasotince.test', 'Kamen-Reka-Sunce-2026')).status).toBe(302);
    // The new administrator's inbox is a checklist, not an empty page: units, staff, templates
    // and holidays came with the application; nobody stands in for anyone yet, and the pay
    // slip's approval line has roles nobody holds.
    const firstSteps = await (await admin.get(`/t/${slug}/inbox`)).text();
    expect(firstSteps).toContain('Први кораци');
    expect(firstSteps).toMatch(/<progress id="first-steps-progress" max="6" value="[1-5]"/);
    expect(firstSteps).toContain(`href="/t/${slug}/admin/substitutes"`);
    expect(firstSteps).toContain('Одредите ко замењује одсутног одобраваоца');
    expect(firstSteps).toMatch(/Ове улоге још нико нема[^<]*Руководилац јединице/);
    const staff = await admin.get(`/t/${slug}/admin/staff`);
    expect(staff.status).toBe(200);
    expect(await staff.text()).toContain('milan@vlasotince.test');
    const invited = await admin.post(`/t/${slug}/admin/staff`, { intent: 'invite', email: 'sara@vlasotince.test', fullName: 'Сара Стојановић', position: 'Референт писарнице', roles: 'registry_clerk' });
    expect(invited.status).toBe(302);

    // The email job mints the link when it sends; here the test does what it will do.
    const [tenant] = rowsOf<{ id: string }>(await app.app.db.execute(sql`select id from tenants where slug = ${slug}`));
    const token = await withTenantOn(app.app.db, { tenantId: tenant.id }, async (tx) => {
      const [inv] = rowsOf<{ id: string }>(
        await tx.execute(sql`select i.id from invitations i join memberships m on m.tenant_id = i.tenant_id and m.id = i.membership_id
          join users u on u.id = m.user_id where u.email = 'sara@vlasotince.test'`),
      );
      return issueInvitationToken(tx, tenant.id, inv.id);
    });
    const sara = new Client(app.url);
    expect((await sara.get(`/invite/${token}`)).status).toBe(200);
    const accepted = await sara.post(`/invite/${token}`, { password: 'Sara-lozinka-2026', confirm: 'Sara-lozinka-2026' });
    expect(accepted.headers.get('location')).toBe(`/t/${slug}/inbox`);
    expect((await sara.get(`/t/${slug}/inbox`)).status).toBe(200);
    // With no document yet, "my documents" offers to start the first one, here.
    const mine = await (await sara.get(`/t/${slug}/documents`)).text();
    expect(mine).toContain('Започните први документ');
    expect(mine).toContain('name="template" value="overtime-request"');
    expect(mine).not.toContain('value="overtime-pay-slip"');
    // Single use.
    expect((await new Client(app.url).get(`/invite/${token}`)).status).toBe(404);
    // Sara is no administrator; Surdulica's administrator is not of this tenant.
    expect((await sara.get(`/t/${slug}/admin/staff`)).status).toBe(403);
    const milos = new Client(app.url);
    await milos.signIn('milos.tomic@surdulica.test', DEMO_PASSWORD);
    expect((await milos.get(`/t/${slug}/admin/staff`)).status).toBe(404);
    expect((await milos.post(`/t/${slug}/admin/staff`, { intent: 'invite', email: 'x@evil.test', fullName: 'X', position: 'X' })).status).toBe(404);
  });

  it('keeps signup review to national reviewers', async () => {
    const editor = new Client(app.url);
    await editor.signIn('ana.markovic@ite.test', DEMO_PASSWORD);
    expect((await editor.get('/national/signups')).status).toBe(403);
    const clerk = new Client(app.url);
    await clerk.signIn('nikola.petrovic@surdulica.test', DEMO_PASSWORD);
    expect((await clerk.get('/national/signups')).status).toBe(404);
  });
});
