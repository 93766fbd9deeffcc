// The registry log, its CSV export and the registered document's PDF through HTTP against the
// built server: who may read what, and that another tenant learns nothing.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '#app/workflow/engine/actor';
import type { DocumentRow } from '#app/workflow/engine/transition.server';
import { actorOf } from '#tests/support/actors';
import { acted, overtimeRequest, submitted, whileAbsent } from '#tests/support/documents';
import { Client, signedIn } from '#tests/support/http';
import { startApp, type RunningApp } from '#tests/support/server';

let app: RunningApp;
let proxied: DocumentRow;
let direct: DocumentRow;
let pending: DocumentRow;

const clerk = 'ljiljana.cvetkovic@surdulica.test';
const log = '/t/surdulica/registry';
const csv = '/t/surdulica/registry.csv';
const pdf = (d: DocumentRow, slug = 'surdulica') => `/t/${slug}/documents/${d.id}/pdf`;
const pdfText = (bytes: ArrayBuffer) => execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: Buffer.from(bytes) }).toString('utf8').replace(/\s+/g, ' ');

const as = (email: string): Promise<Client> => signedIn(app.url, email);

beforeAll(async () => {
  app = await startApp();
  const db = app.app.db;
  const s = (name: string): Promise<Actor> => actorOf(db, 'surdulica', `${name}@surdulica.test`);
  const [nikola, jelena, marija] = await Promise.all(['nikola.petrovic', 'jelena.djordjevic', 'marija.stojanovic'].map(s));
  const first = await submitted(db, nikola, 'overtime-request', overtimeRequest('2026-12-02', '16:00', '19:00'));
  proxied = await whileAbsent(db, marija, jelena, () => acted(db, jelena, first, 'approved'));
  direct = await acted(db, marija, await submitted(db, jelena, 'overtime-request', overtimeRequest('2026-12-03', '16:00', '18:00')), 'approved');
  pending = await submitted(db, nikola, 'overtime-request', overtimeRequest('2026-12-09', '16:00', '17:00'));
});
afterAll(() => app?.stop());

describe('the registry clerk', () => {
  it('sees the registry log with every registered document, linked to its card and PDF', async () => {
    const c = await as(clerk);
    const res = await c.get(log);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1>Деловодник</h1>');
    expect(html).toContain('2 заведена документа');
    for (const d of [proxied, direct]) {
      expect(html).toContain(`href="/t/surdulica/documents/${d.id}">${d.registryNumber}</a>`);
      expect(html).toContain(`href="/t/surdulica/documents/${d.id}/pdf"`);
    }
    expect(html).not.toContain(pending.id);
    expect(html).toContain('Никола Петровић');
    expect(html).toContain('href="/t/surdulica/registry.csv"');
    expect(html).toMatch(/<a[^>]*href="\/t\/surdulica\/registry"[^>]*>Деловодник<\/a>/);
  });

  it('filters without JavaScript, in either script, and keeps a filter it could not use in its field', async () => {
    const c = await as(clerk);
    const found = await (await c.get(`${log}?q=petrovi%C4%87`)).text();
    expect(found).toContain(proxied.registryNumber!);
    expect(found).not.toContain(direct.registryNumber!);
    expect(found).toContain('href="/t/surdulica/registry.csv?q=petrovi%C4%87"');
    const bad = await c.get(`${log}?from=2026-13-45&q=%D0%8B`);
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('Унесите датум као дан, месец и годину.');
    expect(html).toContain('value="2026-13-45"');
    expect(html).toContain('href="#filter-from"');
  });

  it('downloads the log as CSV with a byte-order mark and a Serbian header', async () => {
    const c = await as(clerk);
    const res = await c.get(csv);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="delovodnik-surdulica-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('Деловодни број;Време завођења;Година;Класификација;Редни број;Документ;Подносилац;Организациона јединица;Стање');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`${direct.registryNumber};`);
    expect(lines[2]).toContain('Никола Петровић');
    expect((await c.get(`${csv}?year=two-thousand`)).status).toBe(400);
  });

  it('downloads a registered document as a PDF with an ASCII file name', async () => {
    const c = await as(clerk);
    const res = await c.get(pdf(proxied));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="delovodnik-${proxied.registryNumber!.replace('/', '-')}.pdf"`);
    const text = pdfText(await res.arrayBuffer());
    expect(text).toContain(proxied.registryNumber!);
    expect(text).toContain('Јелена Ђорђевић, Самостални саветник за пројекте — у име: Марија Стојановић');
  });

  it('gets 404 for a document that is not registered, and for an id that is not one', async () => {
    const c = await as(clerk);
    expect((await c.get(pdf(pending))).status).toBe(404);
    expect((await c.get('/t/surdulica/documents/not-a-uuid/pdf')).status).toBe(404);
  });
});

describe('everyone else', () => {
  it('lets the author and everyone on the line download the PDF, and no other colleague', async () => {
    for (const who of ['nikola.petrovic', 'jelena.djordjevic', 'marija.stojanovic']) {
      const res = await (await as(`${who}@surdulica.test`)).get(pdf(proxied));
      expect(res.status, who).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
    }
    const finance = await as('ivana.stankovic@surdulica.test');
    const refused = await finance.get(pdf(proxied));
    expect(refused.status).toBe(404);
    expect(await refused.text()).not.toContain(proxied.registryNumber!);
  });

  it('refuses the log and its CSV to a plain employee', async () => {
    const employee = await as('nikola.petrovic@surdulica.test');
    expect((await employee.get(log)).status).toBe(403);
    expect((await employee.get(csv)).status).toBe(403);
    const inbox = await (await employee.get('/t/surdulica/inbox')).text();
    expect(inbox).not.toContain('href="/t/surdulica/registry"');
  });

  it('shows a user of another tenant nothing of Surdulica’s log, export or documents', async () => {
    const agency = await as('vesna.popovic@apr.test');
    for (const path of [log, csv, pdf(proxied), pdf(direct), pdf(proxied, 'business-registers-agency')]) {
      const res = await agency.get(path);
      expect(res.status, path).toBe(404);
      const body = await res.text();
      for (const secret of [proxied.registryNumber!, 'Никола Петровић', 'Марија Стојановић', 'Сурдулица']) expect(body, path).not.toContain(secret);
    }
    // Her own agency's log is hers to read, and holds nothing of Surdulica.
    const own = await agency.get('/t/business-registers-agency/registry');
    expect(own.status).toBe(200);
    const html = await own.text();
    expect(html).toContain('0 заведених докумената');
    expect(html).not.toContain(proxied.id);
  });

  it('sends a visitor who is not signed in to the sign-in page', async () => {
    const anonymous = new Client(app.url);
    for (const path of [log, csv, pdf(proxied)]) {
      const res = await anonymous.get(path);
      expect(res.status, path).toBe(302);
      expect(res.headers.get('location')).toMatch(/^\/login\?/);
    }
  });
});
