// The pages of the background work, in headless Chromium with JavaScript on and off: finance
// requests a month's overtime report and downloads it once built; the national office reads
// its statistics, the queue health and the development mailbox. Each page passes axe and
// fits a phone.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestMonthlyReports } from '#jobs/definitions/reports';
import { browserApp } from '#tests/support/browser-app';
import { accessibilityViolations } from '#tests/support/browser';

const e2e = browserApp({}, { mail: true });

async function signIn(page: Page, email: string) {
  await page.context().clearCookies();
  await e2e.submitSignIn(page, email);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

async function expectWellFormed(page: Page, javaScriptEnabled: boolean) {
  // axe is a script: it runs where scripts do, on the same server-rendered page.
  if (javaScriptEnabled) expect(await accessibilityViolations(page), page.url()).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${page.url()} scrolls sideways on a phone`).toBeLessThanOrEqual(0);
}

for (const javaScriptEnabled of [true, false]) {
  // A different month for each run: the two runs share the server and the tenant.
  const month = javaScriptEnabled ? '2026-03' : '2026-04';
  const shown = javaScriptEnabled ? 'март 2026.' : 'април 2026.';
  describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    let context: BrowserContext;
    beforeAll(async () => {
      context = await e2e.browser.newContext({ javaScriptEnabled, viewport: { width: 390, height: 844 } });
    });
    afterAll(() => context?.close());

    it('lets finance request a month’s report, see it queued, and download it once built', async () => {
      const page = await context.newPage();
      await signIn(page, 'ivana.stankovic@surdulica.test');
      await page.getByRole('link', { name: 'Извештаји' }).click();
      await page.waitForURL(/\/t\/surdulica\/reports/);
      await expectWellFormed(page, javaScriptEnabled);

      await page.getByLabel('Месец').fill(month);
      await page.getByRole('button', { name: 'Затражи извештај' }).click();
      await expect.poll(() => page.locator('.alert--ok').textContent()).toContain(`Извештај за ${shown} је у реду за израду`);
      const row = page.getByRole('row').filter({ hasText: shown });
      await expect.poll(() => row.first().textContent()).toContain('У реду');

      await e2e.runJobs();
      await page.reload();
      await expect.poll(() => row.first().textContent()).toContain('Готов');
      await expectWellFormed(page, javaScriptEnabled);
      const csv = await page.request.get(await row.first().getByRole('link', { name: /^CSV/ }).getAttribute('href').then((h) => new URL(h!, e2e.app.url).href));
      expect(csv.status()).toBe(200);
      expect(csv.headers()['content-type']).toContain('text/csv');
      const pdf = await page.request.get(await row.first().getByRole('link', { name: /^PDF/ }).getAttribute('href').then((h) => new URL(h!, e2e.app.url).href));
      expect(pdf.status()).toBe(200);
      expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    });

    it('shows the national office its statistics, the queues and the mailbox', async () => {
      const page = await context.newPage();
      await signIn(page, 'petar.nikolic@ite.test');
      await page.goto(`${e2e.app.url}/national`);

      await page.getByRole('link', { name: 'Статистика' }).click();
      await page.waitForURL(/\/national\/reports/);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Национална статистика');
      await expectWellFormed(page, javaScriptEnabled);
      // A period that cannot be used is explained, and what was typed stays.
      await page.getByLabel('Поднети од').fill('2026-12-31');
      await page.getByLabel('Поднети до').fill('2026-01-01');
      await page.getByRole('button', { name: 'Прикажи' }).click();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('два датума');
      expect(await page.getByLabel('Поднети од').inputValue()).toBe('2026-12-31');

      await page.getByRole('link', { name: 'Редови послова' }).click();
      await page.waitForURL(/\/national\/queues/);
      await expect.poll(() => page.locator('main').textContent()).toContain('REDIS_URL');
      await expectWellFormed(page, javaScriptEnabled);

      await page.getByRole('link', { name: 'Развојно поштанско сандуче' }).click();
      await page.waitForURL(/\/national\/mail$/);
      await expectWellFormed(page, javaScriptEnabled);
      // The monthly report, built on the 1st and announced by email to finance and the admin.
      const first = javaScriptEnabled ? '2026-02-01T05:00:00Z' : '2026-01-01T05:00:00Z';
      const announced = javaScriptEnabled ? 'јануар 2026.' : 'децембар 2025.';
      expect(await requestMonthlyReports({ ...e2e.jobContext(), now: () => new Date(first) })).toBeGreaterThan(0);
      await e2e.runJobs(); // builds the report, which writes the notifications and their emails
      await e2e.runJobs(); // sends the emails
      await page.reload();
      const mail = page.getByRole('link', { name: `Извештај о прековременом раду за ${announced} је спреман` }).first();
      await mail.click();
      await page.waitForURL(/\/national\/mail\/.+/);
      await expectWellFormed(page, javaScriptEnabled);
      const shownMail = await page.locator('main').textContent();
      expect(shownMail).toContain(`је спреман (организација: `);
      expect(shownMail).toContain(`): часови и износи по запосленом`);
      expect(shownMail).toMatch(/Отвори извештаје: \S+\/reports/);
      expect(await page.locator('iframe[sandbox=""]').count()).toBe(1);
    });
  });
}
