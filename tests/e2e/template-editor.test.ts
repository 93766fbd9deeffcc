// The national office builds a new standard template with the structured editor, in headless
// Chromium: three fields and two steps from scratch, the live preview, publishing; then
// Surdulica's administrator adopts it. Also without JavaScript, and for WCAG 2.1 AA.
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserApp } from '#tests/support/browser-app';
import { accessibilityViolations } from '#tests/support/browser';

const e2e = browserApp();

async function signIn(context: BrowserContext, email: string): Promise<Page> {
  const page = await context.newPage();
  await e2e.submitSignIn(page, email);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return page;
}

async function newTemplate(page: Page, key: string, title: string) {
  await page.goto(`${e2e.app.url}/national/templates/new`);
  await page.getByLabel('Кључ').fill(key);
  await page.getByLabel('Назив (српски, ћирилица)').fill(title);
  await page.getByLabel('Назив (енглески)').fill('Business trip report');
  await page.getByLabel('Категорија').fill('office');
  await page.getByLabel('Класификациона ознака').fill('031');
  await page.getByRole('button', { name: 'Направи нацрт' }).click();
  await page.waitForURL(`${e2e.app.url}/national/templates/${key}/v/1`);
  await page.getByRole('group', { name: 'Ново поље' }).waitFor();
}

/** Fills the "new field" card and adds the field; the page comes back to the new field's card. */
async function addField(page: Page, name: string, type: string, cyrl: string, en: string) {
  const card = page.getByRole('group', { name: 'Ново поље' });
  await card.getByLabel('Назив').fill(name);
  await card.getByLabel('Врста').selectOption(type);
  await card.getByLabel('Ознака (српски, ћирилица)').fill(cyrl);
  await card.getByLabel('Ознака (енглески)').fill(en);
  await save(page, () => card.getByRole('button', { name: 'Додај поље' }).click());
  expect(await page.getByRole('group', { name: new RegExp(`^Поље \\d+: ${name}$`) }).count()).toBe(1);
}

async function addStep(page: Page, id: string, kind: string, cyrl: string, en: string) {
  const card = page.getByRole('group', { name: 'Нови корак' });
  await card.getByLabel('Ознака', { exact: true }).fill(id);
  await card.getByLabel('Врста').selectOption(kind);
  await card.getByLabel('Ознака корака (српски, ћирилица)').fill(cyrl);
  await card.getByLabel('Ознака корака (енглески)').fill(en);
  await save(page, () => card.getByRole('button', { name: 'Додај корак' }).click());
  expect(await page.getByRole('group', { name: new RegExp(`^Корак \\d+: ${id}$`) }).count()).toBe(1);
}

/** Clicks a button that saves the draft and waits until the page shows the saved draft. */
async function save(page: Page, click: () => Promise<void>) {
  const before = await page.locator('#template-editor').getAttribute('data-revision');
  await click();
  await expect.poll(() => page.locator('#template-editor').getAttribute('data-revision'), { timeout: 20_000 }).not.toBe(before);
}

const previewLabels = (page: Page) => page.locator('.preview-form label').allTextContents();

describe('the structured template editor, with JavaScript', () => {
  it('builds a template of three fields and two steps, previews and publishes it, and a tenant adopts it', async () => {
    const editorContext = await e2e.browser.newContext();
    const page = await signIn(editorContext, 'ana.markovic@ite.test');
    await newTemplate(page, 'trip-report', 'Извештај са службеног пута');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Извештај са службеног пута, верзија 1');

    await addField(page, 'destination', 'text', 'Одредиште', 'Destination');
    await addField(page, 'days', 'number', 'Број дана', 'Days');
    await addField(page, 'summary', 'textarea', 'Кратак извештај', 'Summary');
    // The preview follows each save without reloading the page.
    await expect.poll(() => previewLabels(page)).toEqual(['Одредиште', 'Број дана', 'Кратак извештај']);

    const days = page.getByRole('group', { name: 'Поље 2: days' });
    await days.getByLabel('Најмања вредност').fill('1');
    await days.getByLabel('Највећа вредност').fill('30');
    await page.getByRole('group', { name: 'Поље 1: destination' }).getByLabel('Обавезно', { exact: true }).check();
    await save(page, () => page.getByRole('button', { name: 'Сачувај — Поља' }).click());
    expect(await previewLabels(page)).toEqual(['Одредиште (обавезно)', 'Број дана', 'Кратак извештај']);
    expect(await page.locator('#preview-days').getAttribute('max')).toBe('30');

    // A bound the wrong way round is refused beside it, and what was typed stays.
    await days.getByLabel('Најмања вредност').fill('40');
    await page.getByRole('button', { name: 'Сачувај — Поља' }).click();
    await expect.poll(() => page.locator('#in-fields-1-max-error').textContent()).toBe('Поље „days“: доња граница 40 је већа од горње границе 30');
    expect(await page.locator('#in-fields-1-min').inputValue()).toBe('40');
    await page.getByRole('alert').getByRole('link').first().click();
    expect(await page.evaluate(() => location.hash)).toBe('#in-fields-1-max');
    await page.locator('#in-fields-1-min').fill('1');
    await save(page, () => page.getByRole('button', { name: 'Сачувај — Поља' }).click());
    expect(await page.locator('#in-fields-1-max-error').count()).toBe(0);

    await addStep(page, 'head', 'approve', 'Одобрење руководиоца', 'Approval by the head');
    await addStep(page, 'hr', 'acknowledge', 'Евидентирање у кадровској служби', 'Recorded by HR');
    const hr = page.getByRole('group', { name: 'Корак 2: hr' });
    await hr.getByLabel('Ко поступа', { exact: true }).selectOption('role');
    // With JavaScript the role appears as soon as the kind of assignee is chosen.
    await hr.getByLabel('Улога').selectOption('hr');
    await save(page, () => page.getByRole('button', { name: 'Сачувај — Ток одобравања' }).click());
    expect(await page.locator('#publish-problems').count()).toBe(0);
    expect(await page.locator('#section-publish').textContent()).toContain('Нема проблема: нацрт се може објавити.');

    // The preview in the other languages.
    await page.locator('.preview-lang').getByRole('link', { name: 'English' }).click();
    await expect.poll(() => previewLabels(page)).toEqual(['Destination (required)', 'Days', 'Summary']);
    await page.locator('.preview-lang').getByRole('link', { name: 'Srpski (latinica)' }).click();
    await expect.poll(() => previewLabels(page)).toEqual(['Odredište (obavezno)', 'Broj dana', 'Kratak izveštaj']);

    const violations = await accessibilityViolations(page);
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);

    await page.getByRole('button', { name: 'Објави верзију 1' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Верзија 1 је објављена. Институције је сада могу усвојити.');
    expect(await page.locator('#template-editor').count()).toBe(0);
    await editorContext.close();

    const adminContext = await e2e.browser.newContext();
    const admin = await signIn(adminContext, 'milos.tomic@surdulica.test');
    await admin.goto(`${e2e.app.url}/t/surdulica/admin/templates/trip-report`);
    await admin.getByRole('button', { name: 'Усвоји верзију 1' }).click();
    await admin.getByRole('status').filter({ hasText: 'Нови документи користе верзију 1' }).waitFor();
    await adminContext.close();
  });

  it('compares a new draft with the published version, readably', async () => {
    const context = await e2e.browser.newContext();
    const page = await signIn(context, 'ana.markovic@ite.test');
    await page.goto(`${e2e.app.url}/national/templates/trip-report`);
    await page.getByRole('button', { name: 'Нова верзија на основу ове' }).first().click();
    await page.waitForURL(`${e2e.app.url}/national/templates/trip-report/v/2`);
    await page.getByRole('group', { name: 'Поље 2: days' }).waitFor();
    await page.getByRole('group', { name: 'Поље 2: days' }).getByLabel('Највећа вредност').fill('60');
    await save(page, () => page.getByRole('button', { name: 'Сачувај — Поља' }).click());
    await page.getByRole('link', { name: 'Упореди са верзијом 1' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Од верзије 1 до верзије 2');
    const table = page.getByRole('table', { name: 'Промењено поље „days“' });
    expect(await table.getByRole('row').allTextContents()).toEqual(['ШтаПреПосле', 'Највећа вредност3060']);
    const violations = await accessibilityViolations(page);
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
    await context.close();
  });

  it('lists the problems that keep a draft from being published, each linked to its input', async () => {
    const context = await e2e.browser.newContext();
    const page = await signIn(context, 'ana.markovic@ite.test');
    await newTemplate(page, 'trip-order', 'Налог за службени пут');
    await addField(page, 'traveller', 'staff', 'Запослени', 'Traveller');
    await addStep(page, 'prep', 'prepare', 'Припрема налога', 'Preparing the order');
    await page.getByRole('button', { name: 'Објави верзију 1' }).click();
    const problems = page.locator('#publish-problems');
    await expect.poll(() => problems.getByRole('heading').textContent()).toBe('Верзија 1 још не може бити објављена: 1 проблем');
    expect(await problems.locator('li').allTextContents()).toEqual([
      'Корак 1 (prep): Корак 1 („prep“) припрема документ, али у њему се не попуњава ниједно поље',
    ]);
    await problems.getByRole('link').click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('route-0');
    await context.close();
  });

  it('is usable on a phone: no sideways scrolling of the page', async () => {
    const phone = await e2e.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await signIn(phone, 'ana.markovic@ite.test');
    await page.goto(`${e2e.app.url}/national/templates/trip-order/v/1`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.goto(`${e2e.app.url}/national/templates/overtime-request/v/1`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await phone.close();
  });
});

describe('the structured template editor, without JavaScript', () => {
  it('adds and refuses with plain form posts, coming back to the part edited', async () => {
    const context = await e2e.browser.newContext({ javaScriptEnabled: false });
    const page = await signIn(context, 'ana.markovic@ite.test');
    await newTemplate(page, 'leave-note', 'Белешка о одсуству');
    const card = page.getByRole('group', { name: 'Ново поље' });
    await card.getByLabel('Назив').fill('reason');
    await card.getByLabel('Ознака (српски, ћирилица)').fill('Разлог');
    await card.getByRole('button', { name: 'Додај поље' }).click();
    // Refused: the English label is missing. The summary links to it; what was typed stays.
    expect(await page.getByRole('alert').textContent()).toContain('Поље (ново) › Ознака (енглески): Ова вредност је обавезна');
    expect(await page.getByRole('group', { name: 'Ново поље' }).getByLabel('Назив').inputValue()).toBe('reason');
    await page.getByRole('group', { name: 'Ново поље' }).getByLabel('Ознака (енглески)').fill('Reason');
    await page.getByRole('group', { name: 'Ново поље' }).getByRole('button', { name: 'Додај поље' }).click();
    await page.waitForURL(/#fields-0$/);
    expect(await previewLabels(page)).toEqual(['Разлог']);
    await context.close();
  });
});
