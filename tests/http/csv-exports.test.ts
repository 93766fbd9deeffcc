// Every CSV a user can download — the registry log, the monthly overtime report (from the pages
// and through the API) and each table of the tenant export — through the built server, with names and texts that start with each
// character a spreadsheet would run: no downloaded cell can be taken for a formula.
import { and, eq, inArray } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addApiClient } from '#app/api/clients.server';
import { parseCsv } from '#app/csv/csv.server';
import type { Actor } from '#app/workflow/engine/actor';
import { adoptions, documents, holidays, memberships, orgUnits, reports, substitutes, templates } from '#db/schema';
import { createMailer } from '#jobs/email/transport';
import { drainOutbox } from '#jobs/inline';
import { DEMO_PASSWORD } from '#tenants/demo';
import { actorOf, inTenant } from '#tests/support/actors';
import { Client } from '#tests/support/http';
import { startApp, type RunningApp } from '#tests/support/server';
import { couldRunAsFormula, formulaStarts } from '#tests/support/spreadsheet';

let app: RunningApp;
let mailDir: string;
let ivana: Actor;

const people = ['dragan.jovanovic', 'marija.stojanovic', 'nikola.petrovic', 'jelena.djordjevic', 'snezana.mitic', 'ljiljana.cvetkovic', 'zoran.ilic', 'ivana.stankovic'];
const units = ['OU', 'PRV', 'OPS', 'FIN'];
/** A name as an attacker would give it: a formula start, then Cyrillic (the same in every script of the export). */
const planted = (i: number) => `${formulaStarts[i % formulaStarts.length]}Име${i}`;

async function as(email: string): Promise<Client> {
  const c = new Client(app.url);
  expect((await c.signIn(`${email}@surdulica.test`, DEMO_PASSWORD)).status).toBe(302);
  return c;
}

/** Cells of a downloaded CSV, after its byte order mark. */
function cellsOf(bytes: Uint8Array): string[] {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parseCsv(new TextDecoder().decode(bytes)).flat();
}

/** No cell could run; and each planted start is there, neutralised, as often as `expected` says. */
function expectNeutralised(cells: string[], what: string): void {
  const running = cells.filter(couldRunAsFormula);
  expect(running, what).toEqual([]);
  for (const start of formulaStarts) expect(cells.some((c) => c.startsWith(`'${start}Име`)), `${what}: ${JSON.stringify(start)}`).toBe(true);
}

beforeAll(async () => {
  mailDir = await mkdtemp(join(tmpdir(), 'delovod-mail-'));
  app = await startApp({ MAIL_DIR: mailDir, REDIS_URL: '', SMTP_URL: '' });
  const actors = await Promise.all(people.map((p) => actorOf(app.app.db, 'surdulica', `${p}@surdulica.test`)));
  ivana = actors[people.indexOf('ivana.stankovic')];
  await inTenant(app.app.db, ivana, async (tx) => {
    const tenantId = ivana.tenantId;
    for (const [i, a] of actors.entries()) {
      await tx.update(memberships).set({ fullName: planted(i), position: planted(i + 1) }).where(and(eq(memberships.tenantId, tenantId), eq(memberships.id, a.membershipId)));
    }
    for (const [i, code] of units.entries()) await tx.update(orgUnits).set({ name: planted(i), nameEn: planted(i + 4) }).where(and(eq(orgUnits.tenantId, tenantId), eq(orgUnits.code, code)));
    await tx.insert(holidays).values(formulaStarts.map((_, i) => ({ tenantId, date: `2031-0${1 + Math.floor(i / 3)}-1${i % 3}`, name: planted(i) })));
    await tx.insert(substitutes).values(formulaStarts.map((_, i) => ({ tenantId, absentMembershipId: actors[i].membershipId, substituteMembershipId: actors[(i + 1) % actors.length].membershipId, startsOn: '2031-06-01', endsOn: '2031-06-02', note: planted(i) })));
    const adopted = await tx
      .select({ key: templates.key, templateId: adoptions.templateId, versionId: adoptions.versionId })
      .from(adoptions)
      .innerJoin(templates, eq(templates.id, adoptions.templateId))
      .where(and(eq(adoptions.tenantId, tenantId), inArray(templates.key, ['overtime-request', 'overtime-pay-slip'])));
    const request = adopted.find((a) => a.key === 'overtime-request')!;
    const slip = adopted.find((a) => a.key === 'overtime-pay-slip')!;
    const unitOf = new Map((await tx.select({ id: memberships.id, unit: memberships.orgUnitId }).from(memberships).where(eq(memberships.tenantId, tenantId))).map((m) => [m.id, m.unit]));
    // A registered document by each of them, and an approved pay slip for each in May 2026.
    await tx.insert(documents).values(
      actors.map((a, i) => ({
        tenantId, templateId: request.templateId, versionId: request.versionId, authorId: a.membershipId, authorUnitId: unitOf.get(a.membershipId), state: 'registered' as const,
        values: { date: '2026-05-04' }, registryNumber: `999-${i + 1}/2026`, registryYear: 2026, registryClass: '999', registrySeq: i + 1, registeredAt: new Date(), submittedAt: new Date(), decidedAt: new Date(),
      })),
    );
    await tx.insert(documents).values(
      actors.map((a) => ({
        tenantId, templateId: slip.templateId, versionId: slip.versionId, authorId: ivana.membershipId, state: 'approved' as const,
        values: { employee: a.membershipId, month: '2026-05', totalHours: '2.00', nightHours: '0.00', holidayHours: '0.00', hourlyRate: '812.40' },
        computed: { baseAmount: '100.00', overtimeIncrease: '26.00', nightIncrease: '0.00', holidayIncrease: '0.00', totalAmount: '126.00' },
      })),
    );
  });
});
afterAll(async () => {
  await app?.stop();
  await rm(mailDir, { recursive: true, force: true });
});

describe('every CSV download neutralises formulas', () => {
  it('the registry log', async () => {
    const clerk = await as('ljiljana.cvetkovic');
    for (const query of ['', '?order=asc&year=2026']) {
      const res = await clerk.get(`/t/surdulica/registry.csv${query}`);
      expect(res.status).toBe(200);
      expectNeutralised(cellsOf(new Uint8Array(await res.arrayBuffer())), `registry.csv${query}`);
    }
  });

  it('the monthly overtime report', async () => {
    const finance = await as('ivana.stankovic');
    expect((await finance.post('/t/surdulica/reports', { period: '2026-05' })).status).toBe(302);
    await drainOutbox({ db: app.app.db, mailer: createMailer({ mailDir, from: 'test@delovod.test' }), log: pino({ level: 'silent' }), now: () => new Date() });
    const [report] = await inTenant(app.app.db, ivana, (tx) => tx.select().from(reports).where(and(eq(reports.tenantId, ivana.tenantId), eq(reports.period, '2026-05'))));
    expect(report.status).toBe('done');
    const res = await finance.get(`/t/surdulica/reports/${report.id}.csv`);
    expect(res.status).toBe(200);
    expectNeutralised(cellsOf(new Uint8Array(await res.arrayBuffer())), 'report CSV');
    // An integrator downloads the same file through the API.
    const client = await inTenant(app.app.db, ivana, (tx) =>
      addApiClient(tx, ivana, { name: 'reports', scopes: ['read:reports'], membershipId: ivana.membershipId, expiresOn: '', rateLimitPerMinute: 60 }),
    );
    const api = await fetch(`${app.url}/api/v1/reports/${report.id}/csv`, { headers: { authorization: `Bearer ${client!.token}` } });
    expect(api.status).toBe(200);
    expectNeutralised(cellsOf(new Uint8Array(await api.arrayBuffer())), 'report CSV through the API');
  });

  it('each table of the tenant export', async () => {
    const admin = await as('milos.tomic');
    const res = await admin.post('/t/surdulica/admin/export.zip', { intent: 'export' });
    expect(res.status).toBe(200);
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const tables = Object.keys(files).filter((f) => f.endsWith('.csv'));
    expect(tables).toEqual(expect.arrayContaining(['staff.csv', 'org-units.csv', 'substitutes.csv', 'holidays.csv', 'documents.csv', 'registry-log.csv', 'adoptions.csv', 'audit-events.csv']));
    for (const table of tables) {
      const cells = cellsOf(files[table]);
      expect(cells.filter(couldRunAsFormula), table).toEqual([]);
      if (['staff.csv', 'substitutes.csv', 'holidays.csv', 'documents.csv', 'registry-log.csv'].includes(table)) expectNeutralised(cells, table);
    }
    expect(cellsOf(files['org-units.csv'])).toEqual(expect.arrayContaining(units.map((_, i) => `'${planted(i)}`)));
  });
});
