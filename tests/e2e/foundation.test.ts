// The foundation as a person uses it, in headless Chromium against the built server: with
// JavaScript and without it.
import { createServer, type Server } from 'node:http';
import type { BrowserContext, Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '#tenants/demo';
import { browserApp } from '#tests/support/browser-app';
import { accessibilityViolations } from '#tests/support/browser';
import { freePort } from '#tests/support/ports';

const e2e = browserApp();

async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  // A signed-in visitor is sent past the sign-in page, so start each sign-in signed out.
  await page.context().clearCookies();
  await e2e.submitSignIn(page, email, password);
}

for (const javaScriptEnabled of [true, false]) {
  describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    let context: BrowserContext;
    beforeAll(async () => {
      context = await e2e.browser.newContext({ javaScriptEnabled });
    });
    afterAll(() => context?.close());

    it('refuses a wrong password with one generic message and keeps the email', async () => {
      const page = await context.newPage();
      await signIn(page, 'marija.stojanovic@surdulica.test', 'wrong password');
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('Адреса е-поште или лозинка није исправна.');
      expect(await page.getByLabel('Адреса е-поште').inputValue()).toBe('marija.stojanovic@surdulica.test');
      expect(await page.getByLabel('Лозинка').inputValue()).toBe('');
      await page.close();
    });

    it('signs in to the inbox, switches among the three languages, and signs out', async () => {
      const page = await context.newPage();
      await signIn(page, 'marija.stojanovic@surdulica.test');
      await page.waitForURL(`${e2e.app.url}/t/surdulica/inbox`);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Пријемно сандуче');
      await page.getByText('Ништа не чека на вас.').waitFor();

      await page.getByRole('link', { name: 'Профил' }).click();
      await page.waitForURL(/\/profile$/);
      await page.getByText('Марија Стојановић').waitFor();

      await page.getByRole('button', { name: 'English' }).click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Profile');
      expect(page.url()).toBe(`${e2e.app.url}/t/surdulica/profile`);
      await page.getByText('Marija Stojanović').waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('en');

      await page.getByRole('button', { name: 'Srpski (latinica)' }).click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Profil');
      await page.reload();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Profil');

      await page.getByRole('button', { name: 'Српски (ћирилица)' }).click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Профил');

      await page.getByRole('button', { name: 'Одјава' }).click();
      await page.waitForURL(/\/login\?signedOut=1$/);
      expect(await page.getByRole('status').textContent()).toBe('Одјавили сте се.');
      await page.goto(`${e2e.app.url}/t/surdulica/inbox`);
      expect(page.url()).toContain('/login?redirectTo=');
      await page.close();
    });
  });
}

describe('in the browser', () => {
  let context: BrowserContext;
  beforeAll(async () => {
    context = await e2e.browser.newContext();
  });
  afterAll(() => context?.close());

  it('slows down repeated wrong passwords with a clear message', async () => {
    const page = await context.newPage();
    for (let i = 0; i < 5; i++) {
      await signIn(page, 'jelena.djordjevic@surdulica.test', `guess ${i}`);
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('није исправна');
    }
    await signIn(page, 'jelena.djordjevic@surdulica.test');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Превише покушаја. Покушајте поново за \d+ минут/);
    await page.close();
  });

  it('sends a user whose session expired back to sign in, and then to where they were', async () => {
    const page = await context.newPage();
    await signIn(page, 'zoran.ilic@surdulica.test');
    await page.waitForURL(/\/inbox$/);
    await e2e.app.owner.db.execute(sql`update sessions set expires_at = now() - interval '1 second'
      where user_id = (select id from users where email = 'zoran.ilic@surdulica.test')`);
    await page.goto(`${e2e.app.url}/t/surdulica/profile`);
    expect(page.url()).toContain('expired=1');
    expect(await page.getByRole('status').textContent()).toBe('Ваша сесија је истекла. Пријавите се поново.');
    await page.getByLabel('Адреса е-поште').fill('zoran.ilic@surdulica.test');
    await page.getByLabel('Лозинка').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Пријави се' }).click();
    await page.waitForURL(`${e2e.app.url}/t/surdulica/profile`);
    await page.close();
  });

  it('follows links within the app without reloading the page, marks where the user is, and goes back', async () => {
    const page = await context.newPage();
    await signIn(page, 'milos.tomic@surdulica.test');
    await page.waitForURL(/\/inbox$/);
    await page.waitForLoadState('networkidle');
    const documentLoads: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'document') documentLoads.push(request.url());
    });
    // A mark on this document: a page load would wipe it.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    const nav = page.getByRole('navigation', { name: 'Општина Сурдулица' });
    await expect.poll(() => nav.getByRole('link', { name: 'Пријемно сандуче' }).getAttribute('aria-current')).toBe('page');

    await nav.getByRole('link', { name: 'Профил' }).click();
    await page.waitForURL(`${e2e.app.url}/t/surdulica/profile`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Профил');
    await expect.poll(() => nav.getByRole('link', { name: 'Профил' }).getAttribute('aria-current')).toBe('page');
    await expect.poll(() => nav.getByRole('link', { name: 'Пријемно сандуче' }).getAttribute('aria-current')).toBeNull();

    await nav.getByRole('link', { name: 'Администрација' }).click();
    await page.waitForURL(`${e2e.app.url}/t/surdulica/admin/staff`);
    await expect.poll(() => nav.getByRole('link', { name: 'Администрација' }).getAttribute('aria-current')).toBe('page');
    const adminNav = page.getByRole('navigation', { name: 'Администрација' });
    await adminNav.getByRole('link', { name: 'Организационе јединице' }).click();
    await page.waitForURL(`${e2e.app.url}/t/surdulica/admin/units`);
    await expect.poll(() => adminNav.getByRole('link', { name: 'Организационе јединице' }).getAttribute('aria-current')).toBe('page');

    await page.goBack();
    await page.waitForURL(`${e2e.app.url}/t/surdulica/admin/staff`);
    await page.goBack();
    await page.waitForURL(`${e2e.app.url}/t/surdulica/profile`);
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(documentLoads).toEqual([]);
    await page.close();
  });

  it('says an export is being prepared while the browser waits for the archive, then saves it', async () => {
    const page = await context.newPage();
    await signIn(page, 'milos.tomic@surdulica.test');
    await page.waitForURL(/\/inbox$/);
    await page.goto(`${e2e.app.url}/t/surdulica/admin/export`);
    const status = page.locator('form[action$="/admin/export.zip"] [role="status"]');
    await expect(status.textContent()).resolves.toBe('');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Преузми архиву' }).click()]);
    await expect(status.textContent()).resolves.toContain('Архива се припрема');
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
    await page.close();
  });

  it('refuses a cross-site form post and keeps the session', async () => {
    const page = await context.newPage();
    await signIn(page, 'dragan.jovanovic@surdulica.test');
    await page.waitForURL(/\/inbox$/);
    // Another origin (127.0.0.1 is a different site from localhost) posts to our sign-out.
    const port = await freePort();
    const evil: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<form method="post" action="${e2e.app.url}/logout"><input type="hidden" name="scope" value="everywhere"><button>Win a prize</button></form>`);
    });
    await new Promise<void>((r) => evil.listen(port, '127.0.0.1', r));
    try {
      await page.goto(`http://127.0.0.1:${port}/`);
      const [response] = await Promise.all([page.waitForResponse(`${e2e.app.url}/logout`), page.getByRole('button', { name: 'Win a prize' }).click()]);
      expect(response.status()).toBe(403);
      await page.goto(`${e2e.app.url}/t/surdulica/inbox`);
      expect(page.url()).toBe(`${e2e.app.url}/t/surdulica/inbox`);
    } finally {
      evil.close();
    }
    await page.close();
  });

  it('meets WCAG 2.1 AA on the sign-in, inbox and profile pages, in every language', async () => {
    const page = await context.newPage();
    await signIn(page, 'nikola.petrovic@surdulica.test');
    await page.waitForURL(/\/inbox$/);
    for (const lang of ['English', 'Srpski (latinica)', 'Српски (ћирилица)']) {
      await page.getByRole('button', { name: lang }).click();
      await page.waitForLoadState('networkidle');
      for (const path of ['/t/surdulica/inbox', '/t/surdulica/profile', '/tenants?choose']) {
        await page.goto(`${e2e.app.url}${path}`);
        const violations = await accessibilityViolations(page);
        expect(violations, `${lang} ${path}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
      }
    }
    const anonymous = await e2e.browser.newPage();
    await anonymous.goto(`${e2e.app.url}/login`);
    expect(await accessibilityViolations(anonymous)).toEqual([]);
    await anonymous.goto(`${e2e.app.url}/`);
    expect(await accessibilityViolations(anonymous)).toEqual([]);
    await anonymous.close();
    await page.close();
  });

  it('is usable on a phone: no sideways scrolling, skip link first', async () => {
    const phone = await e2e.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await phone.newPage();
    await signIn(page, 'ivana.stankovic@surdulica.test');
    await page.waitForURL(/\/inbox$/);
    for (const path of ['/t/surdulica/inbox', '/t/surdulica/profile', '/login']) {
      await page.goto(`${e2e.app.url}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('#main');
    await phone.close();
  });
});
