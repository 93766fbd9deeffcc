// The national office's structured template editor through HTTP, against the built server:
// who may reach it, and editing, refusing, publishing, comparing and deleting as a browser
// without JavaScript does it — by posting back the editor's own form.
import { sql } from 'drizzle-orm';
import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '#db/rows';
import { DEMO_PASSWORD } from '#tenants/demo';
import { Client } from '#tests/support/http';
import { startApp, type RunningApp } from '#tests/support/server';

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app?.stop());

const ana = 'ana.markovic@ite.test';

async function signedIn(email: string): Promise<Client> {
  const c = new Client(app.url);
  const res = await c.post('/login', { email, password: DEMO_PASSWORD }, { 'x-forwarded-for': `203.0.113.${Math.floor(Math.random() * 200) + 1}` });
  expect(res.status).toBe(302);
  return c;
}

/** The body as UTF-8 (with no NUL byte: React 18.3 can leave them in a stream, entry.server strips them). */
async function textOf(res: Response): Promise<string> {
  const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
  expect(text).not.toContain('\u0000');
  return text;
}

function parse(html: string): Document {
  const window = new Window();
  return new window.DOMParser().parseFromString(html, 'text/html') as unknown as Document;
}

/** The entries a browser would submit for a form (successful controls only). */
function formEntries(doc: Document, formSelector: string): [string, string][] {
  const form = doc.querySelector(formSelector);
  if (!form) throw new Error(`no form ${formSelector}`);
  const out: [string, string][] = [];
  for (const el of form.querySelectorAll('input, select, textarea')) {
    const name = el.getAttribute('name');
    if (!name || el.hasAttribute('disabled')) continue;
    if (el.tagName === 'INPUT') {
      const type = el.getAttribute('type') ?? 'text';
      if (type === 'submit' || type === 'file') continue;
      if ((type === 'checkbox' || type === 'radio') && !el.hasAttribute('checked')) continue;
      out.push([name, el.getAttribute('value') ?? (type === 'checkbox' ? 'on' : '')]);
    } else if (el.tagName === 'SELECT') {
      const options = [...el.querySelectorAll('option')];
      const selected = options.find((o) => o.hasAttribute('selected')) ?? options[0];
      if (selected) out.push([name, selected.getAttribute('value') ?? selected.textContent ?? '']);
    } else out.push([name, el.textContent ?? '']);
  }
  return out;
}

/** Posts the editor's form as shown, with some inputs changed, pressing the button of `intent`. */
async function postEditor(c: Client, path: string, changes: Record<string, string>, intent: string, html?: string): Promise<Response> {
  const page = html ?? (await textOf(await c.get(path)));
  const doc = parse(page);
  const entries = formEntries(doc, '#template-editor').filter(([k]) => !(k in changes));
  const body = new URLSearchParams([...entries, ...Object.entries(changes), ['intent', intent]]);
  return c.request(path, { method: 'POST', body, headers: { origin: app.url } });
}

const texts = (doc: Document, selector: string) => [...doc.querySelectorAll(selector)].map((x) => x.textContent?.replace(/\s+/g, ' ').trim());

async function createTemplate(c: Client, key: string): Promise<string> {
  const res = await c.post('/national/templates/new', { key, titleCyrl: 'Службена белешка', titleEn: 'Official memo', category: 'office', classification: '031' });
  expect(res.status).toBe(302);
  expect(res.headers.get('location')).toBe(`/national/templates/${key}/v/1`);
  return `/national/templates/${key}/v/1`;
}

describe('who may use the template editor', () => {
  it('gives a tenant user 404 on every editor page and action, and a signup reviewer 403', async () => {
    const editor = await signedIn(ana);
    const path = await createTemplate(editor, 'access-check');
    const pages = ['/national/templates', '/national/templates/new', '/national/templates/access-check', path, '/national/templates/overtime-request/v/1', '/national/templates/overtime-request/diff?from=1&to=1'];
    const nikola = await signedIn('nikola.petrovic@surdulica.test');
    const petar = await signedIn('petar.nikolic@ite.test');
    for (const page of pages) {
      expect((await nikola.get(page)).status, page).toBe(404);
      expect((await petar.get(page)).status, page).toBe(403);
    }
    for (const intent of ['save:general', 'add:fields', 'publish', 'delete']) {
      expect((await nikola.post(path, { intent, category: 'stolen' })).status, intent).toBe(404);
      expect((await petar.post(path, { intent, category: 'stolen' })).status, intent).toBe(403);
    }
    // Nothing they posted reached the draft.
    const [row] = rowsOf<{ category: string }>(await app.owner.db.execute(sql`select definition->>'category' as category from template_versions v join templates t on t.id = v.template_id where t.key = 'access-check'`));
    expect(row.category).toBe('office');
  });

  it('answers 404 for a version or template that does not exist', async () => {
    const c = await signedIn(ana);
    for (const page of ['/national/templates/overtime-request/v/99', '/national/templates/no-such/v/1', '/national/templates/overtime-request/v/0', '/national/templates/overtime-request/v/x', '/national/templates/no-such/diff']) {
      expect((await c.get(page)).status, page).toBe(404);
    }
  });
});

describe('editing a draft', () => {
  it('builds a template section by section and publishes it, listing every problem with where it is first', async () => {
    const c = await signedIn(ana);
    const path = await createTemplate(c, 'memo-http');
    const first = parse(await textOf(await c.get(path)));
    expect(texts(first, 'h1')[0]).toContain('Службена белешка, верзија 1');
    expect(first.querySelector('#section-preview')?.textContent).toContain('Додајте поље да бисте видели образац.');
    expect(texts(first, '#publish-problems li')).toEqual(['Поља: Додајте бар једно поље.', 'Ток одобравања: Додајте бар један корак у ток одобравања.']);

    // A field without its English label is refused beside that input, and what was typed stays.
    const refused = await postEditor(c, path, { 'add.fields.name': 'subject', 'add.fields.type': 'text', 'add.fields.label.sr-Cyrl': 'Предмет' }, 'add:fields');
    expect(refused.status).toBe(400);
    const refusedDoc = parse(await textOf(refused));
    expect(refusedDoc.getElementById('in-add-fields-label-en-error')?.textContent).toBe('Ова вредност је обавезна');
    expect(refusedDoc.getElementById('in-add-fields-name')?.getAttribute('value')).toBe('subject');
    expect(refusedDoc.getElementById('in-add-fields-label-sr-Cyrl')?.getAttribute('value')).toBe('Предмет');
    expect(texts(refusedDoc, '[role="alert"] li')).toEqual(['Поље (ново) › Ознака (енглески): Ова вредност је обавезна']);

    const added = await postEditor(c, path, { 'add.fields.name': 'subject', 'add.fields.type': 'text', 'add.fields.label.sr-Cyrl': 'Предмет', 'add.fields.label.en': 'Subject' }, 'add:fields');
    expect(added.status).toBe(302);
    expect(added.headers.get('location')).toBe(`${path}#fields-0`);

    // Details of the field, and a second one, in one save.
    let res = await postEditor(c, path, { 'fields[0].required': 'on', 'fields[0].maxLength': '120' }, 'save:fields');
    expect(res.headers.get('location')).toBe(`${path}#section-fields`);
    res = await postEditor(c, path, { 'add.fields.name': 'body', 'add.fields.type': 'textarea', 'add.fields.label.sr-Cyrl': 'Текст белешке', 'add.fields.label.en': 'Text' }, 'add:fields');
    expect(res.status).toBe(302);
    res = await postEditor(c, path, { 'add.route.id': 'head', 'add.route.kind': 'approve', 'add.route.label.sr-Cyrl': 'Одобрење шефа', 'add.route.label.en': 'Head approval' }, 'add:route');
    expect(res.headers.get('location')).toBe(`${path}#route-0`);
    res = await postEditor(c, path, { 'add.route.id': 'finance', 'add.route.kind': 'consult', 'add.route.label.sr-Cyrl': 'Мишљење финансија', 'add.route.label.en': 'Finance opinion' }, 'add:route');
    expect(res.status).toBe(302);
    // A role no tenant has (what a tampered form could send) is refused only when publishing.
    res = await postEditor(c, path, { 'route[1].assignee.type': 'role', 'route[1].assignee.role': 'finance_chief' }, 'save:route');
    expect(res.status).toBe(302);

    const page = parse(await textOf(await c.get(path)));
    // The preview shows the form as staff will see it, in the editor's language.
    expect(texts(page, '.preview-form label')).toEqual(['Предмет (обавезно)', 'Текст белешке']);
    expect(page.getElementById('preview-subject')?.getAttribute('maxlength')).toBe('120');
    const english = parse(await textOf(await c.get(`${path}?preview=en`)));
    expect(texts(english, '.preview-form label')).toEqual(['Subject (required)', 'Text']);
    expect(texts(page, '#publish-problems li')).toEqual(['Корак 2 (finance) › Ко поступа › Улога: Корак 2: улога „finance_chief“ није дефинисана']);
    expect(page.querySelector('#publish-problems a')?.getAttribute('href')).toBe('#in-route-1-assignee-role');

    const publishRefused = await c.post(path, { intent: 'publish' });
    expect(publishRefused.status).toBe(400);
    expect(texts(parse(await textOf(publishRefused)), '#publish-problems h3')).toEqual(['Верзија 1 још не може бити објављена: 1 проблем']);

    res = await postEditor(c, path, { 'route[1].assignee.role': 'finance' }, 'save:route');
    expect(res.status).toBe(302);
    const published = await c.post(path, { intent: 'publish' });
    expect(published.status).toBe(302);
    expect(published.headers.get('location')).toBe(`${path}?published=1`);
    const view = parse(await textOf(await c.get(`${path}?published=1`)));
    expect(view.querySelector('[role="status"]')?.textContent).toBe('Верзија 1 је објављена. Институције је сада могу усвојити.');
    expect(view.querySelector('#template-editor')).toBeNull();
    expect(texts(view, '#section-route li')[1]).toContain('Мишљење финансија (Консултација) — Запослени са улогом: Финансије');

    // A published version is immutable, whatever is posted.
    const late = await c.post(path, { intent: 'save:general', 'title.sr-Cyrl': 'Друго', 'title.en': 'Other', category: 'office', classification: '1' });
    expect(late.status).toBe(409);
    expect(await textOf(late)).toContain('Ова верзија је у међувремену објављена');
  });

  it('moves and removes fields, keeping what was typed, and reads numbers and checkboxes', async () => {
    const c = await signedIn(ana);
    const path = await createTemplate(c, 'memo-order');
    for (const [name, en] of [
      ['alpha', 'Alpha'],
      ['beta', 'Beta'],
      ['gamma', 'Gamma'],
    ]) {
      const res = await postEditor(c, path, { 'add.fields.name': name, 'add.fields.type': 'number', 'add.fields.label.sr-Cyrl': en, 'add.fields.label.en': en }, 'add:fields');
      expect(res.status).toBe(302);
    }
    // The label typed into beta travels with it when it moves up.
    const up = await postEditor(c, path, { 'fields[1].label.en': 'Beta (typed)', 'fields[1].min': '2', 'fields[1].max': '9' }, 'up:fields.1');
    expect(up.headers.get('location')).toBe(`${path}#fields-0`);
    let stored = await definitionOf('memo-order');
    expect(stored.fields.map((f) => [f.name, f.label.en, f.min, f.max])).toEqual([
      ['beta', 'Beta (typed)', 2, 9],
      ['alpha', 'Alpha', undefined, undefined],
      ['gamma', 'Gamma', undefined, undefined],
    ]);
    const removed = await postEditor(c, path, {}, 'remove:fields.1');
    expect(removed.headers.get('location')).toBe(`${path}#section-fields`);
    stored = await definitionOf('memo-order');
    expect(stored.fields.map((f) => f.name)).toEqual(['beta', 'gamma']);
    // Bounds the wrong way round are refused beside the upper bound.
    const inverted = await postEditor(c, path, { 'fields[0].min': '10', 'fields[0].max': '3' }, 'save:fields');
    expect(inverted.status).toBe(400);
    const doc = parse(await textOf(inverted));
    expect(doc.getElementById('in-fields-0-max-error')?.textContent).toBe('Поље „beta“: доња граница 10 је већа од горње границе 3');
    expect(doc.getElementById('in-fields-0-min')?.getAttribute('value')).toBe('10');
  });

  it('refuses a save over someone else’s newer save, keeping both', async () => {
    const c = await signedIn(ana);
    const path = await createTemplate(c, 'memo-stale');
    const html = await textOf(await c.get(path));
    const mine = await postEditor(c, path, { category: 'mine' }, 'save:general', html);
    expect(mine.status).toBe(302);
    // The same page as it was before that save: its revision is old now.
    const theirs = await postEditor(c, path, { category: 'theirs' }, 'save:general', html);
    expect(theirs.status).toBe(409);
    const theirsHtml = await textOf(theirs);
    const doc = parse(theirsHtml);
    expect(doc.querySelector('[role="alert"]')?.textContent).toContain('Неко други је сачувао овај нацрт');
    expect(doc.getElementById('in-category')?.getAttribute('value')).toBe('theirs');
    expect((await definitionOf('memo-stale')).category).toBe('mine');
    // Saving again from what came back is a deliberate overwrite.
    const again = await postEditor(c, path, {}, 'save:general', theirsHtml);
    expect(again.status).toBe(302);
    expect((await definitionOf('memo-stale')).category).toBe('theirs');
  });

  it('edits rules with their own parameter forms, follow-ups with the target’s fields, and organisation settings', async () => {
    const c = await signedIn(ana);
    const path = await createTemplate(c, 'memo-rules');
    const add = async (changes: Record<string, string>, intent: string) => expect((await postEditor(c, path, changes, intent)).status).toBe(302);
    await add({ 'add.fields.name': 'employee', 'add.fields.type': 'staff', 'add.fields.label.sr-Cyrl': 'Запослени', 'add.fields.label.en': 'Employee' }, 'add:fields');
    await add({ 'add.rules.rule': 'labour.overtimeWeeklyCap' }, 'add:rules');
    let page = parse(await textOf(await c.get(path)));
    // The rule's parameter form comes from its schema, with its default and its legal bounds.
    expect(page.getElementById('in-rules-0-params-maxWeekHours')?.getAttribute('value')).toBe('8');
    expect(page.getElementById('in-rules-0-params-maxWeekHours-help')?.textContent).toBe('Од 0 до 8.');
    expect(texts(page, '#rules-0 label')).toEqual(['Правило', 'Највише часова прековременог рада недељно', 'Запослени', 'Датум', 'Почетак', 'Завршетак']);
    const tooMany = await postEditor(c, path, { 'rules[0].params.maxWeekHours': '9' }, 'save:rules');
    expect(tooMany.status).toBe(400);
    expect(parse(await textOf(tooMany)).getElementById('in-rules-0-params-maxWeekHours-error')?.textContent).toBe('Превелико или предугачко: највише 8');
    await add({ 'rules[0].params.maxWeekHours': '6', 'rules[0].fields.employee': 'employee' }, 'save:rules');

    await add({ 'add.followUps.template': 'overtime-report', 'add.followUps.when': 'approved', 'add.followUps.mode': 'offer' }, 'add:followUps');
    page = parse(await textOf(await c.get(path)));
    // One choice per field of the follow-up's template, offering this template's values.
    const carry = page.getElementById('in-followUps-0-carry-employee');
    expect([...(carry?.querySelectorAll('option') ?? [])].map((o) => o.getAttribute('value'))).toEqual(['', 'employee']);
    await add({ 'followUps[0].carry.employee': 'employee' }, 'save:followUps');

    await add({ 'add.tenantParameters.name': 'sla.review', 'add.tenantParameters.type': 'hours', 'add.tenantParameters.label.sr-Cyrl': 'Рок', 'add.tenantParameters.label.en': 'Deadline', 'add.tenantParameters.default': '16' }, 'add:tenantParameters');
    await add({ 'tenantParameters[0].min': '8', 'tenantParameters[0].max': '40' }, 'save:tenantParameters');
    const stored = (await definitionOf('memo-rules')) as unknown as Record<string, unknown>;
    expect(stored.rules).toEqual([{ rule: 'labour.overtimeWeeklyCap', params: { maxWeekHours: 6 }, fields: { employee: 'employee' } }]);
    expect(stored.followUps).toEqual([{ template: 'overtime-report', when: 'approved', mode: 'offer', carry: { employee: 'employee' } }]);
    expect(stored.tenantParameters).toMatchObject([{ name: 'sla.review', type: 'hours', default: 16, min: 8, max: 40 }]);
  });

  it('keeps the monthly summary of a template it does not edit, and shows it', async () => {
    const c = await signedIn(ana);
    // The newest published version: the shipped version 2 (issue 22), so the draft is version 3.
    const [v2] = rowsOf<{ id: string }>(
      await app.owner.db.execute(sql`select v.id from template_versions v join templates t on t.id = v.template_id where t.key = 'overtime-pay-slip' order by v.version desc limit 1`),
    );
    const draft = await c.post('/national/templates/overtime-pay-slip', { intent: 'newDraft', versionId: v2.id });
    const path = draft.headers.get('location')!;
    expect(path).toBe('/national/templates/overtime-pay-slip/v/3');
    const page = parse(await textOf(await c.get(path)));
    expect(page.getElementById('section-aggregate')?.textContent).toContain('overtime-report');
    expect(texts(page, '#publish-problems li')).toEqual([]);
    expect((await postEditor(c, path, { 'title.en': 'Overtime pay slip (2)' }, 'save:general')).status).toBe(302);
    const stored = await definitionOf('overtime-pay-slip');
    expect(stored.aggregate).toMatchObject({ from: 'overtime-report', period: 'month' });
    expect(stored.title.en).toBe('Overtime pay slip (2)');
  });

  it('never fails with a server error on a tampered form', async () => {
    const c = await signedIn(ana);
    const path = await createTemplate(c, 'memo-tamper');
    const tampered: Record<string, string>[] = [
      { intent: 'save:general' },
      { intent: 'explode' },
      { intent: 'remove:fields.5' },
      { intent: 'save:fields', __intent__: '{not json', 'fields[0].type': 'nonsense' },
      { intent: 'add:rules', 'add.rules.rule': 'no.suchRule' },
      { intent: 'save:rules', 'rules[0].rule': 'labour.premiumAtLeast', 'rules[0].params.overtime': '10' },
      { intent: 'save:route', 'route[0].id': 'x', 'route[0].parallel.quorum': 'n', 'route[0].parallel.n': 'lots', 'route[0].parallel.group': 'g' },
    ];
    for (const body of tampered) {
      const res = await c.post(path, body);
      expect([302, 400, 409], JSON.stringify(body)).toContain(res.status);
    }
  });

  it('compares two versions and deletes a draft after confirmation', async () => {
    const c = await signedIn(ana);
    const path = await createTemplate(c, 'memo-diff');
    await postEditor(c, path, { 'add.fields.name': 'subject', 'add.fields.type': 'text', 'add.fields.label.sr-Cyrl': 'Предмет', 'add.fields.label.en': 'Subject' }, 'add:fields');
    await postEditor(c, path, { 'add.route.id': 'head', 'add.route.kind': 'approve', 'add.route.label.sr-Cyrl': 'Одобрење', 'add.route.label.en': 'Approval' }, 'add:route');
    expect((await c.post(path, { intent: 'publish' })).status).toBe(302);
    const [v1] = rowsOf<{ id: string }>(await app.owner.db.execute(sql`select v.id from template_versions v join templates t on t.id = v.template_id where t.key = 'memo-diff'`));
    const draft = await c.post('/national/templates/memo-diff', { intent: 'newDraft', versionId: v1.id });
    expect(draft.headers.get('location')).toBe('/national/templates/memo-diff/v/2');
    const v2 = '/national/templates/memo-diff/v/2';
    expect(await textOf(await c.get(v2))).toContain('href="/national/templates/memo-diff/diff?from=1&amp;to=2"');
    await postEditor(c, v2, { 'fields[0].label.sr-Cyrl': 'Предмет белешке', 'fields[0].required': 'on' }, 'save:fields');

    const diff = parse(await textOf(await c.get('/national/templates/memo-diff/diff?from=1&to=2')));
    expect(texts(diff, 'h1')).toEqual(['Од верзије 1 до верзије 2']);
    expect(texts(diff, '.diff-title')).toEqual(['±Промењено поље „subject“']);
    const rows = [...diff.querySelectorAll('.diff-list tbody tr')].map((tr) => [...tr.children].map((cell) => cell.textContent));
    expect(rows).toEqual([
      ['Ознака (српски, ћирилица)', 'Предмет', 'Предмет белешке'],
      ['Обавезно', 'Не', 'Да'],
    ]);
    expect(texts(parse(await textOf(await c.get('/national/templates/memo-diff/diff?from=1&to=1'))), 'main p')).toContain('Две верзије су исте.');

    // An unfinished draft cannot be compared, and says so.
    expect((await postEditor(c, v2, {}, 'remove:route.0')).status).toBe(302);
    expect(texts(parse(await textOf(await c.get('/national/templates/memo-diff/diff?from=1&to=2'))), '[role="alert"]')).toEqual([
      'Верзија 2 је нацрт који још није потпун, па се не може поредити.',
    ]);
    // The preview still shows what parses.
    expect(texts(parse(await textOf(await c.get(v2))), '.preview-form label')).toEqual(['Предмет белешке (обавезно)']);

    const deleted = await c.post(v2, { intent: 'delete' });
    expect(deleted.headers.get('location')).toBe('/national/templates/memo-diff');
    expect((await c.get(v2)).status).toBe(404);
    expect((await c.get('/national/templates/memo-diff/v/1')).status).toBe(200);
  });
});

type StoredField = { name: string; label: { en: string }; min?: number; max?: number };
type Stored = { category: string; title: { en: string }; fields: StoredField[]; aggregate?: unknown };
async function definitionOf(key: string): Promise<Stored> {
  const [row] = rowsOf<{ definition: Stored }>(await app.owner.db.execute(
    sql`select v.definition from template_versions v join templates t on t.id = v.template_id where t.key = ${key} order by v.version desc limit 1`,
  ));
  return row.definition;
}
