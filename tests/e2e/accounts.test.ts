// Two-step verification and the password meter as a person uses them, in headless Chromium
// against the built server, with JavaScript and without it: TOTP turned on from the account
// page and used at the next sign-in, enrolment forced on national staff at sign-in, and the
// server's verdict on a weak password beside the field (and, with JavaScript, as it is typed).
import { Secret, TOTP } from 'otpauth';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '#tenants/demo';
import { browserApp } from '#tests/support/browser-app';
import { accessibilityViolations } from '#tests/support/browser';

const e2e = browserApp({ MFA_FOR_STAFF: 'required' });

const codeAt = (secret: string, at: number) => TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: at });

async function signIn(page: Page, email: string) {
  await page.context().clearCookies();
  await e2e.submitSignIn(page, email);
}

const keyOn = async (page: Page) => {
  await page.locator('.totp-key').waitFor();
  return ((await page.locator('.totp-key').textContent()) ?? '').replace(/\s/g, '');
};

const people = {
  on: { member: 'nikola.petrovic@surdulica.test', national: 'petar.nikolic@ite.test' },
  off: { member: 'jelena.djordjevic@surdulica.test', national: 'ana.markovic@ite.test' },
};

for (const javaScriptEnabled of [true, false]) {
  const who = people[javaScriptEnabled ? 'on' : 'off'];
  describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    let context: BrowserContext;
    beforeAll(async () => {
      context = await e2e.browser.newContext({ javaScriptEnabled });
    });
    afterAll(() => context?.close());

    it('turns on TOTP from the account page and signs in with a code', async () => {
      const page = await context.newPage();
      await signIn(page, who.member);
      await page.waitForURL(`${e2e.app.url}/t/surdulica/inbox`);
      await page.getByRole('link', { name: 'Налог' }).click();
      await page.getByRole('link', { name: 'Пријава у два корака' }).click();
      await page.waitForURL(/\/account\/mfa$/);
      // The QR code is drawn on the server; the key is there to type instead.
      const qr = page.getByRole('img', { name: 'QR код за апликацију за аутентификацију' }).locator('svg');
      await qr.waitFor();
      expect(await qr.count()).toBe(1);
      const secret = await keyOn(page);
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      if (javaScriptEnabled) expect(await accessibilityViolations(page)).toEqual([]);

      await page.getByLabel('Код из апликације').fill('000000' === codeAt(secret, Date.now()) ? '111111' : '000000');
      await page.getByLabel('Ваша лозинка, као потврда').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Укључи' }).click();
      await expect.poll(() => page.locator('.field__error').first().textContent()).toContain('Код није исправан.');

      const at = Date.now();
      await page.getByLabel('Код из апликације').fill(codeAt(secret, at));
      await page.getByLabel('Ваша лозинка, као потврда').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Укључи' }).click();
      await page.getByRole('heading', { name: 'Ваши кодови за опоравак' }).waitFor();
      expect(await page.locator('.recovery-codes code').count()).toBe(10);
      await page.getByText('Укључена: пријава тражи код из апликације за аутентификацију.').waitFor();

      // The next sign-in asks for the code; nothing else opens until it is given.
      await signIn(page, who.member);
      await page.waitForURL(`${e2e.app.url}/login/verify`);
      await page.goto(`${e2e.app.url}/t/surdulica/inbox`);
      await page.waitForURL(/\/login\?redirectTo=/);
      await signIn(page, who.member);
      await page.waitForURL(`${e2e.app.url}/login/verify`);
      if (javaScriptEnabled) expect(await accessibilityViolations(page)).toEqual([]);
      await page.getByLabel('Код').fill(codeAt(secret, at + 30_000));
      await page.getByRole('button', { name: 'Потврди' }).click();
      await page.waitForURL(`${e2e.app.url}/t/surdulica/inbox`);
      await page.close();
    });

    it('makes national staff set up the second factor at sign-in before anything else', async () => {
      const page = await context.newPage();
      await signIn(page, who.national);
      await page.waitForURL(`${e2e.app.url}/login/enrol`);
      await page.getByText('Ваша улога захтева други корак при пријави').waitFor();
      const secret = await keyOn(page);
      await page.getByLabel('Код из апликације').fill(codeAt(secret, Date.now()));
      await page.getByRole('button', { name: 'Укључи' }).click();
      await page.getByRole('heading', { name: 'Ваши кодови за опоравак' }).waitFor();
      await page.getByRole('link', { name: 'Настави' }).click();
      await page.waitForURL((url) => url.pathname === '/tenants' || url.pathname === '/national');
      await page.goto(`${e2e.app.url}/national`);
      expect(page.url()).toBe(`${e2e.app.url}/national`);
      await page.close();
    });

    it('shows the server’s verdict on a weak new password beside the field', async () => {
      const page = await context.newPage();
      await signIn(page, 'marija.stojanovic@surdulica.test');
      await page.waitForURL(`${e2e.app.url}/t/surdulica/inbox`);
      await page.goto(`${e2e.app.url}/account/password`);
      const weak = 'Marija-2026!!';
      if (javaScriptEnabled) {
        // Pasting (from a password manager) is allowed into every password field: no script cancels it.
        const cancelled = await page.locator('input[type="password"]').evaluateAll((inputs) =>
          inputs.map((input) => {
            const clipboardData = new DataTransfer();
            clipboardData.setData('text/plain', 'pasted password');
            return !input.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
          }),
        );
        expect(cancelled).toEqual([false, false, false]);
      }
      await page.getByLabel('Тренутна лозинка').fill(DEMO_PASSWORD);
      await page.getByLabel('Нова лозинка', { exact: true }).fill(weak);
      if (javaScriptEnabled) {
        // The meter judges as the password is typed, with the server's own rules.
        await expect.poll(() => page.locator('.password-meter').textContent(), { timeout: 15_000 }).toContain('састављена од вашег имена');
      }
      await page.getByLabel('Поново нова лозинка').fill(weak);
      await page.getByRole('button', { name: 'Промени лозинку' }).click();
      await expect.poll(() => page.locator('.field__error').first().textContent()).toContain('састављена од вашег имена');
      // The server sends no password back (with JavaScript the browser keeps what was typed, to edit).
      if (!javaScriptEnabled) expect(await page.getByLabel('Нова лозинка', { exact: true }).inputValue()).toBe('');
      await page.close();
    });
  });
}
