// The overtime chain as Surdulica's staff live it, in headless Chromium: request, return for
// correction, proxy approval, registration and PDF, result report, monthly pay slip.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { tenants } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserApp } from '#tests/support/browser-app';

const e2e = browserApp();

async function as(email: string): Promise<Page> {
  const context = await e2e.browser.newContext();
  const page = await context.newPage();
  await e2e.submitSignIn(page, email);
  await page.waitForURL(/\/inbox$/);
  return page;
}

async function openFromInbox(page: Page, title: string) {
  await page.goto(`${e2e.app.url}/t/surdulica/inbox`);
  await page.getByRole('link', { name: title }).first().click();
  await page.waitForURL(/\/documents\/[0-9a-f-]+/);
}

function pdfText(bytes: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'delovod-pdf-'));
  writeFileSync(join(dir, 'd.pdf'), bytes);
  return execFileSync('pdftotext', ['-layout', join(dir, 'd.pdf'), '-'], { encoding: 'utf8' });
}

describe('the overtime chain in Surdulica', () => {
  let requestUrl = '';

  it('an employee drafts and submits an overtime request', async () => {
    const nikola = await as('nikola.petrovic@surdulica.test');
    await nikola.getByRole('link', { name: 'Моји документи' }).click();
    await nikola.getByRole('link', { name: 'Нови документ' }).click();
    await nikola.getByRole('button', { name: 'Започни: Захтев за прековремени рад' }).click();
    await nikola.waitForURL(/\/documents\/[0-9a-f-]+$/);
    requestUrl = nikola.url();
    await nikola.getByLabel('Датум прековременог рада').fill('2026-12-16');
    await nikola.getByLabel('Почетак').fill('16:00');
    await nikola.getByLabel('Завршетак').fill('19:00');
    await nikola.getByLabel('Основ за прековремени рад').selectOption('unplannedDeadline');
    await nikola.getByLabel('Опис посла и разлог').fill('Пријава пројекта на конкурс');
    await nikola.getByRole('button', { name: 'Поднеси', exact: true }).click();
    await expect.poll(() => nikola.locator('p.alert--ok').textContent()).toContain('Поднето');
    await nikola.getByText('На одобравању').first().waitFor();
    await nikola.context().close();
  });

  it('the head of unit returns it for correction; the employee corrects and resubmits', async () => {
    const marija = await as('marija.stojanovic@surdulica.test');
    await openFromInbox(marija, 'Захтев за прековремени рад');
    await marija.getByLabel('Коментар').fill('Наведите назив конкурса.');
    await marija.getByRole('button', { name: 'Врати на исправку' }).click();
    await expect.poll(() => marija.locator('p.alert--ok').textContent()).toContain('Забележено');
    await marija.context().close();

    const nikola = await as('nikola.petrovic@surdulica.test');
    await nikola.goto(requestUrl);
    await nikola.getByText('Враћен на исправку').first().waitFor();
    await nikola.getByText('Наведите назив конкурса.').waitFor();
    await nikola.getByLabel('Опис посла и разлог').fill('Пријава пројекта на конкурс ЕУ PRO+');
    await nikola.getByRole('button', { name: 'Поднеси поново' }).click();
    await expect.poll(() => nikola.locator('p.alert--ok').textContent()).toContain('Поднето');
    await nikola.context().close();
  });

  it('a substitute approves on behalf of the absent head; it is registered and its PDF names them', async () => {
    const [surdulica] = await e2e.app.app.db.select().from(tenants).where(eq(tenants.slug, 'surdulica'));
    await withTenantOn(e2e.app.app.db, { tenantId: surdulica.id }, (tx) =>
      tx.execute(sql`insert into substitutes (tenant_id, absent_membership_id, substitute_membership_id, starts_on, ends_on)
        select ${surdulica.id}, a.id, s.id, current_date - 1, current_date + 14
        from memberships a, memberships s
        where a.user_id = (select id from users where email = 'marija.stojanovic@surdulica.test')
          and s.user_id = (select id from users where email = 'dragan.jovanovic@surdulica.test')`),
    );
    const dragan = await as('dragan.jovanovic@surdulica.test');
    await openFromInbox(dragan, 'Захтев за прековремени рад');
    await dragan.getByText('Замењујете особу Марија Стојановић').waitFor();
    await dragan.getByRole('button', { name: 'Одобри' }).click();
    await expect.poll(() => dragan.locator('p.alert--ok').textContent()).toContain('Забележено');
    await expect.poll(() => dragan.locator('.tag').first().textContent()).toBe('Заведен');
    await dragan.getByText('у име: Марија Стојановић').first().waitFor();
    // The audit trail reads as sentences, with the proxy mark.
    await dragan.getByText('Корак „Одобрење руководиоца организационе јединице”: одобрено — Драган Јовановић').waitFor();
    const number = (await dragan.locator('strong').filter({ hasText: /^112-\d+\/2026$/ }).first().textContent())!;
    await dragan.context().close();

    const nikola = await as('nikola.petrovic@surdulica.test');
    await nikola.goto(requestUrl);
    const [download] = await Promise.all([nikola.waitForEvent('download'), nikola.getByRole('link', { name: 'Преузми PDF' }).click()]);
    const text = pdfText(Buffer.from(await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c))));
    expect(text).toContain(number);
    expect(text).toContain('Никола Петровић');
    expect(text).toContain('Драган Јовановић');
    expect(text).toContain('Марија Стојановић');
    await nikola.context().close();
  });

  it('the employee reports the hours worked from the approved request; the head confirms', async () => {
    const nikola = await as('nikola.petrovic@surdulica.test');
    await nikola.goto(requestUrl);
    await nikola.getByRole('button', { name: 'Састави сада' }).click();
    await nikola.waitForURL(/\/documents\/[0-9a-f-]+$/);
    expect(await nikola.getByLabel('Стварни почетак').inputValue()).toBe('16:00');
    await nikola.getByLabel('Стварни завршетак').fill('22:30');
    await nikola.getByLabel('Обављени послови').fill('Пријава предата');
    await nikola.getByRole('button', { name: 'Поднеси', exact: true }).click();
    await expect.poll(() => nikola.locator('p.alert--ok').textContent()).toContain('Поднето');
    await nikola.context().close();

    const dragan = await as('dragan.jovanovic@surdulica.test');
    await openFromInbox(dragan, 'Извештај о обављеном прековременом раду');
    await dragan.getByRole('button', { name: 'Одобри' }).click();
    await expect.poll(() => dragan.locator('p.alert--ok').textContent()).toContain('Забележено');
    await dragan.context().close();
  });

  it('finance prepares the monthly slip, it is approved twice and registered, and the employee downloads it', async () => {
    const ivana = await as('ivana.stankovic@surdulica.test');
    await ivana.goto(`${e2e.app.url}/t/surdulica/documents/new`);
    await ivana.getByRole('button', { name: 'Започни: Обрачун увећане зараде за прековремени рад' }).click();
    await ivana.waitForURL(/\/documents\/[0-9a-f-]+$/);
    const slipUrl = ivana.url();
    await ivana.getByLabel('Запослени').selectOption({ label: 'Никола Петровић — Референт за локални економски развој' });
    await ivana.getByLabel('Месец обрачуна').fill('2026-12');
    await ivana.getByRole('button', { name: 'Поднеси', exact: true }).click();
    await expect.poll(() => ivana.locator('p.alert--ok').textContent()).toContain('Поднето');
    // Before passing the slip on, finance sees every amount as it types, with its basis,
    // computed in the browser by the server's own code.
    const amounts = ivana.locator('form:has(button[value="prepared"]) output');
    await expect.poll(() => amounts.first().textContent()).toContain('Израчунаће се');
    await ivana.getByLabel('Основица по часу (динара)').fill('650.00');
    await expect.poll(() => amounts.allTextContents()).toEqual([
      '4.225,00 дин. = 6,50 × 650,00 дин.',
      '1.098,50 дин. = 6,50 × 650,00 дин. × 26 %',
      '84,50 дин. = 0,50 × 650,00 дин. × 26 %',
      '0,00 дин. = 0,00 × 650,00 дин. × 110 %',
      '5.408,00 дин. = 4.225,00 дин. + 1.098,50 дин. + 84,50 дин. + 0,00 дин.',
    ]);
    await ivana.getByRole('button', { name: 'Сачувај и проследи' }).click();
    await expect.poll(() => ivana.locator('p.alert--ok').textContent()).toContain('Забележено');
    await ivana.context().close();

    for (const email of ['zoran.ilic@surdulica.test', 'dragan.jovanovic@surdulica.test']) {
      const approver = await as(email);
      await approver.goto(slipUrl);
      await approver.getByRole('button', { name: 'Одобри' }).click();
      await expect.poll(() => approver.locator('p.alert--ok').textContent()).toContain('Забележено');
      await approver.context().close();
    }

    const nikola = await as('nikola.petrovic@surdulica.test');
    await nikola.goto(slipUrl);
    await expect.poll(() => nikola.locator('.tag').first().textContent()).toBe('Заведен');
    const [download] = await Promise.all([nikola.waitForEvent('download'), nikola.getByRole('link', { name: 'Преузми PDF' }).click()]);
    const text = pdfText(Buffer.concat(await (await download.createReadStream()).toArray()));
    // 6.5 h × 650.00 = 4225.00; + 26 % = 1098.50; night 0.5 h × 650 × 26 % = 84.50.
    expect(text).toMatch(/4\.225,00/);
    expect(text).toMatch(/1\.098,50/);
    expect(text).toMatch(/84,50/);
    await nikola.context().close();
  });
});
