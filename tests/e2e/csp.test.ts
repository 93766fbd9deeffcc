// The Content-Security-Policy in headless Chromium: a script injected into a page does not run
// (inline, with a guessed nonce, or as an event handler) and the browser reports it; while the
// pages of the overtime chain, the administration and the national template editor work with
// JavaScript — client-side navigation, forms, the live preview — without a single violation.
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '#tenants/demo';
import { browserApp } from '#tests/support/browser-app';

const e2e = browserApp({}, { mail: true });

interface Violation {
  directive: string;
  blocked: string;
  page: string;
}

/** A signed-in page whose every CSP violation, on every document it loads, lands in `violations`. */
async function signedIn(email: string): Promise<{ page: Page; violations: Violation[] }> {
  const context = await e2e.browser.newContext();
  const page = await context.newPage();
  const violations: Violation[] = [];
  await page.exposeFunction('reportViolation', (v: Violation) => violations.push(v));
  // Added by the browser's debugger before the page's own scripts: the policy does not govern it.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { reportViolation(v: Violation): void }).reportViolation({ directive: e.effectiveDirective, blocked: e.blockedURI, page: location.pathname }),
    );
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push({ directive: 'console', blocked: m.text(), page: page.url() });
  });
  await e2e.submitSignIn(page, email);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return { page, violations };
}

/** Marks the document; a client-side navigation keeps the mark, a full page load loses it. */
const mark = (page: Page) => page.evaluate(() => ((window as unknown as { cspMark: number }).cspMark = 1));
const marked = (page: Page) => page.evaluate(() => (window as unknown as { cspMark?: number }).cspMark === 1);

describe('the Content-Security-Policy in Chromium', () => {
  it('refuses a script injected into the page, inline, with a guessed nonce, or as an event handler', async () => {
    const { page, violations } = await signedIn('nikola.petrovic@surdulica.test');
    await page.goto(`${e2e.app.url}/t/surdulica/inbox`);
    const ran = await page.evaluate(async () => {
      const w = window as unknown as Record<string, unknown>;
      const inline = document.createElement('script');
      inline.textContent = 'window.injectedInline = true';
      document.body.append(inline);
      const guessed = document.createElement('script');
      guessed.setAttribute('nonce', 'AAAAAAAAAAAAAAAAAAAAAA==');
      guessed.textContent = 'window.injectedGuessed = true';
      document.body.append(guessed);
      document.body.insertAdjacentHTML('beforeend', '<img alt="" src="data:," onload="window.injectedHandler = true" onerror="window.injectedHandler = true">');
      const link = document.createElement('a');
      link.href = 'javascript:window.injectedUrl = true';
      document.body.append(link);
      link.click();
      await new Promise((r) => setTimeout(r, 300));
      return { inline: w.injectedInline, guessed: w.injectedGuessed, handler: w.injectedHandler, url: w.injectedUrl };
    });
    expect(ran).toEqual({ inline: undefined, guessed: undefined, handler: undefined, url: undefined });
    // Each was reported: the inline script, the one with a guessed nonce and the javascript: link
    // (script-src-elem), and the event handler (script-src-attr).
    await expect.poll(() => violations.filter((v) => v.directive === 'script-src-elem').length).toBeGreaterThanOrEqual(3);
    expect(new Set(violations.filter((v) => v.directive !== 'console').map((v) => v.directive))).toEqual(new Set(['script-src-elem', 'script-src-attr']));

    // As a stored or reflected injection would arrive: inside the HTML the server sends, under the
    // same response headers. It does not run; the page's own scripts, which carry the nonce, do.
    await page.route(`${e2e.app.url}/t/surdulica/documents`, async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace('<body>', '<body><script>window.injectedServed = true</script>');
      // The headers as sent (the policy among them), but for the encoding of the body now rewritten.
      const headers = Object.fromEntries(Object.entries(response.headers()).filter(([name]) => !['content-encoding', 'content-length'].includes(name)));
      expect(headers['content-security-policy']).toContain("script-src 'self' 'nonce-");
      await route.fulfill({ status: response.status(), headers, body: html });
    });
    const before = violations.length;
    await page.goto(`${e2e.app.url}/t/surdulica/documents`);
    await page.waitForFunction(() => (window as unknown as { __remixContext?: unknown }).__remixContext !== undefined);
    expect(await page.evaluate(() => (window as unknown as { injectedServed?: boolean }).injectedServed)).toBeUndefined();
    await expect.poll(() => violations.slice(before).filter((v) => v.directive === 'script-src-elem' && v.blocked === 'inline').length).toBe(1);
    // Hydrated: a menu link navigates without loading the document again.
    await mark(page);
    await page.getByRole('link', { name: 'Нови документ' }).click();
    await page.waitForURL(/\/documents\/new$/);
    expect(await marked(page)).toBe(true);
  });

  it('lets every page of the overtime chain work with JavaScript, without a violation', async () => {
    const { page, violations } = await signedIn('nikola.petrovic@surdulica.test');
    // Client-side navigation through the links of the menu.
    await mark(page);
    await page.getByRole('link', { name: 'Моји документи' }).click();
    await page.waitForURL(/\/t\/surdulica\/documents$/);
    await page.getByRole('link', { name: 'Нови документ' }).click();
    await page.waitForURL(/\/documents\/new$/);
    expect(await marked(page)).toBe(true);
    // A form submitted by Remix: a new draft, filled and saved.
    await page.getByRole('button', { name: 'Започни: Захтев за прековремени рад' }).click();
    await page.waitForURL(/\/documents\/[0-9a-f-]+$/);
    expect(await marked(page)).toBe(true);
    await page.getByLabel('Датум прековременог рада').fill('2026-12-16');
    await page.getByLabel('Почетак').fill('16:00');
    await page.getByLabel('Завршетак').fill('18:00');
    await page.getByLabel('Основ за прековремени рад').selectOption('unplannedDeadline');
    await page.getByLabel('Опис посла и разлог').fill('Завршни рачун');
    await page.getByRole('button', { name: 'Поднеси', exact: true }).click();
    await expect.poll(() => page.locator('p.alert--ok').textContent()).toContain('Поднето');
    expect(await marked(page)).toBe(true);
    // The language switch is a form too.
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('button', { name: 'Српски (ћирилица)' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('sr-Cyrl');
    expect(violations).toEqual([]);

    const head = await signedIn('marija.stojanovic@surdulica.test');
    await head.page.getByRole('link', { name: 'Захтев за прековремени рад' }).first().click();
    await head.page.waitForURL(/\/documents\/[0-9a-f-]+$/);
    await head.page.getByRole('button', { name: 'Одобри' }).click();
    await expect.poll(() => head.page.locator('p.alert--ok').textContent()).toContain('Забележено');
    expect(head.violations).toEqual([]);

    const clerk = await signedIn('ljiljana.cvetkovic@surdulica.test');
    await mark(clerk.page);
    await clerk.page.getByRole('link', { name: 'Деловодник' }).click();
    await clerk.page.waitForURL(/\/registry$/);
    await clerk.page.locator('input[name="q"]').fill('прековремени');
    await clerk.page.getByRole('button', { name: 'Прикажи' }).click();
    await clerk.page.waitForURL(/\/registry\?/);
    expect(await marked(clerk.page)).toBe(true);
    expect(clerk.violations).toEqual([]);
  });

  it('lets the account pages work — two-step set-up with its QR code, sign-in with a code, the password meter — without a violation', async () => {
    const email = 'zoran.ilic@surdulica.test';
    const { page, violations } = await signedIn(email);
    await page.goto(`${e2e.app.url}/account/mfa`);
    await page.locator('.totp-qr svg').waitFor();
    const secret = ((await page.locator('.totp-key').textContent()) ?? '').replace(/\s/g, '');
    const codeAt = (at: number) => TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: at });
    const at = Date.now();
    await page.getByLabel('Код из апликације').fill(codeAt(at));
    await page.getByLabel('Ваша лозинка, као потврда').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Укључи' }).click();
    await page.getByRole('heading', { name: 'Ваши кодови за опоравак' }).waitFor();

    await page.context().clearCookies();
    await e2e.submitSignIn(page, email);
    await page.waitForURL(`${e2e.app.url}/login/verify`);
    await page.getByLabel('Код').fill(codeAt(at + 30_000));
    await page.getByRole('button', { name: 'Потврди' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));

    // The meter loads its dictionaries (a script chunk of their own) on the first keystroke.
    await page.goto(`${e2e.app.url}/account/password`);
    await page.getByLabel('Нова лозинка', { exact: true }).pressSequentially('Zoran-2026!!');
    await expect.poll(() => page.locator('.password-meter').textContent(), { timeout: 15_000 }).toContain('састављена од вашег имена');
    await page.goto(`${e2e.app.url}/login/forgot`);
    expect(await page.locator('h1').count()).toBe(1);
    expect(violations).toEqual([]);
  });

  it('lets the administration and the national template editor’s live preview work, without a violation', async () => {
    const admin = await signedIn('milos.tomic@surdulica.test');
    for (const section of ['staff', 'units', 'substitutes', 'settings', 'templates', 'delegations', 'export']) {
      await admin.page.goto(`${e2e.app.url}/t/surdulica/admin/${section}`);
      expect(await admin.page.locator('h1').count(), section).toBe(1);
    }
    await admin.page.goto(`${e2e.app.url}/t/surdulica/admin/staff`);
    await admin.page.getByLabel('Адреса е-поште').fill('vesna.csp@surdulica.test');
    await admin.page.getByLabel('Име и презиме').fill('Весна Радић');
    await admin.page.getByLabel('Радно место').fill('Референт');
    await admin.page.getByRole('button', { name: 'Пошаљи позив' }).click();
    await admin.page.waitForURL(/invited=/);
    expect(admin.violations).toEqual([]);

    const editor = await signedIn('ana.markovic@ite.test');
    await editor.page.goto(`${e2e.app.url}/national/templates/new`);
    await editor.page.getByLabel('Кључ').fill('csp-check');
    await editor.page.getByLabel('Назив (српски, ћирилица)').fill('Провера');
    await editor.page.getByLabel('Назив (енглески)').fill('Check');
    await editor.page.getByLabel('Категорија').fill('office');
    await editor.page.getByLabel('Класификациона ознака').fill('031');
    await editor.page.getByRole('button', { name: 'Направи нацрт' }).click();
    await editor.page.waitForURL(`${e2e.app.url}/national/templates/csp-check/v/1`);
    await mark(editor.page);
    const card = editor.page.getByRole('group', { name: 'Ново поље' });
    await card.getByLabel('Назив').fill('destination');
    await card.getByLabel('Врста').selectOption('text');
    await card.getByLabel('Ознака (српски, ћирилица)').fill('Одредиште');
    await card.getByLabel('Ознака (енглески)').fill('Destination');
    await card.getByRole('button', { name: 'Додај поље' }).click();
    await expect.poll(() => editor.page.locator('.preview-form label').allTextContents()).toEqual(['Одредиште']);
    await editor.page.locator('.preview-lang').getByRole('link', { name: 'English' }).click();
    await expect.poll(() => editor.page.locator('.preview-form label').allTextContents()).toEqual(['Destination']);
    expect(await marked(editor.page)).toBe(true);

    // The development mailbox shows an email's own HTML, styled, in a frame that runs nothing.
    await e2e.runJobs();
    const national = await signedIn('petar.nikolic@ite.test');
    await national.page.goto(`${e2e.app.url}/national/mail`);
    await national.page.getByRole('link', { name: 'Позив у Деловод: Општина Сурдулица' }).first().click();
    await national.page.waitForURL(/\/national\/mail\/.+/);
    const frame = national.page.frameLocator('iframe.mail-frame');
    await expect.poll(() => frame.locator('body').evaluate((b) => getComputedStyle(b).maxWidth)).not.toBe('none');
    expect([...editor.violations, ...national.violations]).toEqual([]);
  });
});
