// Every page of the product, as the person who uses it sees it, checked with axe (WCAG 2.1 A
// and AA) in Chromium: public pages, each tenant role's pages, the administration and the
// national office. A page must answer 200 for its person, so the check is of the page itself
// and not of an error page standing in for it. Pages reached only by a link from an email (a
// password reset, a saved application) are opened with a link minted as the email job mints it.
// Pages checked by the walk that reaches them instead: the signup wizard's steps and the
// invitation (onboarding.test.ts), a signup under review (first-hour.test.ts), the sign-in's
// second factor (accounts.test.ts), the development mailbox (jobs-pages.test.ts).
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '#db/rows';
import { issueResetToken } from '#app/auth/account.server';
import { browserApp } from '#tests/support/browser-app';
import { issueSignupResumeToken } from '#tenants/signup';
import { accessibilityViolations, type AxeViolation } from '#tests/support/browser';

const e2e = browserApp();

async function as(email: string | null): Promise<Page> {
  const page = await (await e2e.browser.newContext()).newPage();
  if (!email) return page;
  await e2e.submitSignIn(page, email);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return page;
}

/** Each page's violations, by path; an empty object when every page passes. */
async function check(page: Page, paths: string[]): Promise<Record<string, AxeViolation[] | string>> {
  const found: Record<string, AxeViolation[] | string> = {};
  for (const path of paths) {
    const res = await page.goto(`${e2e.app.url}${path}`);
    if (res?.status() !== 200) {
      found[path] = `status ${res?.status()}`;
      continue;
    }
    const violations = await accessibilityViolations(page);
    if (violations.length) found[path] = violations;
  }
  return found;
}

const t = '/t/surdulica';

describe('every page passes axe', { timeout: 180_000 }, () => {
  it.each([
    ['someone not signed in', null, ['/', '/login', '/login/forgot', '/signup', '/api/v1/reference']],
    ['an employee', 'nikola.petrovic@surdulica.test', [`${t}/inbox`, `${t}/documents`, `${t}/documents/new`, `${t}/notifications`, `${t}/profile`, '/account', '/account/password', '/account/mfa']],
    ['finance', 'ivana.stankovic@surdulica.test', [`${t}/inbox`, `${t}/closed-months`, `${t}/reports`]],
    ['the registry office', 'ljiljana.cvetkovic@surdulica.test', [`${t}/registry`]],
    [
      'the administrator',
      'milos.tomic@surdulica.test',
      [
        `${t}/inbox`,
        `${t}/admin/staff`,
        `${t}/admin/units`,
        `${t}/admin/substitutes`,
        `${t}/admin/settings`,
        `${t}/admin/export`,
        `${t}/admin/templates`,
        `${t}/admin/templates/overtime-request`,
        `${t}/admin/delegations`,
        `${t}/admin/api`,
        `${t}/admin/webhooks`,
      ],
    ],
    ['the national reviewer', 'petar.nikolic@ite.test', ['/national', '/national/signups', '/national/tenants', '/national/reports', '/national/queues', '/tenants']],
    [
      'the national template editor',
      'ana.markovic@ite.test',
      ['/national/templates', '/national/templates/new', '/national/templates/overtime-request', '/national/templates/overtime-request/v/1', '/national/templates/overtime-request/diff'],
    ],
  ])('for %s', async (_who, email, paths) => {
    const page = await as(email);
    expect(await check(page, paths)).toEqual({});
    await page.context().close();
  });

  it('on a document card and its step form', async () => {
    const nikola = await as('nikola.petrovic@surdulica.test');
    await nikola.goto(`${e2e.app.url}${t}/documents/new`);
    await nikola.getByRole('button', { name: 'Започни: Захтев за прековремени рад' }).click();
    await nikola.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
    expect(await accessibilityViolations(nikola)).toEqual([]);
    await nikola.getByLabel('Датум прековременог рада').fill('2026-12-18');
    await nikola.getByLabel('Почетак').fill('16:00');
    await nikola.getByLabel('Завршетак').fill('18:00');
    await nikola.getByLabel('Основ за прековремени рад').selectOption('unplannedDeadline');
    await nikola.getByLabel('Опис посла и разлог').fill('Завршни рачун');
    await nikola.getByRole('button', { name: 'Поднеси', exact: true }).click();
    await nikola.getByText('Поднето.').first().waitFor();
    expect(await accessibilityViolations(nikola)).toEqual([]);
    await nikola.context().close();

    const marija = await as('marija.stojanovic@surdulica.test');
    await marija.getByRole('link', { name: 'Захтев за прековремени рад' }).first().click();
    await marija.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
    expect(await accessibilityViolations(marija)).toEqual([]);
    await marija.context().close();
  });

  it('on a staff member’s page', async () => {
    const page = await as('milos.tomic@surdulica.test');
    await page.goto(`${e2e.app.url}${t}/admin/staff`);
    await page.getByRole('link', { name: 'Никола Петровић' }).click();
    await page.waitForURL(/\/admin\/staff\/[0-9a-f-]{36}$/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('on the page a mistyped address gets', async () => {
    const page = await as(null);
    expect((await page.goto(`${e2e.app.url}/no-such-page`))?.status()).toBe(404);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('on the pages an emailed link opens: a password reset and a saved application', async () => {
    const page = await as(null);
    await page.goto(`${e2e.app.url}/login/forgot`);
    await page.getByLabel('Адреса е-поште').fill('nikola.petrovic@surdulica.test');
    await page.getByRole('button', { name: 'Пошаљи везу' }).click();
    await expect.poll(async () => rowsOf(await e2e.app.app.db.execute(sql`select 1 from password_resets where user_id = (select id from users where email = 'nikola.petrovic@surdulica.test')`)).length).toBe(1);
    const [reset] = rowsOf<{ id: string }>(await e2e.app.app.db.execute(sql`select id from password_resets order by created_at desc limit 1`));
    const minted = await e2e.app.app.db.transaction((tx) => issueResetToken(tx, reset.id));

    await page.goto(`${e2e.app.url}/signup`);
    await page.getByRole('button', { name: 'Поднеси захтев за приступање' }).click();
    await page.waitForURL(/\/signup\/body$/);
    const [draft] = rowsOf<{ id: string }>(await e2e.app.app.db.execute(sql`select id from signup_requests where status = 'draft' order by created_at desc limit 1`));
    const resume = await issueSignupResumeToken(e2e.app.app.db, draft.id);

    expect(await check(page, [`/login/reset/${minted!.token}`, `/signup/resume/${resume}`])).toEqual({});
    await page.context().close();
  });
});

