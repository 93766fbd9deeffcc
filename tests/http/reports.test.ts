// The reports pages through the built server: a tenant's overtime report requested, built by
// the job and downloaded; the national statistics (aggregates only); queue health without
// Redis; the development mailbox.
import { and, eq } from 'drizzle-orm';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '#app/workflow/engine/actor';
import { adoptions, documents, reports, templates } from '#db/schema';
import { createMailer } from '#jobs/email/transport';
import { drainOutbox } from '#jobs/inline';
import { DEMO_PASSWORD } from '#tenants/demo';
import { actorOf, inTenant } from '#tests/support/actors';
import { Client } from '#tests/support/http';
import { startApp, type RunningApp } from '#tests/support/server';

let app: RunningApp;
let mailDir: string;
let ivana: Actor, nikola: Actor, jelena: Actor;

const page = '/t/surdulica/reports';

async function as(email: string): Promise<Client> {
  const c = new Client(app.url);
  expect((await c.signIn(email, DEMO_PASSWORD)).status).toBe(302);
  return c;
}

const runJobs = () =>
  drainOutbox({ db: app.app.db, mailer: createMailer({ mailDir, from: 'test@delovod.test' }), log: pino({ level: 'silent' }), now: () => new Date() });

/** Approved and registered overtime pay slips of May 2026, and a draft that must not count. */
async function seedSlips() {
  await inTenant(app.app.db, ivana, async (tx) => {
    const [slip] = await tx
      .select({ templateId: adoptions.templateId, versionId: adoptions.versionId })
      .from(adoptions)
      .innerJoin(templates, eq(templates.id, adoptions.templateId))
      .where(and(eq(adoptions.tenantId, ivana.tenantId), eq(templates.key, 'overtime-pay-slip')));
    const row = (employee: string, state: 'registered' | 'approved' | 'draft', hours: string, total: string) => ({
      tenantId: ivana.tenantId, templateId: slip.templateId, versionId: slip.versionId, authorId: ivana.membershipId, state,
      values: { employee, month: '2026-05', totalHours: hours, nightHours: '0.00', holidayHours: '0.00', hourlyRate: '812.40' },
      computed: { baseAmount: '100.00', overtimeIncrease: '26.00', nightIncrease: '0.00', holidayIncrease: '0.00', totalAmount: total },
    });
    await tx.insert(documents).values([
      row(nikola.membershipId, 'registered', '6.50', '5280.61'),
      row(nikola.membershipId, 'approved', '2.25', '1827.90'),
      row(jelena.membershipId, 'registered', '4.00', '3249.61'),
      row(jelena.membershipId, 'draft', '9.00', '9999.99'),
    ]);
  });
}

beforeAll(async () => {
  mailDir = await mkdtemp(join(tmpdir(), 'delovod-mail-'));
  app = await startApp({ MAIL_DIR: mailDir });
  const s = (name: string) => actorOf(app.app.db, 'surdulica', `${name}@surdulica.test`);
  [ivana, nikola, jelena] = await Promise.all(['ivana.stankovic', 'nikola.petrovic', 'jelena.djordjevic'].map(s));
  await seedSlips();
});
afterAll(async () => {
  await app?.stop();
  await rm(mailDir, { recursive: true, force: true });
});

describe('the tenant’s reports', () => {
  it('lets finance request a month’s report, shows it queued, then ready with the right figures in the CSV', async () => {
    const c = await as('ivana.stankovic@surdulica.test');
    const before = await c.get(page);
    expect(before.status).toBe(200);
    const empty = await before.text();
    expect(empty).toContain('<h1>Извештаји</h1>');
    expect(empty).toMatch(/<a[^>]*href="\/t\/surdulica\/reports"[^>]*>Извештаји<\/a>/);

    const requested = await c.post(page, { period: '2026-05' });
    expect(requested.status).toBe(302);
    expect(requested.headers.get('location')).toBe(`${page}?requested=2026-05`);
    const [row] = await inTenant(app.app.db, ivana, (tx) => tx.select().from(reports).where(eq(reports.tenantId, ivana.tenantId)));
    expect(row).toMatchObject({ period: '2026-05', status: 'queued', requestedBy: ivana.membershipId });

    const queued = await (await c.get(`${page}?requested=2026-05`)).text();
    expect(queued).toContain('role="status"');
    expect(queued).toContain('У реду');
    expect(queued).toContain('Ивана Станковић');
    expect(queued).toContain(`href="${page}">Освежи</a>`);
    expect(queued).not.toContain(`${page}/${row.id}.csv`);
    expect((await c.get(`${page}/${row.id}.csv`)).status).toBe(404);

    expect(await runJobs()).toBeGreaterThan(0);
    const done = await (await c.get(page)).text();
    expect(done).toContain('Готов');
    expect(done).not.toContain('Освежи');
    expect(done).toContain(`href="${page}/${row.id}.csv"`);

    const csv = await c.get(`${page}/${row.id}.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="prekovremeni-rad-surdulica-2026-05.csv"');
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\n').map((l) => l.split(','));
    const col = (name: string) => lines[0].indexOf(name);
    const person = (name: string) => lines.find((l) => l[col('Име и презиме')] === name)!;
    expect(person('Никола Петровић')[col('Прековремених часова')]).toBe('8.75');
    expect(person('Никола Петровић')[col('Укупно (дин.)')]).toBe('7108.51');
    expect(person('Јелена Ђорђевић')[col('Прековремених часова')]).toBe('4.00');
    expect(lines.at(-1)![col('Укупно (дин.)')]).toBe('10358.12');

    const pdf = await c.get(`${page}/${row.id}.pdf`);
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('refuses a request without a valid month, keeping the input beside the message', async () => {
    const c = await as('milos.tomic@surdulica.test');
    const res = await c.post(page, { period: '2026-13' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Изаберите месец (годину и месец).');
    expect(html).toContain('value="2026-13"');
  });

  it('is forbidden to an employee and does not exist for another tenant’s user', async () => {
    const [row] = await inTenant(app.app.db, ivana, (tx) => tx.select({ id: reports.id }).from(reports).where(eq(reports.tenantId, ivana.tenantId)));
    const employee = await as('nikola.petrovic@surdulica.test');
    expect((await employee.get(page)).status).toBe(403);
    expect((await employee.post(page, { period: '2026-04' })).status).toBe(403);
    expect((await employee.get(`${page}/${row.id}.csv`)).status).toBe(403);
    expect(await (await employee.get('/t/surdulica/inbox')).text()).not.toContain(`href="${page}"`);
    const outsider = await as('vesna.popovic@apr.test');
    for (const path of [page, `${page}/${row.id}.csv`, `${page}/${row.id}.pdf`]) expect((await outsider.get(path)).status).toBe(404);
    expect((await outsider.post(page, { period: '2026-04' })).status).toBe(404);
  });
});
