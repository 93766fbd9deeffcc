// The first hour of a brand-new municipality (not a demo tenant), in headless Chromium: from
// the start page through the application, the national office's approval, the administrator's
// checklist and invitations, the adopted overtime chain and the registered pay slip's PDF. At
// every screen the next step must be offered where the person is, and the page must pass axe.
// The employee drafts and the head of unit approves with the keyboard alone. It prints how long
// the walk took. With SCREENS_DIR set it also saves the key screens in the three languages
// (docs/screens/ in the repository).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '#db/rows';
import { withTenantOn } from '#db/tenant';
import { DEMO_PASSWORD } from '#tenants/demo';
import { browserApp } from '#tests/support/browser-app';
import { issueInvitationToken } from '#tenants/invitations';
import { accessibilityViolations } from '#tests/support/browser';

const e2e = browserApp();
const started = Date.now();

const slug = 'bojnik';
const password = 'Bojnik-lozinka-2026';
const people = {
  admin: { email: 'ana@bojnik.test', name: 'Ана Алексић' },
  employee: { email: 'petar@bojnik.test', name: 'Петар Петровић', position: 'Референт за привреду', roles: [] },
  head: { email: 'milena@bojnik.test', name: 'Милена Јовић', position: 'Шеф одсека', roles: ['Руководилац јединице'] },
  hr: { email: 'jelena@bojnik.test', name: 'Јелена Кадић', position: 'Референт за кадрове', roles: ['Кадровска служба'] },
  finance: { email: 'ivana@bojnik.test', name: 'Ивана Рачић', position: 'Рачуновођа', roles: ['Финансије'] },
  financeHead: { email: 'zoran@bojnik.test', name: 'Зоран Илић', position: 'Шеф рачуноводства', roles: ['Руководилац финансија'] },
  chief: { email: 'dragana@bojnik.test', name: 'Драгана Марковић', position: 'Начелница управе', roles: ['Начелник управе'] },
  clerk: { email: 'sara@bojnik.test', name: 'Сара Стојановић', position: 'Референт писарнице', roles: ['Писарница'] },
};
const invited = ['employee', 'head', 'hr', 'finance', 'financeHead', 'chief', 'clerk'] as const;

const screensDir = process.env.SCREENS_DIR;
if (screensDir) mkdirSync(screensDir, { recursive: true });

/** A screen of the walk: accessible, and (when asked) photographed in the three languages. */
async function screen(page: Page, name: string, show?: string) {
  expect(await accessibilityViolations(page), `${name}: ${page.url()}`).toEqual([]);
  if (!screensDir) return;
  for (const locale of ['sr-Cyrl', 'sr-Latn', 'en']) {
    await page.context().addCookies([{ name: 'delovod_lng', value: locale, url: e2e.app.url }]);
    await page.reload();
    if (show) await page.locator(show).first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(screensDir, `${name}.${locale}.png`) });
  }
  await page.context().addCookies([{ name: 'delovod_lng', value: 'sr-Cyrl', url: e2e.app.url }]);
  await page.reload();
}

async function newPage(): Promise<Page> {
  // en-GB: 24-hour time from the keyboard.
  const context = await e2e.browser.newContext({ locale: 'en-GB', viewport: { width: 1100, height: 800 } });
  return context.newPage();
}

async function signIn(email: string, pass = password): Promise<Page> {
  const page = await newPage();
  await page.goto(`${e2e.app.url}/`);
  await page.getByRole('link', { name: 'Пријавите се' }).click();
  await page.getByLabel('Адреса е-поште').fill(email);
  await page.getByLabel('Лозинка').fill(pass);
  await page.getByRole('button', { name: 'Пријави се' }).click();
  await page.waitForURL(/\/inbox$|\/national$|\/tenants$/);
  return page;
}

/** Moves the focus with Tab alone until it reaches the control of that name. */
async function tabTo(page: Page, name: RegExp) {
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const label = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent : null;
      return (el.getAttribute('aria-label') ?? label ?? el.textContent ?? '').trim();
    });
    if (name.test(focused)) return;
  }
  throw new Error(`the keyboard never reached ${name}`);
}

const pdfText = (bytes: Buffer) => {
  const dir = mkdtempSync(join(tmpdir(), 'delovod-pdf-'));
  writeFileSync(join(dir, 'd.pdf'), bytes);
  return execFileSync('pdftotext', ['-layout', join(dir, 'd.pdf'), '-'], { encoding: 'utf8' });
};

async function inviteToken(email: string): Promise<string> {
  // The email job mints the link when it sends the invitation; here the test does what it will do.
  const [tenant] = rowsOf<{ id: string }>(await e2e.app.app.db.execute(sql`select id from tenants where slug = ${slug}`));
  const token = await withTenantOn(e2e.app.app.db, { tenantId: tenant.id }, async (tx) => {
    const [inv] = rowsOf<{ id: string }>(
      await tx.execute(sql`select i.id from invitations i join memberships m on m.tenant_id = i.tenant_id and m.id = i.membership_id
        join users u on u.id = m.user_id where u.email = ${email}`),
    );
    return issueInvitationToken(tx, tenant.id, inv.id);
  });
  if (!token) throw new Error(`no open invitation for ${email}`);
  return token;
}

async function openFromInbox(page: Page, title: string) {
  await page.getByRole('link', { name: 'Пријемно сандуче' }).click();
  await page.getByRole('link', { name: title }).first().click();
  await page.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
}

// Seven invitations sent and accepted, or a screen photographed three times, take a while on a busy machine.
describe('the first hour of a new municipality', { timeout: 240_000 }, () => {
  let requestUrl = '';
  let slipUrl = '';

  it('finds the application on the start page and applies', async () => {
    const page = await newPage();
    await page.goto(`${e2e.app.url}/`);
    await screen(page, 'home');
    await page.getByRole('link', { name: 'Поднесите захтев за приступање' }).click();
    await page.waitForURL(/\/signup$/);
    await page.getByRole('button', { name: 'Поднеси захтев за приступање' }).click();
    await page.waitForURL(/\/signup\/body$/);
    await screen(page, 'signup-body');
    await page.getByLabel('Врста органа').selectOption('municipality');
    await page.getByLabel('Званични назив ћирилицом', { exact: true }).fill('Општина Бојник');
    await page.getByLabel('Матични број').fill('07209118');
    await page.getByLabel('Порески идентификациони број (ПИБ)').fill('100530026');
    await page.getByLabel('Адреса', { exact: true }).fill('Трг слободе 3, Бојник');
    const next = () => page.getByRole('button', { name: 'Сачувај и настави' }).click();
    await next();
    await page.waitForURL(/\/signup\/admin$/);
    // The step indicator says where the applicant is.
    await expect.poll(() => page.locator('.wizard-steps [aria-current="step"]').textContent()).toContain('Администратор');
    await page.getByLabel('Име и презиме').fill(people.admin.name);
    await page.getByLabel('Радно место').fill('Администратор');
    await page.getByLabel('Адреса е-поште').fill(people.admin.email);
    await page.getByLabel('Лозинка', { exact: true }).fill(password);
    await page.getByLabel('Поновите лозинку').fill(password);
    await next();
    await page.waitForURL(/\/signup\/units$/);
    await page.getByLabel('Шифра').fill('OU');
    await page.getByLabel('Назив', { exact: true }).fill('Општинска управа');
    await page.getByRole('button', { name: 'Додај јединицу' }).click();
    await page.getByRole('cell', { name: 'Општинска управа' }).waitFor();
    await next();
    await page.waitForURL(/\/signup\/staff$/);
    await next();
    await page.waitForURL(/\/signup\/templates$/);
    expect(await page.getByRole('checkbox', { name: /Захтев за прековремени рад/ }).isChecked()).toBe(true);
    await next();
    await page.waitForURL(/\/signup\/review$/);
    await screen(page, 'signup-review');
    await page.getByRole('button', { name: 'Поднеси захтев' }).click();
    await page.getByRole('heading', { name: 'Захтев је поднет' }).waitFor();
    await page.context().close();
  });

  it('the national office sees the application waiting on its home page and approves it', async () => {
    const page = await signIn('petar.nikolic@ite.test', DEMO_PASSWORD);
    await page.goto(`${e2e.app.url}/national`);
    await page.getByText('захтев за приступање чека преглед').waitFor();
    await screen(page, 'national-home');
    await page.getByRole('link', { name: 'Прегледај захтеве' }).click();
    await page.getByRole('link', { name: /Општина Бојник/ }).click();
    await page.getByLabel('Адреса организације').waitFor();
    expect(await accessibilityViolations(page), `the application's review: ${page.url()}`).toEqual([]);
    await page.getByLabel('Адреса организације').fill(slug);
    await page.getByRole('button', { name: 'Одобри' }).click();
    await page.getByText(`Одобрено: организација ${slug} је спремна.`).waitFor();
    await page.context().close();
  });

  it('the administrator follows the checklist: invites the staff, and the approval lines have people', async () => {
    const page = await signIn(people.admin.email);
    await page.getByRole('heading', { name: 'Први кораци' }).waitFor();
    await page.getByText('Ове улоге још нико нема').waitFor();
    await screen(page, 'admin-first-steps');
    // The checklist leads to the staff page.
    await page.getByRole('link', { name: 'Запослени', exact: true }).first().click();
    await page.waitForURL(/\/admin\/staff$/);
    for (const key of invited) {
      const person = people[key];
      await page.getByLabel('Адреса е-поште').fill(person.email);
      await page.getByLabel('Име и презиме').fill(person.name);
      await page.getByLabel('Радно место').fill(person.position);
      await page.getByLabel('Јединица').selectOption({ label: 'OU — Општинска управа' });
      for (const role of person.roles) await page.getByRole('checkbox', { name: role }).check();
      await page.getByRole('button', { name: 'Пошаљи позив' }).click();
      await page.getByText(`Позив за ${person.email} је направљен`).waitFor();
    }
    await page.getByRole('link', { name: 'Пријемно сандуче' }).click();
    await page.getByText('Сваки корак усвојених линија одобравања има коме да иде.').waitFor();
    await page.locator('.checklist li.done', { hasText: 'Сви у линијама одобравања' }).waitFor();
    await page.locator('.checklist li.done', { hasText: 'Запослени' }).waitFor();
    await page.context().close();

    for (const key of invited) {
      const invitee = await newPage();
      await invitee.goto(`${e2e.app.url}/invite/${await inviteToken(people[key].email)}`);
      await invitee.getByLabel('Лозинка', { exact: true }).fill(password);
      await invitee.getByLabel('Поновите лозинку').fill(password);
      await invitee.getByRole('button', { name: 'Прихвати и пријави се' }).click();
      await invitee.waitForURL(`${e2e.app.url}/t/${slug}/inbox`);
      await invitee.context().close();
    }
  });

  it('the employee starts the first document from the empty list and submits it with the keyboard alone', async () => {
    const page = await signIn(people.employee.email);
    await page.getByRole('link', { name: 'Моји документи' }).click();
    await page.getByRole('heading', { name: 'Започните први документ' }).waitFor();
    await screen(page, 'first-document');
    await tabTo(page, /^Започни: Захтев за прековремени рад$/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
    requestUrl = page.url();
    await tabTo(page, /^Датум прековременог рада/);
    // Chromium's date field takes month, day and year from the keyboard, whatever the locale.
    await page.keyboard.type('12162026');
    expect(await page.getByLabel('Датум прековременог рада').inputValue()).toBe('2026-12-16');
    await tabTo(page, /^Почетак/);
    await page.keyboard.type('1600');
    await tabTo(page, /^Завршетак/);
    await page.keyboard.type('1900');
    // The hours appear as they are typed, before anything is sent.
    await expect.poll(() => page.locator('.live-computed output').first().textContent()).toBe('3,00');
    await tabTo(page, /^Основ за прековремени рад/);
    await page.keyboard.press('ArrowDown');
    await tabTo(page, /^Опис посла и разлог/);
    await page.keyboard.type('Израда пројекта за конкурс');
    await tabTo(page, /^Поднеси$/);
    await page.keyboard.press('Enter');
    await page.getByText('Поднето. Линија одобравања је започета.').waitFor();
    await page.getByText(`Сада чека: ${people.head.name}`).waitFor();
    await screen(page, 'document-card');
    await page.context().close();
  });

  it('the head of unit finds it in the inbox and approves it with the keyboard; HR takes note', async () => {
    const page = await signIn(people.head.email);
    await screen(page, 'inbox');
    await openFromInbox(page, 'Захтев за прековремени рад');
    await tabTo(page, /^Одобри$/);
    await page.keyboard.press('Enter');
    await page.getByText('Забележено.').waitFor();
    await page.context().close();

    const hr = await signIn(people.hr.email);
    await openFromInbox(hr, 'Захтев за прековремени рад');
    await hr.getByRole('button', { name: 'Означи као прочитано' }).click();
    await hr.getByText('Забележено.').waitFor();
    // The approver is not offered the author's next document.
    expect(await hr.getByRole('button', { name: 'Састави сада' }).count()).toBe(0);
    await hr.context().close();
  });

  it('the author is offered the result report, drafts it from the request and the head confirms it', async () => {
    const page = await signIn(people.employee.email);
    await page.goto(requestUrl);
    await page.getByRole('heading', { name: 'Следеће: Извештај о обављеном прековременом раду' }).waitFor();
    await page.getByRole('button', { name: 'Састави сада' }).click();
    await page.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
    expect(await page.getByLabel('Стварни почетак').inputValue()).toBe('16:00');
    await page.getByLabel('Стварни завршетак').fill('22:30');
    await page.getByLabel('Обављени послови').fill('Пројекат предат');
    await page.getByRole('button', { name: 'Поднеси', exact: true }).click();
    await page.getByText('Поднето. Линија одобравања је започета.').waitFor();
    // The request now links to the report instead of offering a second one.
    await page.goto(requestUrl);
    await page.getByRole('link', { name: /Из овог документа сте већ саставили документ/ }).waitFor();
    await page.context().close();

    const head = await signIn(people.head.email);
    await openFromInbox(head, 'Извештај о обављеном прековременом раду');
    await head.getByRole('button', { name: 'Одобри' }).click();
    await head.getByText('Забележено.').waitFor();
    await head.context().close();
  });

  it('finance sees every amount with its basis before passing the slip on; it is approved twice and registered', async () => {
    const page = await signIn(people.finance.email);
    await page.getByRole('link', { name: 'Моји документи' }).click();
    await page.getByRole('link', { name: 'Нови документ' }).click();
    await page.getByRole('button', { name: 'Започни: Обрачун увећане зараде за прековремени рад' }).click();
    await page.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
    slipUrl = page.url();
    await page.getByLabel('Запослени').selectOption({ label: `${people.employee.name} — ${people.employee.position}` });
    await page.getByLabel('Месец обрачуна').fill('2026-12');
    await page.getByRole('button', { name: 'Поднеси', exact: true }).click();
    await page.getByText('Поднето. Линија одобравања је започета.').waitFor();
    await page.getByLabel('Основица по часу (динара)').fill('650.00');
    const amounts = page.locator('form:has(button[value="prepared"]) output');
    await expect.poll(() => amounts.nth(1).textContent()).toBe('1.098,50\u00a0дин. = 6,50 × 650,00\u00a0дин. × 26\u00a0%');
    await page.getByRole('button', { name: 'Сачувај и проследи' }).click();
    await page.getByText('Забележено.').waitFor();
    await page.context().close();

    for (const who of [people.financeHead, people.chief]) {
      const approver = await signIn(who.email);
      await openFromInbox(approver, 'Обрачун увећане зараде за прековремени рад');
      // The approver sees every amount and what it is made of.
      await approver.getByText('= 4.225,00\u00a0дин. + 1.098,50\u00a0дин. + 84,50\u00a0дин. + 0,00\u00a0дин.').waitFor();
      await approver.getByRole('button', { name: 'Одобри' }).click();
      await approver.getByText('Забележено.').waitFor();
      await approver.context().close();
    }
  });

  it('the employee downloads the registered slip; its PDF has the right amounts', async () => {
    const page = await signIn(people.employee.email);
    await page.goto(slipUrl);
    await expect.poll(() => page.locator('.tag').first().textContent()).toBe('Заведен');
    await screen(page, 'pay-slip', 'section[aria-labelledby="contents"] .field--readonly >> nth=3');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Преузми PDF' }).click()]);
    const text = pdfText(Buffer.concat(await (await download.createReadStream()).toArray()));
    expect(text).toMatch(/4\.225,00/);
    expect(text).toMatch(/1\.098,50/);
    expect(text).toMatch(/5\.408,00/);
    // Each amount with what it is made of, as on the card.
    expect(text).toMatch(/1\.098,50\s*дин\.\s*=\s*6,50\s*×\s*650,00\s*дин\.\s*×\s*26\s*%/);
    expect(text).toMatch(/5\.408,00\s*дин\.\s*=\s*4\.225,00\s*дин\.\s*\+\s*1\.098,50/);
    await page.context().close();
    console.log(`The first hour of a new municipality, walked in the browser: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
});
