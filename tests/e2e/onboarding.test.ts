// A new municipality joins as people do it, in headless Chromium against the built server,
// with JavaScript and without it: the wizard (checked with axe), the national review, the
// first administrator, an invited colleague, and the overtime request ready to start.
import { sql } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '#db/rows';
import { withTenantOn } from '#db/tenant';
import { DEMO_PASSWORD } from '#tenants/demo';
import { browserApp } from '#tests/support/browser-app';
import { issueInvitationToken } from '#tenants/invitations';
import { accessibilityViolations } from '#tests/support/browser';

const e2e = browserApp();

// Two real municipalities, neither a demo tenant, with valid matični broj and PIB.
const bodies = {
  on: { name: 'Општина Власотинце', slug: 'vlasotince', maticniBroj: '07245360', pib: '100981009', address: 'Трг ослобођења 16, Власотинце', admin: 'jovana@vlasotince.test', colleague: 'sara@vlasotince.test' },
  off: { name: 'Општина Лебане', slug: 'lebane', maticniBroj: '07209410', pib: '100529157', address: 'Цара Душана 116, Лебане', admin: 'dejan@lebane.test', colleague: 'ivan@lebane.test' },
};

/** axe is a script: it runs where scripts do, on the same server-rendered steps. */
async function expectAccessible(page: Page, javaScriptEnabled: boolean) {
  if (javaScriptEnabled) expect(await accessibilityViolations(page), page.url()).toEqual([]);
}

async function signIn(page: Page, email: string, password: string) {
  await page.context().clearCookies();
  await e2e.submitSignIn(page, email, password);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

const next = (page: Page) => page.getByRole('button', { name: 'Сачувај и настави' }).click();

for (const javaScriptEnabled of [true, false]) {
  const body = bodies[javaScriptEnabled ? 'on' : 'off'];
  describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    let context: BrowserContext;
    beforeAll(async () => {
      context = await e2e.browser.newContext({ javaScriptEnabled });
    });
    afterAll(() => context?.close());

    it('signs up through every step of the wizard, each one accessible', async () => {
      const page = await context.newPage();
      await page.goto(`${e2e.app.url}/signup`);
      await expectAccessible(page, javaScriptEnabled);
      await page.getByRole('button', { name: 'Поднеси захтев за приступање' }).click();
      await page.waitForURL(/\/signup\/body$/);
      await expectAccessible(page, javaScriptEnabled);

      await page.getByLabel('Врста органа').selectOption('municipality');
      await page.getByLabel('Званични назив ћирилицом', { exact: true }).fill(body.name);
      await page.getByLabel('Матични број').fill('07245361');
      await page.getByLabel('Порески идентификациони број (ПИБ)').fill(body.pib);
      await page.getByLabel('Адреса', { exact: true }).fill(body.address);
      await next(page);
      // A wrong check digit is explained beside the field, and nothing typed is lost.
      await page.getByText('Овај матични број није исправан').first().waitFor();
      expect(await page.getByLabel('Званични назив ћирилицом', { exact: true }).inputValue()).toBe(body.name);
      await expectAccessible(page, javaScriptEnabled);
      await page.getByLabel('Матични број').fill(body.maticniBroj);
      await next(page);

      await page.waitForURL(/\/signup\/admin$/);
      await expectAccessible(page, javaScriptEnabled);
      await page.getByLabel('Име и презиме').fill('Јована Илић');
      await page.getByLabel('Радно место').fill('Администратор');
      await page.getByLabel('Адреса е-поште').fill(body.admin);
      await page.getByLabel('Лозинка', { exact: true }).fill('Opstina-lozinka-2026');
      await page.getByLabel('Поновите лозинку').fill('Opstina-lozinka-2026');
      await next(page);

      await page.waitForURL(/\/signup\/units$/);
      await expectAccessible(page, javaScriptEnabled);
      await page.getByLabel('Шифра').fill('OU');
      await page.getByLabel('Назив', { exact: true }).fill('Општинска управа');
      await page.getByRole('button', { name: 'Додај јединицу' }).click();
      await page.getByRole('cell', { name: 'Општинска управа' }).waitFor();
      await next(page);

      await page.waitForURL(/\/signup\/staff$/);
      await expectAccessible(page, javaScriptEnabled);
      await next(page);

      await page.waitForURL(/\/signup\/templates$/);
      await expectAccessible(page, javaScriptEnabled);
      // The standard set comes preselected, the overtime request with it.
      expect(await page.getByRole('checkbox', { name: /Захтев за прековремени рад/ }).isChecked()).toBe(true);
      await next(page);

      await page.waitForURL(/\/signup\/review$/);
      await expectAccessible(page, javaScriptEnabled);
      await page.getByText(body.name).first().waitFor();
      await page.getByRole('button', { name: 'Поднеси захтев' }).click();
      await page.waitForURL(/\/signup$/);
      await page.getByRole('heading', { name: 'Захтев је поднет' }).waitFor();
      await page.close();
    });

    it('is approved by the national office', async () => {
      const page = await context.newPage();
      await signIn(page, 'petar.nikolic@ite.test', DEMO_PASSWORD);
      await page.goto(`${e2e.app.url}/national/signups`);
      await page.getByRole('link', { name: body.name }).click();
      await page.waitForURL(/\/national\/signups\/[0-9a-f-]{36}$/);
      await page.getByLabel('Адреса организације').fill(body.slug);
      await page.getByRole('button', { name: 'Одобри' }).click();
      await page.getByText(`Одобрено: организација ${body.slug} је спремна.`).waitFor();
      await page.close();
    });

    it('lets its administrator sign in and invite a colleague, who accepts and can start an overtime request', async () => {
      const page = await context.newPage();
      await signIn(page, body.admin, 'Opstina-lozinka-2026');
      await page.goto(`${e2e.app.url}/t/${body.slug}/admin/staff`);
      await page.getByRole('heading', { level: 1, name: 'Запослени' }).waitFor();
      await page.getByLabel('Адреса е-поште').fill(body.colleague);
      await page.getByLabel('Име и презиме').fill('Сара Стојановић');
      await page.getByLabel('Радно место').fill('Референт');
      await page.getByRole('button', { name: 'Пошаљи позив' }).click();
      await page.getByText(`Позив за ${body.colleague} је направљен`).waitFor();
      await page.getByRole('cell', { name: body.colleague }).waitFor();

      // The email job mints the link when it sends the invitation; here the test does what it will do.
      const [tenant] = rowsOf<{ id: string }>(await e2e.app.app.db.execute(sql`select id from tenants where slug = ${body.slug}`));
      const token = await withTenantOn(e2e.app.app.db, { tenantId: tenant.id }, async (tx) => {
        const [inv] = rowsOf<{ id: string }>(
          await tx.execute(sql`select i.id from invitations i join memberships m on m.tenant_id = i.tenant_id and m.id = i.membership_id
            join users u on u.id = m.user_id where u.email = ${body.colleague}`),
        );
        return issueInvitationToken(tx, tenant.id, inv.id);
      });

      await page.context().clearCookies();
      await page.goto(`${e2e.app.url}/invite/${token}`);
      await expectAccessible(page, javaScriptEnabled);
      await page.getByLabel('Лозинка', { exact: true }).fill('Sara-lozinka-2026');
      await page.getByLabel('Поновите лозинку').fill('Sara-lozinka-2026');
      await page.getByRole('button', { name: 'Прихвати и пријави се' }).click();
      await page.waitForURL(`${e2e.app.url}/t/${body.slug}/inbox`);
      await page.getByRole('heading', { level: 1, name: 'Пријемно сандуче' }).waitFor();

      await page.goto(`${e2e.app.url}/t/${body.slug}/documents/new`);
      await page.getByRole('button', { name: 'Започни: Захтев за прековремени рад' }).click();
      await page.waitForURL(new RegExp(`/t/${body.slug}/documents/[0-9a-f-]{36}`));
      await page.getByRole('heading', { level: 1, name: /Захтев за прековремени рад/ }).waitFor();
      await page.close();
    });

    it('gives the administrator accessible pages, and a registry number example that follows the format', async () => {
      const page = await context.newPage();
      await signIn(page, body.admin, 'Opstina-lozinka-2026');
      for (const [path, heading] of [
        ['units', 'Организационе јединице'],
        ['substitutes', 'Замене'],
        ['export', 'Извоз података'],
        ['settings', 'Подешавања'],
      ]) {
        await page.goto(`${e2e.app.url}/t/${body.slug}/admin/${path}`);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        await expectAccessible(page, javaScriptEnabled);
      }
      const year = new Date().getFullYear();
      await page.getByText(`112-14/${year}`).waitFor();
      await page.getByLabel('Облик деловодног броја').fill('{unit}/{class}-{seq}/{year}');
      // With JavaScript the example follows the typing; without, the page shows it on request.
      if (!javaScriptEnabled) await page.getByRole('button', { name: 'Прикажи пример' }).click();
      await page.getByText(`OU/112-14/${year}`).waitFor();
      // The sign-in rules have their own form and their own button further down.
      await page.locator('#settings').getByRole('button', { name: 'Сачувај' }).click();
      await page.getByText('Подешавања су сачувана.').waitFor();
      expect(await page.getByLabel('Облик деловодног броја').inputValue()).toBe('{unit}/{class}-{seq}/{year}');
      await page.close();
    });
  });
}
