// The document screens through HTTP: the overtime request from draft to registration, input
// kept on errors, stale actions, and the cross-tenant / wrong-role matrix for every route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, signedIn } from '#tests/support/http';
import { startApp, type RunningApp } from '#tests/support/server';

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app?.stop());

const as = (email: string): Promise<Client> => signedIn(app.url, email);

const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1];

async function newRequest(c: Client): Promise<string> {
  const res = await c.post('/t/surdulica/documents/new', { template: 'overtime-request' });
  expect(res.status).toBe(302);
  return res.headers.get('location')!;
}

let registeredCard = '';
let draftCard = '';

describe('an overtime request through the screens', () => {
  it('keeps what was typed and explains a labour-law refusal beside the field', async () => {
    const nikola = await as('nikola.petrovic@surdulica.test');
    const card = await newRequest(nikola);
    draftCard = card;
    const page = await (await nikola.get(card)).text();
    expect(page).toContain('Захтев за прековремени рад');
    const refused = await nikola.post(card, {
      intent: 'submit',
      version: field(page, 'version')!,
      date: '2026-12-09',
      plannedStart: '15:00',
      plannedEnd: '20:00',
      ground: 'workloadIncrease',
      description: 'Пет сати после редовног радног времена',
    });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toMatch(/12/);
    expect(html).toContain('value="20:00"');
    expect(html).toContain('Пет сати после редовног радног времена');
  });

  it('is submitted, approved by the head of unit, registered, and offers the result report', async () => {
    const nikola = await as('nikola.petrovic@surdulica.test');
    const card = await newRequest(nikola);
    const page = await (await nikola.get(card)).text();
    // The author fills the unit: every unit of the tenant is a choice.
    const units = [...(/<select[^>]*name="unit"[^>]*>(.*?)<\/select>/s.exec(page)?.[1] ?? '').matchAll(/<option value="([^"]+)">([^<]+)</g)].map((m) => ({ id: m[1], label: m[2] }));
    expect(units.length).toBeGreaterThan(1);
    const submitted = await nikola.post(card, {
      intent: 'submit',
      version: field(page, 'version')!,
      unit: units[1].id,
      date: '2026-12-09',
      plannedStart: '16:00',
      plannedEnd: '18:30',
      ground: 'unplannedDeadline',
      description: 'Завршетак пројектне документације',
    });
    expect(submitted.status).toBe(302);
    expect(submitted.headers.get('location')).toContain('done=submitted');

    const marija = await as('marija.stojanovic@surdulica.test');
    const inbox = await (await marija.get('/t/surdulica/inbox')).text();
    expect(inbox).toContain(card);
    const mine = await (await marija.get(card)).text();
    // The approver reads the unit by its name; the card does not send her every unit.
    expect(mine).toContain(`Организациона јединица</span><span class="field__value">${units[1].label}</span>`);
    expect(mine).not.toContain(units[2]?.label ?? units[0].label);
    const approved = await marija.post(card, { intent: 'act', version: field(mine, 'version')!, stepRowId: field(mine, 'stepRowId')!, outcome: 'approved', comment: '' });
    expect(approved.status).toBe(302);
    const after = await (await nikola.get(card)).text();
    expect(after).toMatch(/112-\d+\/2026/);
    expect(after).toContain('Заведен');
    expect(after).toContain('name="template" value="overtime-report"');
    registeredCard = card;

    // A second approval with the old version is refused as stale, not applied twice.
    const stale = await marija.post(card, { intent: 'act', version: field(mine, 'version')!, stepRowId: field(mine, 'stepRowId')!, outcome: 'approved' });
    expect(stale.status).toBe(409);
  });
});

describe('who reaches a document', () => {
  it('gives another tenant 404 on every document route and action, and nothing of the document', async () => {
    const vesna = await as('vesna.popovic@apr.test');
    const id = registeredCard.split('/').pop()!;
    const urls = [`/t/surdulica/documents/${id}`, '/t/surdulica/documents', '/t/surdulica/documents/new', '/t/surdulica/inbox', `/t/business-registers-agency/documents/${id}`];
    for (const url of urls) {
      const res = await vesna.get(url);
      expect(res.status, url).toBe(404);
      expect(await res.text(), url).not.toContain('Завршетак пројектне документације');
    }
    for (const intent of ['save', 'submit', 'withdraw', 'act']) {
      for (const url of [`/t/surdulica/documents/${id}`, `/t/business-registers-agency/documents/${id}`]) {
        const res = await vesna.post(url, { intent, version: '1', outcome: 'approved', stepRowId: id });
        expect(res.status, `${intent} ${url}`).toBe(404);
      }
    }
    expect((await vesna.post('/t/business-registers-agency/documents/new', { template: 'overtime-report', from: id })).status).toBe(404);
  });

  it('gives a colleague of the same tenant who is not on the document 404, for reading and acting', async () => {
    const jelena = await as('jelena.djordjevic@surdulica.test');
    for (const card of [registeredCard, draftCard]) {
      expect((await jelena.get(card)).status).toBe(404);
      expect((await jelena.post(card, { intent: 'save', version: '1', description: 'x' })).status).toBe(404);
      expect((await jelena.post(card, { intent: 'act', version: '1', outcome: 'approved' })).status).toBe(404);
      expect((await jelena.post(card, { intent: 'submit', version: '1' })).status).toBe(404);
      expect((await jelena.post(card, { intent: 'withdraw', version: '1' })).status).toBe(404);
    }
  });

  it('lets the registry office read registered documents only', async () => {
    const clerk = await as('ljiljana.cvetkovic@surdulica.test');
    expect((await clerk.get(registeredCard)).status).toBe(200);
    expect((await clerk.get(draftCard)).status).toBe(404);
  });
});

describe('attachments', () => {
  it('stores a scan with the incoming letter, refuses a wrong type beside the field, and serves it to the tenant only', async () => {
    const clerk = await as('ljiljana.cvetkovic@surdulica.test');
    const created = await clerk.post('/t/surdulica/documents/new', { template: 'incoming-mail' });
    const card = created.headers.get('location')!;
    const page = await (await clerk.get(card)).text();
    expect(page).toMatch(/enctype="multipart\/form-data"/i);
    const form = (file: Blob, name: string) => {
      const f = new FormData();
      f.set('intent', 'save');
      f.set('version', field(page, 'version')!);
      f.set('sender', 'Министарство државне управе и локалне самоуправе');
      f.set('subject', 'Допис о е-управи');
      f.set('scan', file, name);
      return f;
    };
    const wrong = await clerk.request(card, { method: 'POST', body: form(new Blob(['MZ'], { type: 'application/x-msdownload' }), 'virus.exe'), headers: { origin: app.url } });
    expect(wrong.status).toBe(400);
    const refused = await wrong.text();
    expect(refused).toContain('virus.exe');
    expect(refused).toContain('value="Допис о е-управи"');
    const pdf = new Blob(['%PDF-1.4 scanned letter'], { type: 'application/pdf' });
    const saved = await clerk.request(card, { method: 'POST', body: form(pdf, 'dopis.pdf'), headers: { origin: app.url } });
    expect(saved.status).toBe(302);
    const after = await (await clerk.get(card)).text();
    const href = /href="([^"]+\/attachments\/[^"]+)"/.exec(after)![1];
    const download = await clerk.get(href);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('attachment; filename="dopis.pdf"');
    expect(await download.text()).toBe('%PDF-1.4 scanned letter');
    // Only under its own document, even one the reader may see; and no id that is not one.
    const other = (await clerk.post('/t/surdulica/documents/new', { template: 'incoming-mail' })).headers.get('location')!;
    expect((await clerk.get(other)).status).toBe(200);
    expect((await clerk.get(href.replace(card, other))).status).toBe(404);
    expect((await clerk.get(href.replace(/[^/]+$/, 'dopis.pdf'))).status).toBe(404);
    expect((await clerk.get(href.replace(card, '/t/surdulica/documents/1'))).status).toBe(404);
    const vesna = await as('vesna.popovic@apr.test');
    expect((await vesna.get(href)).status).toBe(404);
    const jelena = await as('jelena.djordjevic@surdulica.test');
    expect((await jelena.get(href)).status).toBe(404);
  });
});

describe('notifications', () => {
  it('tells the author their request was registered, until they mark it read', async () => {
    const nikola = await as('nikola.petrovic@surdulica.test');
    const page = await (await nikola.get('/t/surdulica/notifications')).text();
    expect(page).toMatch(/Ваш документ је заведен под бројем 112-\d+\/2026: Захтев за прековремени рад/);
    expect(page).toMatch(/непрочитаних: \d+/);
    expect((await nikola.post('/t/surdulica/notifications', {})).status).toBe(302);
    expect(await (await nikola.get('/t/surdulica/notifications')).text()).not.toMatch(/непрочитаних/);
    const vesna = await as('vesna.popovic@apr.test');
    expect((await vesna.get('/t/surdulica/notifications')).status).toBe(404);
  });
});

describe('finance and settings pages', () => {
  it('lets finance close a month and the admin set delegations, and nobody else', async () => {
    const ivana = await as('ivana.stankovic@surdulica.test');
    const bad = await ivana.post('/t/surdulica/closed-months', { intent: 'close', month: 'last month' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Изаберите месец.');
    expect((await ivana.post('/t/surdulica/closed-months', { intent: 'close', month: '2025-10' })).status).toBe(302);
    expect(await (await ivana.get('/t/surdulica/closed-months')).text()).toMatch(/октобар 2025/i);
    const admin = await as('milos.tomic@surdulica.test');
    expect((await admin.get('/t/surdulica/admin/delegations')).status).toBe(200);
    const nikola = await as('nikola.petrovic@surdulica.test');
    expect((await nikola.get('/t/surdulica/closed-months')).status).toBe(403);
    expect((await nikola.post('/t/surdulica/closed-months', { intent: 'close', month: '2026-01' })).status).toBe(403);
    expect((await nikola.get('/t/surdulica/admin/delegations')).status).toBe(403);
    expect((await nikola.post('/t/surdulica/admin/delegations', { intent: 'add', role: 'employee', templateId: 'x' })).status).toBe(403);
    const vesna = await as('vesna.popovic@apr.test');
    expect((await vesna.get('/t/surdulica/admin/delegations')).status).toBe(404);
    expect((await vesna.post('/t/surdulica/closed-months', { intent: 'close', month: '2026-01' })).status).toBe(404);
  });
});
