// The registry log against PostgreSQL as the runtime role: only registered documents, only the
// tenant's own, in registry order, filtered, paged both ways, and exported as CSV.
import { eq, sql } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '#app/auth/password.server';
import { belgradeDate } from '#app/time/belgrade';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { memberships } from '#db/schema';
import { seedDemo } from '#tenants/demo';
import { actorOf, inTenant } from '#tests/support/actors';
import { acted, overtimeRequest, submitted } from '#tests/support/documents';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import type { Actor } from '../engine/actor';
import type { DocumentRow } from '../engine/transition.server';
import type { Locale } from '../template/labels';
import {
  formatCursor,
  parseCursor,
  parseRegistryQuery,
  registryFacets,
  registryLog,
  registryLogCsv,
  type RegistryCursor,
  type RegistryFilter,
} from './registry-log.server';

let database: TestDatabase;
let app: DatabaseHandle;
let nikola: Actor, jelena: Actor, marija: Actor, ljiljana: Actor, stefan: Actor, vesna: Actor;
/** Surdulica's registered documents, in the order they were registered. */
const registered: DocumentRow[] = [];
let unregistered: DocumentRow;
let foreign: DocumentRow;

const newest: RegistryFilter = { order: 'desc' };
const log = (filter: RegistryFilter, page: { after?: RegistryCursor; before?: RegistryCursor; limit?: number } = {}, actor = ljiljana) =>
  inTenant(app.db, actor, (tx) => registryLog(tx, ljiljana.tenantId, filter, { limit: 50, ...page }));
const numbers = (entries: { registryNumber: string }[]) => entries.map((e) => e.registryNumber);

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  app = connectPostgres(database.appUrl, { max: 4 });
  await seedDemo(app.db, hashPassword);
  const s = (name: string) => actorOf(app.db, 'surdulica', `${name}@surdulica.test`);
  [nikola, jelena, marija, ljiljana] = await Promise.all(['nikola.petrovic', 'jelena.djordjevic', 'marija.stojanovic', 'ljiljana.cvetkovic'].map(s));
  [stefan, vesna] = await Promise.all(['stefan.lazic', 'vesna.popovic'].map((n) => actorOf(app.db, 'business-registers-agency', `${n}@apr.test`)));

  for (const [author, date] of [
    [nikola, '2026-12-01'],
    [jelena, '2026-12-02'],
    [nikola, '2026-12-08'],
    [jelena, '2026-12-09'],
  ] as const) {
    registered.push(await acted(app.db, marija, await submitted(app.db, author, 'overtime-request', overtimeRequest(date, '16:00', '18:00')), 'approved'));
  }
  const leave = { leaveType: 'annual', startDate: '2026-12-21', endDate: '2026-12-25', workingDays: '5', substitute: jelena.membershipId };
  registered.push(await acted(app.db, marija, await submitted(app.db, nikola, 'leave-request', leave), 'approved'));
  unregistered = await submitted(app.db, nikola, 'overtime-request', overtimeRequest('2026-12-15', '16:00', '17:00'));
  // The agency keeps no HR officer in the demo; its administrator takes the role so its line resolves.
  await inTenant(app.db, vesna, (tx) => tx.update(memberships).set({ roles: sql`array_append(${memberships.roles}, 'hr')` }).where(eq(memberships.fullName, 'Милица Савић')));
  foreign = await acted(app.db, vesna, await submitted(app.db, stefan, 'overtime-request', overtimeRequest('2026-12-02', '16:00', '18:00')), 'approved');
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('the registry log', () => {
  it('lists the tenant’s registered documents only, newest registry number first', async () => {
    expect(registered.every((d) => d.registryNumber)).toBe(true);
    expect(foreign.registryNumber).toBeTruthy();
    const page = await log(newest);
    expect(page.total).toBe(5);
    const ids = page.entries.map((e) => e.id);
    expect(ids).not.toContain(unregistered.id);
    expect(ids).not.toContain(foreign.id);
    // Year, classification, then sequence — all descending: the latest registration first.
    expect(numbers(page.entries)).toEqual(numbers([...registered].reverse().map((d) => ({ registryNumber: d.registryNumber! }))));
    expect(page.entries[1]).toMatchObject({ authorName: 'Јелена Ђорђевић', unitName: 'Одељење за привреду и локални економски развој', templateKey: 'overtime-request' });
    expect(page.entries[1].title['sr-Cyrl']).toBe('Захтев за прековремени рад');
    expect(page.entries[0].title.en).toBe('Leave request');
    expect(page.next).toBeNull();
    expect(page.previous).toBeNull();
  });

  it('reads in the book’s own order when asked', async () => {
    const page = await log({ order: 'asc' });
    expect(numbers(page.entries)).toEqual(registered.map((d) => d.registryNumber));
  });

  it('filters by classification, kind of document, year and registration date', async () => {
    expect((await log({ ...newest, classification: '112' })).total).toBe(5);
    expect((await log({ ...newest, classification: '0' })).total).toBe(0);
    expect((await log({ ...newest, template: 'overtime-request' })).total).toBe(4);
    expect(numbers((await log({ ...newest, template: 'leave-request' })).entries)).toEqual([registered[4].registryNumber]);
    expect((await log({ ...newest, template: 'overtime-report' })).total).toBe(0);
    expect((await log({ ...newest, year: registered[0].registryYear! })).total).toBe(5);
    expect((await log({ ...newest, year: 1999 })).total).toBe(0);
    const today = belgradeDate();
    expect((await log({ ...newest, from: today, to: today })).total).toBe(5);
    expect((await log({ ...newest, from: '2000-01-01', to: '2000-12-31' })).total).toBe(0);
  });

  it('searches registry numbers, titles and authors in either script, wildcards taken literally', async () => {
    expect((await log({ ...newest, q: 'petrović' })).entries.map((e) => e.authorName)).toEqual(['Никола Петровић', 'Никола Петровић', 'Никола Петровић']);
    expect((await log({ ...newest, q: 'ЂОРЂЕВИЋ' })).total).toBe(2);
    expect((await log({ ...newest, q: 'prekovremeni' })).total).toBe(4);
    expect((await log({ ...newest, q: 'Leave' })).total).toBe(1);
    expect((await log({ ...newest, q: 'одсуство' })).total).toBe(1);
    expect(numbers((await log({ ...newest, q: registered[2].registryNumber! })).entries)).toEqual([registered[2].registryNumber]);
    expect((await log({ ...newest, q: '%' })).total).toBe(0);
    expect((await log({ ...newest, q: '_' })).total).toBe(0);
  });

  it('pages forward and back by registry number', async () => {
    const all = numbers((await log(newest)).entries);
    const forward: string[][] = [];
    let page = await log(newest, { limit: 2 });
    forward.push(numbers(page.entries));
    while (page.next) {
      page = await log(newest, { after: page.next, limit: 2 });
      forward.push(numbers(page.entries));
    }
    expect(forward.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(forward.flat()).toEqual(all);
    expect(page.previous).not.toBeNull();
    const back = await log(newest, { before: page.previous!, limit: 2 });
    expect(numbers(back.entries)).toEqual(forward[1]);
    const first = await log(newest, { before: back.previous!, limit: 2 });
    expect(numbers(first.entries)).toEqual(forward[0]);
    expect(first.previous).toBeNull();
    expect(first.next).not.toBeNull();
  });

  it('shows nothing of a tenant to another tenant’s scope', async () => {
    const page = await log(newest, {}, stefan);
    expect(page.entries).toEqual([]);
    expect(page.total).toBe(0);
    const facets = await inTenant(app.db, stefan, (tx) => registryFacets(tx, ljiljana.tenantId));
    expect(facets).toEqual({ years: [], classifications: [], templates: [] });
  });

  it('offers the years, classifications and kinds of document the log holds', async () => {
    const facets = await inTenant(app.db, ljiljana, (tx) => registryFacets(tx, ljiljana.tenantId));
    expect(facets.years).toEqual([registered[0].registryYear]);
    expect(facets.classifications).toEqual(['112']);
    expect(facets.templates.map((t) => t.key)).toEqual(['leave-request', 'overtime-request']);
  });
});

describe('reading the filter from the address', () => {
  it('keeps good values and names the ones it had to leave out', () => {
    const ok = parseRegistryQuery(new URLSearchParams({ year: '2026', classification: '112', template: 'overtime-request', from: '2026-01-01', to: '2026-12-31', q: ' Петровић ', order: 'asc' }));
    expect(ok).toEqual({
      filter: { year: 2026, classification: '112', template: 'overtime-request', from: '2026-01-01', to: '2026-12-31', q: 'Петровић', order: 'asc' },
      errors: {},
    });
    const bad = parseRegistryQuery(new URLSearchParams({ year: 'двехиљаде', classification: '1;drop', template: 'Bad Key', from: '2026-02-30', q: 'x'.repeat(201), order: 'sideways' }));
    expect(bad).toEqual({ filter: { order: 'desc' }, errors: { year: 'year', classification: 'classification', template: 'template', from: 'date', q: 'q' } });
    expect(parseRegistryQuery(new URLSearchParams({ from: '2026-12-31', to: '2026-01-01' }))).toEqual({
      filter: { order: 'desc', from: '2026-12-31' },
      errors: { to: 'range' },
    });
  });

  it('reads a cursor it wrote, and treats anything else as the first page', () => {
    const c = { year: 2026, classification: '1-12', seq: 41 };
    expect(parseCursor(formatCursor(c))).toEqual(c);
    for (const bad of [null, '', '2026_112', '2026_x_1', "2026_112_1' or 1=1", '2026_--_1']) expect(parseCursor(bad)).toBeUndefined();
  });
});

describe('the CSV export', () => {
  async function csv(locale: Locale, batch?: number): Promise<Buffer> {
    const stream = registryLogCsv((fn) => inTenant(app.db, ljiljana, fn), ljiljana.tenantId, newest, locale, { batch });
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
  }

  it('is UTF-8 with a byte-order mark, a Serbian header and Excel’s Serbian separator', async () => {
    const bytes = await csv('sr-Cyrl');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const data = parse(bytes.toString('utf8').slice(1), { delimiter: ';', record_delimiter: '\r\n' }) as string[][];
    expect(data[0]).toEqual(['Деловодни број', 'Време завођења', 'Година', 'Класификација', 'Редни број', 'Документ', 'Подносилац', 'Организациона јединица', 'Стање']);
    expect(data).toHaveLength(6);
    expect(data[2][0]).toBe(registered[3].registryNumber);
    expect(data[2][1]).toMatch(/^\d{2}\.\d{2}\.\d{4}\. \d{2}:\d{2}$/);
    expect(data[2].slice(2, 5)).toEqual([String(registered[3].registryYear), '112', String(registered[3].registrySeq)]);
    expect(data[2].slice(5)).toEqual(['Захтев за прековремени рад', 'Јелена Ђорђевић', 'Одељење за привреду и локални економски развој', 'Заведено']);
    expect(data[1].slice(5, 7)).toEqual(['Захтев за одсуство', 'Никола Петровић']);
  });

  it('is the same file whatever the batch size, in English with commas and Latin names', async () => {
    const whole = await csv('en');
    expect((await csv('en', 2)).equals(whole)).toBe(true);
    const data = parse(whole.toString('utf8').slice(1), { delimiter: ',', record_delimiter: '\r\n' }) as string[][];
    expect(data[0][0]).toBe('Registry number');
    expect(data[2].slice(5, 8)).toEqual(['Overtime request', 'Jelena Đorđević', 'Economy and Local Development Department']);
    expect(data).toHaveLength(6);
  });
});
