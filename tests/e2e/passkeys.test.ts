// Passkeys (WebAuthn) as the second step, in headless Chromium with a virtual authenticator
// (the DevTools protocol's WebAuthn domain): added from the two-step verification page after
// TOTP, used at the next sign-in instead of a code, refused when its answer is replayed, removed
// with the password; and not offered at all without JavaScript, where TOTP is the way in.
import { sql } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '#db/rows';
import { DEMO_PASSWORD } from '#tenants/demo';
import { browserApp } from '#tests/support/browser-app';
import { accessibilityViolations } from '#tests/support/browser';
import { Client } from '#tests/support/http';

const e2e = browserApp();

const email = 'stefan.lazic@apr.test';
const codeAt = (secret: string, at: number) => TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: at });

async function password(page: Page) {
  await page.context().clearCookies({ name: 'delovod_session' });
  await e2e.submitSignIn(page, email);
}

/** A platform authenticator that says yes by itself, as a laptop's fingerprint reader would for its owner. */
async function withAuthenticator(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, authenticatorId };
}

const passkeysInDb = async () =>
  rowsOf<{ name: string; counter: number; last_used_at: Date | null }>(
    await e2e.app.owner.db.execute(sql`select p.name, p.counter, p.last_used_at from user_passkeys p join users u on u.id = p.user_id where u.email = ${email}`),
  );

describe('passkeys', () => {
  let secret = '';
  let at = 0;

  it('are added from the two-step verification page once TOTP is on, and confirm the next sign-in', async () => {
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    // Everything here runs under the site's Content-Security-Policy: not one violation.
    const violations: string[] = [];
    await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { reportViolation(v: string): void }).reportViolation(`${e.effectiveDirective} ${e.blockedURI}`));
    });
    const { cdp, authenticatorId } = await withAuthenticator(context, page);
    await password(page);
    await page.waitForURL(`${e2e.app.url}/t/business-registers-agency/inbox`);
    await page.goto(`${e2e.app.url}/account/mfa`);
    // Before TOTP there is nothing to add a passkey to.
    expect(await page.getByRole('button', { name: 'Додај приступни кључ' }).count()).toBe(0);
    secret = ((await page.locator('.totp-key').textContent()) ?? '').replace(/\s/g, '');
    at = Date.now();
    await page.getByLabel('Код из апликације').fill(codeAt(secret, at));
    await page.getByLabel('Ваша лозинка, као потврда').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Укључи' }).click();
    await page.getByRole('heading', { name: 'Ваши кодови за опоравак' }).waitFor();

    const add = page.locator('form.passkey-add');
    await add.getByLabel('Назив приступног кључа').fill('Лаптоп');
    await add.getByLabel('Ваша лозинка, као потврда').fill('not my password');
    await add.getByRole('button', { name: 'Додај приступни кључ' }).click();
    await expect.poll(() => add.locator('.field__error').textContent()).toBe('Лозинка није исправна.');
    await add.getByLabel('Ваша лозинка, као потврда').fill(DEMO_PASSWORD);
    await add.getByRole('button', { name: 'Додај приступни кључ' }).click();
    await page.getByText('Приступни кључ је додат.').waitFor();
    await page.getByText('Лаптоп').first().waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect((await passkeysInDb()).map((p) => p.name)).toEqual(['Лаптоп']);

    // The next sign-in: the password, then the passkey instead of a code.
    await password(page);
    await page.waitForURL(`${e2e.app.url}/login/verify`);
    const posted: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname.startsWith('/login/verify')) posted.push(r.postData() ?? '');
    });
    await page.getByRole('button', { name: 'Пријава приступним кључем' }).click();
    await page.waitForURL(`${e2e.app.url}/t/business-registers-agency/inbox`);
    const [used] = await passkeysInDb();
    expect(used.last_used_at).not.toBeNull();
    expect(Number(used.counter)).toBeGreaterThan(0);

    // The same answer, replayed at another sign-in (which asked for a passkey too), is refused.
    const replay = new Client(e2e.app.url);
    expect((await replay.post('/login', { email, password: DEMO_PASSWORD })).headers.get('location')).toBe('/login/verify');
    expect((await replay.post('/login/passkey', {})).status).toBe(200);
    const answer = new URLSearchParams(posted[0]).get('passkey')!;
    expect(JSON.parse(answer)).toMatchObject({ id: credentials[0].credentialId.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_') });
    const refused = await replay.post('/login/verify', { passkey: answer });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('Приступни кључ није прихваћен.');
    expect((await replay.get('/tenants')).headers.get('location')).toMatch(/^\/login/);
    expect(violations).toEqual([]);
    await context.close();
  });

  it('are not offered without JavaScript: the code from the app signs in', async () => {
    const context = await e2e.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await password(page);
    await page.waitForURL(`${e2e.app.url}/login/verify`);
    expect(await page.getByRole('button', { name: 'Пријава приступним кључем' }).count()).toBe(0);
    await page.getByLabel('Код').fill(codeAt(secret, at + 30_000));
    await page.getByRole('button', { name: 'Потврди' }).click();
    await page.waitForURL(`${e2e.app.url}/t/business-registers-agency/inbox`);
    // The account page lists the passkey and removes it with the password, without JavaScript too.
    await page.goto(`${e2e.app.url}/account/mfa`);
    expect(await page.locator('form.passkey-add').count()).toBe(0);
    await page.getByText('Лаптоп').first().waitFor();
    await page.getByLabel('Приступни кључ').selectOption({ label: 'Лаптоп' });
    await page.locator('#removePasskey').getByLabel('Ваша лозинка, као потврда').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Уклони приступни кључ' }).click();
    await page.getByText('Приступни кључ је уклоњен.').waitFor();
    expect(await passkeysInDb()).toEqual([]);
    await context.close();
  });
});
