// The tenant administration through HTTP as a browser without JavaScript: who may reach each
// page and action, refusals beside the field with the typed value kept, and the national
// office suspending and deleting a tenant.
import { sql } from 'drizzle-orm';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { belgradeDate } from '#app/time/belgrade';
import { rowsOf } from '#db/rows';
import { withTenantOn } from '#db/tenant';
import { DEMO_PASSWORD } from '#tenants/demo';
import { issueInvitationToken } from '#tenants/invitations';
import { Client } from '#tests/support/http';
import { startApp, type RunningApp } from '#tests/support/server';

let app: RunningApp;
let admin: Client;
let clerk: Client;
let stranger: Client;
let surdulicaId: string;
const base = '/t/surdulica/admin';

async function signedIn(email: string): Promise<Client> {
  const c = new Client(app.url);
  expect((await c.signIn(email, DEMO_PASSWORD)).status).toBe(302);
  return c;
}

beforeAll(async () => {
  app = await startApp();
  [{ id: surdulicaId }] = rowsOf<{ id: string }>(await app.app.db.execute(sql`select id from tenants where slug = 'surdulica'`));
  [admin, clerk, stranger] = await Promise.all(['milos.tomic@surdulica.test', 'nikola.petrovic@surdulica.test', 'milica.savic@apr.test'].map(signedIn));
});
afterAll(() => app?.stop());

/** Membership ids by the name the staff list links. */
async function staffIds(): Promise<Map<string, string>> {
  const html = await (await admin.get(`${base}/staff`)).text();
  return new Map([...html.matchAll(/\/admin\/staff\/([0-9a-f-]{36})">([^<]+)</g)].map((m) => [m[2], m[1]]));
}

/** Unit ids by code, from the tree's edit links. */
async function unitIds(): Promise<Map<string, string>> {
  const html = await (await admin.get(`${base}/units`)).text();
  return new Map([...html.matchAll(/<a [^>]*>/g)].flatMap((m) => {
    const id = /edit=([0-9a-f-]{36})/.exec(m[0])?.[1];
    const code = /aria-label="[^"]*: ([^"]+)"/.exec(m[0])?.[1];
    return id && code ? [[code, id] as [string, string]] : [];
  }));
}

const fieldError = (html: string, text: string) => new RegExp(`class="field__error"[^>]*>[^<]*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(html);

describe('who reaches the administration', () => {
  it('lets the administrator in, answers 403 to a colleague and 404 with nothing of Surdulica to another tenant’s administrator', async () => {
    const nikola = (await staffIds()).get('Никола Петровић')!;
    expect(nikola).toBeDefined();
    const pages = [`${base}/staff/${nikola}`, `${base}/units`, `${base}/substitutes`, `${base}/settings`, `${base}/export`];
    for (const path of pages) {
      const page = await admin.get(path);
      expect(page.status, path).toBe(200);
      const html = await page.text();
      for (const link of ['/admin/staff', '/admin/units', '/admin/substitutes', '/admin/settings', '/admin/export', '/admin/templates', '/admin/delegations']) expect(html).toContain(link);
      expect((await clerk.get(path)).status, path).toBe(403);
      const foreign = await stranger.get(path);
      expect(foreign.status, path).toBe(404);
      const body = await foreign.text();
      expect(body).not.toMatch(/Сурдулиц|Surdulic|Никола|Петровић/);
    }
    const actions: Array<[string, Record<string, string>]> = [
      [`${base}/staff/${nikola}`, { intent: 'save', fullName: 'X', position: 'X' }],
      [`${base}/staff/${nikola}`, { intent: 'deactivate' }],
      [`${base}/units`, { intent: 'add', code: 'X', name: 'X' }],
      [`${base}/substitutes`, { intent: 'add', absentId: nikola, substituteId: nikola, startsOn: '2026-12-01', endsOn: '2026-12-02' }],
      [`${base}/settings`, { intent: 'save', registryFormat: '{seq}', defaultLocale: 'en' }],
      [`${base}/export.zip`, { intent: 'export' }],
    ];
    for (const [path, form] of actions) {
      expect((await clerk.post(path, form)).status, path).toBe(403);
      const foreign = await stranger.post(path, form);
      expect(foreign.status, path).toBe(404);
      expect(await foreign.text()).not.toMatch(/Сурдулиц|Surdulic|Никола/);
    }
    // Nothing changed: the colleague is still active and still called by their name.
    expect(await (await admin.get(`${base}/staff/${nikola}`)).text()).toContain('Измена: Никола Петровић');
  });
});

describe('staff', () => {
  it('edits a member, keeps what was typed on a refusal, and never leaves the tenant without an administrator', async () => {
    const ids = await staffIds();
    const nikola = ids.get('Никола Петровић')!;
    const milos = ids.get('Милош Томић')!;
    const page = `${base}/staff/${nikola}`;
    const bad = await admin.post(page, { intent: 'save', fullName: '', position: 'Виши референт за набавке' });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(fieldError(badHtml, 'Ово поље је обавезно.')).toBe(true);
    expect(badHtml).toContain('value="Виши референт за набавке"');

    const units = await unitIds();
    const saved = await admin.post(page, { intent: 'save', fullName: 'Никола Петровић', position: 'Виши референт за набавке', unitId: units.get('FIN') ?? '', roles: 'registry_clerk' });
    expect(saved.headers.get('location')).toBe(`${page}?notice=saved`);
    const after = await (await admin.get(page)).text();
    expect(after).toContain('value="Виши референт за набавке"');
    expect(after).toMatch(/<input[^>]*value="registry_clerk"[^>]*checked=""|<input[^>]*checked=""[^>]*value="registry_clerk"/);

    const lastAdmin = await admin.post(`${base}/staff/${milos}`, { intent: 'save', fullName: 'Милош Томић', position: 'Администратор', roles: 'hr' });
    expect(lastAdmin.status).toBe(409);
    expect(fieldError(await lastAdmin.text(), 'Организацији је потребан бар један активан администратор.')).toBe(true);
    const self = await admin.post(`${base}/staff/${milos}`, { intent: 'deactivate' });
    expect(self.status).toBe(409);
    expect(await self.text()).toContain('Не можете деактивирати себе.');

    expect((await admin.post(page, { intent: 'deactivate' })).headers.get('location')).toBe(`${page}?notice=deactivated`);
    // A deactivated member no longer reaches the tenant, on the session they already have.
    expect((await clerk.get('/t/surdulica/inbox')).status).toBe(404);
    expect((await admin.post(page, { intent: 'reactivate' })).headers.get('location')).toBe(`${page}?notice=reactivated`);
    expect((await clerk.get('/t/surdulica/inbox')).status).toBe(200);
    // Everyone in the demo has accepted: no new invitation for them.
    const reinvite = await admin.post(page, { intent: 'reinvite' });
    expect(reinvite.status).toBe(409);
    expect(await reinvite.text()).toContain('Ова особа је већ прихватила позив.');
  });

  it('sends a new invitation to someone who has not accepted: earlier links stop, the new one works', async () => {
    const invited = await admin.post(`${base}/staff`, { intent: 'invite', email: 'vesna@surdulica.test', fullName: 'Весна Радић', position: 'Референт' });
    expect(invited.status).toBe(302);
    const vesna = (await staffIds()).get('Весна Радић')!;
    // The email job mints the link when it sends; here the test does what it will do.
    const link = () =>
      withTenantOn(app.app.db, { tenantId: surdulicaId }, async (tx) => {
        const [inv] = rowsOf<{ id: string }>(await tx.execute(sql`select id from invitations where membership_id = ${vesna}`));
        return issueInvitationToken(tx, surdulicaId, inv.id);
      });
    const first = await link();
    expect((await new Client(app.url).get(`/invite/${first}`)).status).toBe(200);
    const again = await admin.post(`${base}/staff/${vesna}`, { intent: 'reinvite' });
    expect(again.headers.get('location')).toBe(`${base}/staff/${vesna}?notice=reinvited`);
    expect(await (await admin.get(again.headers.get('location')!)).text()).toContain('Нови позив је направљен и биће послат е-поштом.');
    expect((await new Client(app.url).get(`/invite/${first}`)).status).toBe(404);
    expect((await new Client(app.url).get(`/invite/${await link()}`)).status).toBe(200);
  });
});

describe('org units', () => {
  it('adds, renames, moves (refusing a cycle) and removes only an empty unit', async () => {
    const dup = await admin.post(`${base}/units`, { intent: 'add', code: 'fin', name: 'Друго одељење' });
    expect(dup.status).toBe(409);
    const dupHtml = await dup.text();
    expect(fieldError(dupHtml, 'Друга јединица има ову шифру.')).toBe(true);
    expect(dupHtml).toContain('value="Друго одељење"');
    const empty = await admin.post(`${base}/units`, { intent: 'add', code: '', name: 'Одсек без шифре' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('value="Одсек без шифре"');

    expect((await admin.post(`${base}/units`, { intent: 'add', code: 'ARH', name: 'Архива' })).headers.get('location')).toBe(`${base}/units?notice=added`);
    let ids = await unitIds();
    const arh = ids.get('ARH')!;
    expect((await admin.post(`${base}/units`, { intent: 'add', code: 'ARH-D', name: 'Дигитална архива', parentId: arh })).status).toBe(302);
    ids = await unitIds();
    const child = ids.get('ARH-D')!;

    const cycle = await admin.post(`${base}/units`, { intent: 'save', id: arh, code: 'ARH', name: 'Архива и писарница', parentId: child });
    expect(cycle.status).toBe(409);
    const cycleHtml = await cycle.text();
    expect(fieldError(cycleHtml, 'Јединица не може бити део саме себе.')).toBe(true);
    expect(cycleHtml).toContain('value="Архива и писарница"');

    expect((await admin.post(`${base}/units`, { intent: 'save', id: child, code: 'ARH-D', name: 'Електронска архива', parentId: '' })).status).toBe(302);
    expect((await admin.post(`${base}/units`, { intent: 'save', id: arh, code: 'ARH', name: 'Архива', parentId: child })).status).toBe(302);
    expect(await (await admin.get(`${base}/units`)).text()).toContain('Електронска архива');

    const inUse = await admin.post(`${base}/units`, { intent: 'delete', id: child });
    expect(inUse.status).toBe(409);
    expect(await inUse.text()).toContain('Јединица има подјединице или запослене');
    expect((await admin.post(`${base}/units`, { intent: 'delete', id: arh })).headers.get('location')).toBe(`${base}/units?notice=deleted`);
    expect((await admin.post(`${base}/units`, { intent: 'delete', id: child })).status).toBe(302);
    expect([...(await unitIds()).keys()]).not.toContain('ARH');
  });
});

describe('substitutes', () => {
  it('adds a period, refuses one for the same person or overlapping, ends one early and removes one', async () => {
    const ids = await staffIds();
    const marija = ids.get('Марија Стојановић')!;
    const jelena = ids.get('Јелена Ђорђевић')!;
    const same = await admin.post(`${base}/substitutes`, { intent: 'add', absentId: marija, substituteId: marija, startsOn: '2026-12-01', endsOn: '2026-12-10', note: 'Годишњи одмор' });
    expect(same.status).toBe(400);
    const sameHtml = await same.text();
    expect(fieldError(sameHtml, 'Изаберите неког другог.')).toBe(true);
    expect(sameHtml).toContain('value="Годишњи одмор"');
    expect(sameHtml).toContain('value="2026-12-10"');
    const order = await admin.post(`${base}/substitutes`, { intent: 'add', absentId: marija, substituteId: jelena, startsOn: '2026-12-10', endsOn: '2026-12-01' });
    expect(order.status).toBe(400);
    expect(fieldError(await order.text(), 'Крај је пре почетка.')).toBe(true);

    const today = belgradeDate();
    const added = await admin.post(`${base}/substitutes`, { intent: 'add', absentId: marija, substituteId: jelena, startsOn: today, endsOn: '2099-12-31', note: 'Боловање' });
    expect(added.headers.get('location')).toBe(`${base}/substitutes?notice=added`);
    const overlap = await admin.post(`${base}/substitutes`, { intent: 'add', absentId: marija, substituteId: jelena, startsOn: '2099-01-01', endsOn: '2099-01-02' });
    expect(overlap.status).toBe(409);
    expect(fieldError(await overlap.text(), 'Ова особа у том периоду већ има замену.')).toBe(true);

    const list = await (await admin.get(`${base}/substitutes`)).text();
    expect(list).toContain('Боловање');
    const id = /name="id" value="([0-9a-f-]{36})"/.exec(list)![1];
    expect((await admin.post(`${base}/substitutes`, { intent: 'end', id })).headers.get('location')).toBe(`${base}/substitutes?notice=ended`);
    const ended = await (await admin.get(`${base}/substitutes`)).text();
    expect(ended).not.toContain('2099-12-31');
    expect(ended).toContain(`>${today}<`);
    expect((await admin.post(`${base}/substitutes`, { intent: 'remove', id })).headers.get('location')).toBe(`${base}/substitutes?notice=removed`);
    expect(await (await admin.get(`${base}/substitutes`)).text()).not.toContain('Боловање');
    expect((await admin.post(`${base}/substitutes`, { intent: 'remove', id })).status).toBe(404);
  });
});

describe('settings', () => {
  it('shows the registry number a format gives, refuses a bad one beside the field and keeps it', async () => {
    const year = new Date().getFullYear();
    expect(await (await admin.get(`${base}/settings`)).text()).toContain(`112-14/${year}`);
    const bad = await admin.post(`${base}/settings`, { intent: 'save', registryFormat: '{class}-{month}/{year}', defaultLocale: 'sr-Cyrl' });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(fieldError(badHtml, 'Непозната ознака „month”.')).toBe(true);
    expect(badHtml).toContain('value="{class}-{month}/{year}"');
    const preview = await admin.post(`${base}/settings`, { intent: 'preview', registryFormat: '{unit}/{class}-{seq}/{year}', defaultLocale: 'sr-Cyrl' });
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain(`OU/112-14/${year}`);
    // A preview saves nothing.
    expect(await (await admin.get(`${base}/settings`)).text()).toContain('value="{class}-{seq}/{year}"');
    const saved = await admin.post(`${base}/settings`, { intent: 'save', registryFormat: '{class}/{seq}-{year}', defaultLocale: 'sr-Latn' });
    expect(saved.status).toBe(302);
    const after = await (await admin.get(`${base}/settings`)).text();
    expect(after).toContain(`112/14-${year}`);
    expect(after).toMatch(/<option value="sr-Latn" selected=""/);
  });

  it('lists the holidays of a year, adds and removes one of its own, and keeps the public holidays of any year', async () => {
    const page = await (await admin.get(`${base}/settings?year=2026`)).text();
    expect(page).toContain('2026-01-07');
    const bad = await admin.post(`${base}/settings?year=2026`, { intent: 'addHoliday', date: '2026-13-40', name: 'Дан општине Сурдулица' });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(fieldError(badHtml, 'Унесите датум.')).toBe(true);
    expect(badHtml).toContain('value="Дан општине Сурдулица"');
    expect((await admin.post(`${base}/settings`, { intent: 'addHoliday', date: '2026-10-08', name: 'Дан општине Сурдулица' })).headers.get('location')).toBe(
      `${base}/settings?notice=holidayAdded&year=2026`,
    );
    expect(await (await admin.get(`${base}/settings?year=2026`)).text()).toContain('Дан општине Сурдулица');
    expect((await admin.post(`${base}/settings`, { intent: 'removeHoliday', date: '2026-10-08' })).status).toBe(302);
    expect(await (await admin.get(`${base}/settings?year=2026`)).text()).not.toContain('Дан општине Сурдулица');
    expect((await admin.post(`${base}/settings`, { intent: 'removeHoliday', date: '2026-10-08' })).status).toBe(404);

    // A year nobody touched has its holidays, Orthodox Easter and the Sunday rule included:
    // in 2040 Easter is on 6 May, and New Year's Day falls on a Sunday.
    const later = await (await admin.get(`${base}/settings?year=2040`)).text();
    for (const date of ['2040-01-01', '2040-01-02', '2040-01-03', '2040-05-04', '2040-05-07', '2040-11-12']) expect(later).toContain(date);
    expect(later).toContain('нерадни дан уместо недеље');
    // The law's days are not the administrator's to remove or rename.
    const removeLaw = await admin.post(`${base}/settings`, { intent: 'removeHoliday', date: '2040-05-07' });
    expect(removeLaw.status).toBe(409);
    expect(await removeLaw.text()).toContain('државни празник по закону');
    const renameLaw = await admin.post(`${base}/settings?year=2040`, { intent: 'addHoliday', date: '2040-01-07', name: 'Нешто друго' });
    expect(renameLaw.status).toBe(400);
    expect(fieldError(await renameLaw.text(), 'Овај датум је државни празник по закону; увек је нерадни дан и овде се не може мењати.')).toBe(true);
  });
});

describe('the staff import', () => {
  it('stores the people it reports as invited (read back from the database and the staff list)', async () => {
    const csv = ['е-пошта;име и презиме;радно место;јединица', 'uvoz.prvi@surdulica.test;Петар Увозић;Референт;PRV', 'uvoz.drugi@surdulica.test;Ана Увозић;Референт;FIN'].join('\r\n');
    const form = new FormData();
    form.set('intent', 'upload');
    form.set('file', new Blob([Buffer.from(csv, 'utf8')], { type: 'text/csv' }), 'staff.csv');
    const res = await admin.request(`${base}/staff`, { method: 'POST', body: form, headers: { origin: app.url } });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${base}/staff?imported=2`);
    const stored = rowsOf<{ email: string; invited: number }>(
      await withTenantOn(app.app.db, { tenantId: surdulicaId }, (tx) =>
        tx.execute(sql`select u.email, (select count(*)::int from invitations i where i.membership_id = m.id) as invited
          from memberships m join users u on u.id = m.user_id where u.email like 'uvoz.%' order by u.email`),
      ),
    );
    expect(stored).toEqual([
      { email: 'uvoz.drugi@surdulica.test', invited: 1 },
      { email: 'uvoz.prvi@surdulica.test', invited: 1 },
    ]);
    const list = await (await admin.get(`${base}/staff`)).text();
    expect(list).toContain('Петар Увозић');
    expect(list).toContain('Ана Увозић');
  });
});

describe('export', () => {
  it('downloads the tenant’s archive', async () => {
    const res = await admin.post(`${base}/export.zip`, { intent: 'export' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="delovod-surdulica-\d{4}-\d{2}-\d{2}\.zip"/);
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['manifest.json', 'documents.csv', 'registry-log.csv', 'audit-events.csv', 'staff.csv']));
    const staff = strFromU8(files['staff.csv']);
    expect(staff).toContain('milos.tomic@surdulica.test');
    expect(staff).not.toContain('@apr.test');
    expect(strFromU8(files['audit-events.csv'])).toContain('tenant.exported');
  });
});

describe('the national office', () => {
  it('suspends a tenant (its people no longer reach it) and deletes it once its address is typed', async () => {
    const reviewer = await signedIn('petar.nikolic@ite.test');
    expect((await admin.get('/national/tenants')).status).toBe(404);
    const list = await (await reviewer.get('/national/tenants')).text();
    const agency = [...list.matchAll(/<section[\s\S]*?<\/section>/g)].map((m) => m[0]).find((s) => s.includes('business-registers-agency'))!;
    const agencyId = /name="id" value="([0-9a-f-]{36})"/.exec(agency)![1];

    expect((await stranger.get('/t/business-registers-agency/inbox')).status).toBe(200);
    expect((await reviewer.post('/national/tenants', { id: agencyId, intent: 'suspend' })).status).toBe(302);
    expect((await stranger.get('/t/business-registers-agency/inbox')).status).toBe(404);
    const again = await signedIn('milica.savic@apr.test');
    expect((await again.get('/t/business-registers-agency/inbox')).status).toBe(404);

    const wrong = await reviewer.post('/national/tenants', { id: agencyId, intent: 'delete', confirm: 'business-registers' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('Упишите адресу организације тачно како је приказана.');
    const deleted = await reviewer.post('/national/tenants', { id: agencyId, intent: 'delete', confirm: 'business-registers-agency' });
    expect(deleted.headers.get('location')).toMatch(/^\/national\/tenants\?deleted=/);
    expect(await (await reviewer.get('/national/tenants')).text()).not.toContain('business-registers-agency');
    // Her only organisation is gone, and her account with it.
    expect((await new Client(app.url).signIn('milica.savic@apr.test', DEMO_PASSWORD)).status).toBe(401);
    // Surdulica is untouched.
    expect((await admin.get(`${base}/staff`)).status).toBe(200);
  });
});
