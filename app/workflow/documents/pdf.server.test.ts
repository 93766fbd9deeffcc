// Registered documents rendered to PDF and read back with poppler's pdftotext, the way a
// reader's viewer sees them: Cyrillic, Latin diacritics, a glyph the font lacks, the proxy mark.
import { execFileSync } from 'node:child_process';
import { PDFDocument } from '@cantoo/pdf-lib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '#app/auth/password.server';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { seedDemo } from '#tenants/demo';
import { actorOf, inTenant } from '#tests/support/actors';
import { acted, overtimeRequest, submitted, whileAbsent } from '#tests/support/documents';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import type { Actor } from '../engine/actor';
import type { DocumentRow } from '../engine/transition.server';
import type { Locale } from '../template/labels';
import { documentPdf, renderDocumentPdf } from './pdf.server';
import type { PrintableDocument } from './printable.server';

let database: TestDatabase;
let app: DatabaseHandle;
let nikola: Actor, jelena: Actor, marija: Actor, zoran: Actor, ivana: Actor, dragan: Actor, stefan: Actor;
let request: DocumentRow;
let slip: DocumentRow;
let pending: DocumentRow;

const raw = (pdf: Uint8Array) => execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');
/** The text with line breaks from wrapping folded, so phrases are found wherever a line ended. */
const text = (pdf: Uint8Array) => raw(pdf).replace(/\s+/g, ' ');

async function rendered(documentId: string, locale: Locale, tenantId = nikola.tenantId): Promise<Uint8Array | null> {
  return inTenant(app.db, { ...nikola, tenantId }, (tx) => renderDocumentPdf(tx, { tenantId, documentId, locale }));
}

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  app = connectPostgres(database.appUrl, { max: 4 });
  await seedDemo(app.db, hashPassword);
  const s = (name: string) => actorOf(app.db, 'surdulica', `${name}@surdulica.test`);
  [nikola, jelena, marija, zoran, ivana, dragan] = await Promise.all(
    ['nikola.petrovic', 'jelena.djordjevic', 'marija.stojanovic', 'zoran.ilic', 'ivana.stankovic', 'dragan.jovanovic'].map(s),
  );
  stefan = await actorOf(app.db, 'business-registers-agency', 'stefan.lazic@apr.test');

  // Nikola asks; Marija is away and Jelena approves on her behalf.
  const description = 'Припрема документације за конкурс ЕУ (šifra čćđšž ČĆĐŠŽ); корејски партнер: 초과근무 потврђен.';
  const submittedRequest = await submitted(app.db, nikola, 'overtime-request', overtimeRequest('2026-12-02', '16:00', '19:00', description));
  request = await whileAbsent(app.db, marija, jelena, () => acted(app.db, jelena, submittedRequest, 'approved', { comment: 'Одобравам у име руководиоца.' }));

  // Jelena's month: request, report, slip prepared by finance and approved twice.
  const own = await acted(app.db, marija, await submitted(app.db, jelena, 'overtime-request', overtimeRequest('2026-12-23', '20:00', '23:00')), 'approved');
  const report = await submitted(app.db, jelena, 'overtime-report', { actualStart: '20:00', actualEnd: '23:30', workDone: 'Завршена документација' }, own.id);
  await acted(app.db, marija, report, 'approved');
  const slipDraft = await submitted(app.db, ivana, 'overtime-pay-slip', { employee: jelena.membershipId, month: '2026-12' });
  const prepared = await acted(app.db, ivana, slipDraft, 'prepared', { raw: { hourlyRate: '812.40' } });
  slip = await acted(app.db, dragan, await acted(app.db, zoran, prepared, 'approved'), 'approved');

  pending = await submitted(app.db, nikola, 'overtime-request', overtimeRequest('2026-12-09', '16:00', '17:00'));
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('the PDF of a registered overtime request', () => {
  it('is registered and shows its number, the tenant in both scripts and the line in Cyrillic', async () => {
    expect(request.state).toBe('registered');
    const pdf = await rendered(request.id, 'sr-Cyrl');
    expect(pdf).not.toBeNull();
    const out = text(pdf!);
    expect(out).toContain(request.registryNumber!);
    expect(out).toMatch(/Деловодни број: 112-\d+\/\d{4}/);
    expect(out).toMatch(/Датум завођења: \d{2}\.\d{2}\.\d{4}\. \d{2}:\d{2}/);
    // Cyrillic name first, its Latin form below it.
    expect(out.indexOf('Општина Сурдулица')).toBeGreaterThanOrEqual(0);
    expect(out.indexOf('Opština Surdulica')).toBeGreaterThan(out.indexOf('Општина Сурдулица'));
    expect(out).toContain('Захтев за прековремени рад');
    expect(out).toContain('Никола Петровић, Референт за локални економски развој, Одељење за привреду и локални економски развој');
    expect(out).toContain('Изненадно повећање обима посла');
    expect(out).toContain('02.12.2026.');
    expect(out).toContain('3,00');
    expect(out).toContain('Одобрење руководиоца организационе јединице');
    expect(out).toContain('Јелена Ђорђевић, Самостални саветник за пројекте — у име: Марија Стојановић');
    expect(out).toMatch(/Одобрено · \d{2}\.\d{2}\.\d{4}\. \d{2}:\d{2}/);
    expect(out).toContain('Коментар: Одобравам у име руководиоца.');
    // HR still has to record it.
    expect(out).toContain('Снежана Митић, Референт за кадровске послове');
    expect(out).toContain('Чека');
    expect(out).toContain('Страна 1 од 1');
  });

  it('writes names in Latin, with every diacritic, in the Latin render', async () => {
    const out = text((await rendered(request.id, 'sr-Latn'))!);
    expect(out).toContain('Jelena Đorđević, Samostalni savetnik za projekte — u ime: Marija Stojanović');
    expect(out).toContain('Nikola Petrović');
    expect(out).toContain('šifra čćđšž ČĆĐŠŽ');
    expect(out).toContain('Zahtev za prekovremeni rad');
    expect(out).toContain('Opština Surdulica');
    expect(out).toContain('Strana 1 od 1');
  });

  it('prints what the font cannot show as U+FFFD and says so, instead of failing', async () => {
    const out = text((await rendered(request.id, 'sr-Cyrl'))!);
    expect(out).not.toContain('초과근무');
    expect(out).toContain('корејски партнер: \uFFFD\uFFFD\uFFFD\uFFFD потврђен.');
    expect(out).toContain('одштампани су као');
  });

  it('is in English for an English reader, with the names in Latin', async () => {
    const out = text((await rendered(request.id, 'en'))!);
    expect(out).toContain('Municipality of Surdulica');
    expect(out).not.toContain('Opština Surdulica');
    expect(out).toContain('Overtime request');
    expect(out).toContain('Sudden increase in workload');
    expect(out).toContain('3.00');
    expect(out).toContain('Jelena Đorđević, Samostalni savetnik za projekte — on behalf of Marija Stojanović');
    expect(out).toMatch(/Approved · \d{2}\.\d{2}\.\d{4}\. \d{2}:\d{2}/);
    expect(out).toContain('Page 1 of 1');
  });

  it('shows the pay slip’s amounts in dinars and the employee by name', async () => {
    expect(slip.state).toBe('registered');
    const out = text((await rendered(slip.id, 'sr-Cyrl'))!);
    expect(out).toContain('Јелена Ђорђевић');
    expect(out).toContain('812,40 дин.');
    expect(out).toContain('3.899,52 дин.');
    expect(out).toContain('12.2026.');
    const en = text((await rendered(slip.id, 'en'))!);
    expect(en).toContain('RSD 3,899.52');
  });

  it('is not made for a document that is not registered, nor for another tenant’s document', async () => {
    expect(pending.state).toBe('in_approval');
    expect(await rendered(pending.id, 'sr-Cyrl')).toBeNull();
    expect(await rendered(request.id, 'sr-Cyrl', stefan.tenantId)).toBeNull();
  });
});

describe('page layout', () => {
  const long: PrintableDocument = {
    id: '00000000-0000-4000-8000-000000000001',
    locale: 'sr-Cyrl',
    tenantName: 'Општина Сурдулица',
    tenantNameLatin: 'Opština Surdulica',
    title: 'Захтев за прековремени рад',
    registryNumber: '112-7/2026',
    registeredAt: { date: '02.12.2026.', time: '16:05' },
    state: 'registered',
    author: { name: 'Никола Петровић', position: 'Референт', unit: null },
    fields: Array.from({ length: 60 }, (_, i) => ({ label: `Поље ${i + 1}`, value: `Вредност поља ${i + 1} `.repeat(8) })),
    computed: [],
    line: [],
    rounds: 1,
  };

  it('flows onto numbered pages, each with the registry number', async () => {
    const pdf = await documentPdf(long);
    const pages = (await PDFDocument.load(pdf)).getPageCount();
    expect(pages).toBeGreaterThan(1);
    const perPage = raw(pdf).split('\f').filter((p) => p.trim());
    expect(perPage).toHaveLength(pages);
    perPage.forEach((p, i) => {
      expect(p).toContain('112-7/2026');
      expect(p).toContain(`Страна ${i + 1} од ${pages}`);
    });
    expect(perPage.at(-1)).toContain('Вредност поља 60');
  });

  it('breaks a word wider than the line instead of running off the page', async () => {
    const word = 'АБВГДЂЕЖЗИЈКЛЉМЊ'.repeat(20);
    const out = raw(await documentPdf({ ...long, fields: [{ label: 'Опис', value: word }] }));
    expect(out.replace(/\s/g, '')).toContain(word);
    for (const line of out.split('\n')) expect(line.length).toBeLessThan(120);
  });

  it('prints a textarea’s whole 4,000 characters of one word in well under a second, all of it', async () => {
    // One unbroken word at a textarea's default bound (issue 23): found taking minutes to lay out.
    const word = 'ЖШ"'.repeat(1334).slice(0, 4000);
    const started = performance.now();
    const pdf = await documentPdf({ ...long, fields: Array.from({ length: 4 }, (_, i) => ({ label: `Опис ${i + 1}`, value: word })) });
    expect(performance.now() - started).toBeLessThan(2000);
    // Every character printed (the pages' headers and footers come between its lines).
    const count = (text: string, ch: string) => text.split(ch).length - 1;
    expect(count(raw(pdf), 'Ж')).toBe(4 * count(word, 'Ж'));
  });
});
