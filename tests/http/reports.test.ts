// The reports pages through the built server: a tenant's overtime report requested, built by
// the job and downloaded; the national statistics (aggregates only); queue health without
// Redis; the development mailbox.
import { and, eq, inArray } from 'drizzle-orm';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '#app/csv/csv.server';
import type { Actor } from '#app/workflow/engine/actor';
import { adoptions, documents, outbox, reports, templates } from '#db/schema';
import { createMailer } from '#jobs/email/transport';
import { requestMonthlyReports } from '#jobs/definitions/reports';
import { drainOutbox } from '#jobs/inline';
import { actorOf, inTenant } from '#tests/support/actors';
import { acted, overtimeRequest, submitted } from '#tests/support/documents';
import { Client, signedIn } from '#tests/support/http';
import { startApp, type RunningApp } from '#tests/support/server';

let app: RunningApp;
let mailDir: string;
let ivana: Actor, nikola: Actor, jelena: Actor, marija: Actor;

const page = '/t/surdulica/reports';

const as = (email: string): Promise<Client> => signedIn(app.url, email);

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
  // In-process jobs and the folder of emails, whatever the machine's environment says.
  app = await startApp({ MAIL_DIR: mailDir, DEV_MAILBOX: '1', REDIS_URL: '', SMTP_URL: '' });
  const s = (name: string) => actorOf(app.app.db, 'surdulica', `${name}@surdulica.test`);
  [ivana, nikola, jelena, marija] = await Promise.all(['ivana.stankovic', 'nikola.petrovic', 'jelena.djordjevic', 'marija.stojanovic'].map(s));
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
    const lines = parseCsv((await csv.text()).replace(/^\uFEFF/, ''));
    const col = (name: string) => lines[0].indexOf(name);
    const person = (name: string) => lines.find((l) => l[col('Име и презиме')] === name)!;
    expect(person('Никола Петровић')[col('Прековремених часова')]).toBe('8.75');
    expect(person('Никола Петровић')[col('Укупно (дин.)')]).toBe('7108.51');
    expect(person('Јелена Ђорђевић')[col('Прековремених часова')]).toBe('4.00');
    expect(lines.at(-1)![col('Укупно (дин.)')]).toBe('10358.12');

    const pdf = await c.get(`${page}/${row.id}.pdf`);
    expect(pdf.status).toBe(200);
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // Read back as a reader's viewer shows it: the Cyrillic headings and names, the total.
    const shown = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: bytes }).toString('utf8').replace(/\s+/g, ' ');
    expect(shown).toContain('Извештај о прековременом раду');
    expect(shown).toContain('Никола Петровић');
    expect(shown).toContain('10358.12');
  });

  it('tells finance in the app that the monthly report is ready, leading to the reports page', async () => {
    const june = () => new Date('2026-06-01T04:00:00Z');
    expect(await requestMonthlyReports({ db: app.app.db, mailer: createMailer({ mailDir, from: 'test@delovod.test' }), log: pino({ level: 'silent' }), now: june })).toBeGreaterThan(0);
    expect(await runJobs()).toBeGreaterThan(0);
    const c = await as('ivana.stankovic@surdulica.test');
    const html = await (await c.get('/t/surdulica/notifications')).text();
    expect(html).toMatch(/<a[^>]*href="\/t\/surdulica\/reports"[^>]*>Извештај о прековременом раду за мај 2026\. је готов<small>/);
    expect(html).not.toContain('documents.notifications.kinds');
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

const national = 'ana.markovic@ite.test';

/** The numbers in the statistics row of a tenant and template, or null when there is none. */
function statsRow(html: string, tenant: string, template: string): number[] | null {
  const row = [...html.matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) => m[1]).find((r) => r.includes(`>${tenant}</th>`) && r.includes(`<td>${template}</td>`));
  return row ? [...row.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => Number(m[1].replace(',', '.'))) : null;
}

describe('the national statistics', () => {
  const surdulica = 'Општина Сурдулица';
  const request = 'Захтев за прековремени рад';

  it('shows national staff documents started and completed per tenant and template, and no document’s content', async () => {
    const c = await as(national);
    const before = await c.get('/national/reports');
    expect(before.status).toBe(200);
    const [started, completed] = statsRow(await before.text(), surdulica, request) ?? [0, 0];

    const secret = 'Попис архиве у подруму 7F3A';
    const decided = await submitted(app.app.db, nikola, 'overtime-request', overtimeRequest('2026-11-10', '16:00', '18:00', secret));
    await acted(app.app.db, marija, decided, 'rejected', { comment: 'Није неопходно ове недеље 9B2C' });
    await submitted(app.app.db, jelena, 'overtime-request', overtimeRequest('2026-11-11', '16:00', '17:00', `${secret} други`));

    const html = await (await c.get('/national/reports')).text();
    expect(html).toContain('<h1>Национална статистика</h1>');
    expect(html).toMatch(/<a[^>]*href="\/national\/reports"[^>]*>Статистика<\/a>/);
    const row = statsRow(html, surdulica, request);
    expect(row?.slice(0, 2)).toEqual([started + 2, completed + 1]);
    expect(row?.[2]).toBeGreaterThanOrEqual(0);
    for (const value of [secret, '9B2C', 'Никола Петровић', decided.id]) expect(html).not.toContain(value);
    // Adoption: both demo tenants use the shipped version 2 of the request, nobody version 1.
    expect(html).toMatch(new RegExp(`${request}</th><td>верзија 2</td>.*?<td class="num">2</td></tr><tr><td>верзија 1</td>.*?<td class="num">0</td>`, 's'));
  });

  it('lists nothing for a period without documents and refuses a reversed period beside the dates', async () => {
    const c = await as(national);
    const empty = await (await c.get('/national/reports?from=2001-01-01&to=2001-12-31')).text();
    expect(empty).toContain('У овом периоду није поднет ниједан документ.');
    const reversed = await c.get('/national/reports?from=2026-12-31&to=2026-01-01');
    expect(reversed.status).toBe(200);
    const html = await reversed.text();
    expect(html).toContain('Унесите период као два датума, први не после другог.');
    expect(html).toContain('value="2026-12-31"');
  });

  it('does not exist for a tenant’s staff and sends a visitor to sign in', async () => {
    for (const email of ['milos.tomic@surdulica.test', 'nikola.petrovic@surdulica.test']) {
      const c = await as(email);
      expect((await c.get('/national/reports')).status).toBe(404);
    }
    const visitor = await new Client(app.url).get('/national/reports');
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get('location')).toMatch(/^\/login\?redirectTo=%2Fnational%2Freports/);
  });
});

describe('queue health without Redis', () => {
  const backlog = (html: string) => {
    const m = /нису предати реду: (\d+), од тога сада на реду (\d+), већ покушаних (\d+)\./.exec(html);
    expect(m, 'the backlog sentence').not.toBeNull();
    return m!.slice(1).map(Number);
  };

  it('says jobs run in-process and counts the outbox rows waiting, due and tried before', async () => {
    const c = await as(national);
    const first = await c.get('/national/queues');
    expect(first.status).toBe(200);
    const [pending, due, retrying] = backlog(await first.text());
    const ids = await inTenant(app.app.db, nikola, async (tx) =>
      (
        // eslint-disable-next-line no-restricted-syntax -- rows of no real kind, in the states the page counts
        await tx
          .insert(outbox)
          .values([
            { tenantId: nikola.tenantId, job: 'test.queueHealth', payload: { tenantId: nikola.tenantId } },
            { tenantId: nikola.tenantId, job: 'test.queueHealth', payload: { tenantId: nikola.tenantId }, attempts: 2 },
            { tenantId: nikola.tenantId, job: 'test.queueHealth', payload: { tenantId: nikola.tenantId }, availableAt: new Date(Date.now() + 3_600_000) },
          ])
          .returning({ id: outbox.id })
      ).map((r) => r.id),
    );
    try {
      const html = await (await c.get('/national/queues')).text();
      expect(html).toContain('<h1>Стање редова послова</h1>');
      expect(html).toMatch(/<a[^>]*href="\/national\/queues"[^>]*>Редови послова<\/a>/);
      expect(html).toContain('Ова инсталација нема Redis (REDIS_URL није постављен)');
      expect(backlog(html)).toEqual([pending + 3, due + 2, retrying + 1]);
      expect(html).not.toContain('Послови по реду');
      expect(html).not.toContain('Redis не одговара');
      // Nothing to retry in-process: failed jobs go back to the outbox by themselves.
      expect((await c.post('/national/queues', { intent: 'retryAll', queue: 'email' })).status).toBe(404);
    } finally {
      await inTenant(app.app.db, nikola, (tx) => tx.update(outbox).set({ relayedAt: new Date() }).where(and(eq(outbox.tenantId, nikola.tenantId), inArray(outbox.id, ids))));
    }
  });

  it('does not exist for a tenant’s staff', async () => {
    const c = await as('milos.tomic@surdulica.test');
    expect((await c.get('/national/queues')).status).toBe(404);
    expect((await c.post('/national/queues', { intent: 'retryAll', queue: 'email' })).status).toBe(404);
  });
});

describe('the development mailbox', () => {
  const mailer = () => createMailer({ mailDir, from: 'Delovod <no-reply@delovod.test>' });

  it('lists the emails of the folder newest first and shows one as text and as sandboxed HTML', async () => {
    const m = mailer();
    await m.send({ messageId: '<older-1@delovod>', to: 'nikola.petrovic@surdulica.test', subject: 'Старија порука', text: 'Прва', html: '<p>Прва</p>' });
    await m.send({
      messageId: '<newer-2@delovod>',
      to: 'marija.stojanovic@surdulica.test',
      subject: 'Документ чека вашу одлуку',
      text: 'Захтев за прековремени рад чека ваше одобрење.\nhttp://localhost/t/surdulica/documents/1',
      html: '<p>Захтев <b>чека</b> ваше одобрење.</p><script>parent.document.title="pwned"</script>',
    });
    m.close();
    // Whatever else the jobs wrote, these two are the newest, in this order.
    const now = Date.now() / 1000;
    await utimes(join(mailDir, '_older-1_delovod_.eml'), now + 60, now + 60);
    await utimes(join(mailDir, '_newer-2_delovod_.eml'), now + 120, now + 120);

    const c = await as(national);
    const nav = await (await c.get('/national')).text();
    expect(nav).toMatch(/<a[^>]*href="\/national\/mail"[^>]*>Развојно поштанско сандуче<\/a>/);
    const list = await c.get('/national/mail');
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain('<caption>Е-поруке</caption>');
    expect(html).toContain(mailDir);
    const links = [...html.matchAll(/href="\/national\/mail\/([^"]+)"/g)].map((x) => x[1]);
    expect(links.length).toBe((await readdir(mailDir)).filter((f) => f.endsWith('.eml')).length);
    expect(links.slice(0, 2)).toEqual(['_newer-2_delovod_', '_older-1_delovod_']);
    expect(html).toContain('marija.stojanovic@surdulica.test');
    expect(html).toContain('>Документ чека вашу одлуку</a>');

    const one = await c.get('/national/mail/_newer-2_delovod_');
    expect(one.status).toBe(200);
    const message = await one.text();
    expect(message).toContain('<h1>Документ чека вашу одлуку</h1>');
    expect(message).toContain('no-reply@delovod.test');
    expect(message).toContain('Захтев за прековремени рад чека ваше одобрење.\nhttp://localhost/t/surdulica/documents/1');
    const frame = /<iframe([^>]*)>/.exec(message)?.[1] ?? '';
    expect(frame).toContain('sandbox=""');
    expect(frame).toContain('title="HTML облик е-поруке"');
    expect(frame).toMatch(/srcdoc="&lt;p&gt;Захтев &lt;b&gt;чека&lt;\/b&gt;/i);
    // The email's markup only ever reaches the page escaped, inside the sandboxed frame.
    expect(message).not.toContain('<script>parent');
    expect(message).not.toContain('<b>чека</b>');
  });

  it('opens only files of the folder by their names: no other path, no other name', async () => {
    const c = await as(national);
    for (const path of ['/national/mail/nope', '/national/mail/..%2F..%2Fpackage', '/national/mail/.env', '/national/mail/_newer-2_delovod_.eml', '/national/mail/a%00b']) {
      expect((await c.get(path)).status, path).toBe(404);
    }
  });

  it('does not exist for a tenant’s staff', async () => {
    const c = await as('milos.tomic@surdulica.test');
    expect((await c.get('/national/mail')).status).toBe(404);
    expect((await c.get('/national/mail/_newer-2_delovod_')).status).toBe(404);
  });
});
