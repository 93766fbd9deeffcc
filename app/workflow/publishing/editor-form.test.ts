import { describe, expect, it } from 'vitest';
import { standardCatalog } from '#app/workflow/catalog/index';
import { diffTemplates } from '../template/diff';
import { templateVersionSchema } from '../template/schema';
import {
  anchorOf,
  editorValues,
  inputId,
  inputName,
  mergeDraft,
  parseEditorSubmission,
  parseIntent,
  problemPlace,
  ruleParamInputs,
  type EditorIntent,
  type FormValues,
} from './editor-form';

/** What a browser submits for the given values: one entry per input. */
function formData(values: FormValues, extra: Record<string, string> = {}): FormData {
  const fd = new FormData();
  const walk = (v: unknown, name: string) => {
    if (typeof v === 'string') fd.append(name, v);
    else if (Array.isArray(v)) {
      if (v.every((x) => typeof x === 'string')) v.forEach((x) => fd.append(name, x));
      else v.forEach((x, i) => walk(x, `${name}[${i}]`));
    } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, name ? `${name}.${k}` : k);
  };
  walk(values, '');
  for (const [k, v] of Object.entries(extra)) fd.set(k, v);
  return fd;
}

const save: EditorIntent = { type: 'save', section: 'general' };
const submit = (fd: FormData, intent: EditorIntent = save) => parseEditorSubmission(fd, intent, { locale: 'en', templateKey: 'memo' });

const minimal = () =>
  editorValues({
    key: 'memo',
    version: 1,
    title: { 'sr-Cyrl': 'Белешка', en: 'Memo' },
    category: 'office',
    classification: '1',
    fields: [],
    route: [],
  });

describe('editor intents', () => {
  it('reads the intents of the buttons and nothing else', () => {
    expect(parseIntent('save:route')).toEqual({ type: 'save', section: 'route' });
    expect(parseIntent('add:tenantParameters')).toEqual({ type: 'add', list: 'tenantParameters' });
    expect(parseIntent('up:fields.2')).toEqual({ type: 'up', path: ['fields', 2] });
    expect(parseIntent('remove:fields.1.options.0')).toEqual({ type: 'remove', path: ['fields', 1, 'options', 0] });
    for (const bad of [null, '', 'save', 'save:nothing', 'add:general', 'remove:fields', 'remove:fields.x', 'up:route.1.options.2', 'drop:fields.1', 'save:fields:x', 'remove:fields.01', 'remove:fields.99999']) {
      expect(parseIntent(bad), String(bad)).toBeUndefined();
    }
  });
});

describe('editor form', () => {
  it('round-trips every standard definition: its form, saved unchanged, is the same definition', () => {
    for (const def of standardCatalog) {
      const result = submit(formData(editorValues(def)));
      expect(result.ok, def.key).toBe(true);
      if (!result.ok) continue;
      const merged = templateVersionSchema.parse(mergeDraft(def, result.definition));
      // Rule parameters come back with their defaults written out: the same rules.
      expect(diffTemplates(def, merged), def.key).toEqual([]);
      expect({ ...merged, rules: [] }, def.key).toEqual({ ...def, rules: [] });
    }
  });

  it('leaves a derived Latin label blank, so it follows the Cyrillic one', () => {
    const values = editorValues(standardCatalog[0]);
    expect(values.title).toEqual({ 'sr-Cyrl': 'Захтев за прековремени рад', en: 'Overtime request' });
    const custom = editorValues({ ...standardCatalog[0], title: { 'sr-Cyrl': 'Захтев', 'sr-Latn': 'Zahtev (ručno)', en: 'Request' } });
    expect(custom.title).toEqual({ 'sr-Cyrl': 'Захтев', 'sr-Latn': 'Zahtev (ručno)', en: 'Request' });
  });

  it('puts a translated error beside the input and keeps what was typed', () => {
    const values = minimal();
    values.fields = [{ name: 'Bad name', type: 'number', label: { 'sr-Cyrl': 'Дана', en: '' }, min: '10', max: '2', editableAt: 'draft' }];
    const result = submit(formData(values));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reply.status).toBe('error');
    expect(result.reply.error).toEqual({
      'fields[0].name': ['The format is not valid'],
      'fields[0].label.en': ['This value is required'],
    });
    expect((result.reply.initialValue as FormValues).fields).toEqual(values.fields);
    expect(parseEditorSubmission(formData(values), save, { locale: 'sr-Cyrl', templateKey: 'memo' })).toMatchObject({
      ok: false,
      reply: { error: { 'fields[0].label.en': ['Ова вредност је обавезна'] } },
    });
    // Once the field itself is well formed, its own invariants are checked too.
    (values.fields as FormValues[])[0] = { ...(values.fields as FormValues[])[0], name: 'days', label: { 'sr-Cyrl': 'Дана', en: 'Days' } };
    expect(submit(formData(values))).toMatchObject({
      ok: false,
      reply: { error: { 'fields[0].max': ['Field `days`: the lower bound 10 is greater than the upper bound 2'] } },
    });
  });

  it('keeps only what a field of its (new) type has, and drops blank rows', () => {
    const values = minimal();
    values.fields = [
      {
        name: 'ground',
        type: 'select',
        label: { 'sr-Cyrl': 'Основ', en: 'Ground' },
        help: { 'sr-Cyrl': '', 'sr-Latn': '', en: '' },
        maxLength: '200',
        pattern: '',
        options: [
          { value: 'a', label: { 'sr-Cyrl': 'А', en: 'A' } },
          { value: '', label: { 'sr-Cyrl': '', 'sr-Latn': '', en: '' } },
        ],
        required: 'on',
        editableAt: ['draft'],
      },
    ];
    const result = submit(formData(values));
    expect(result.ok && result.definition.fields).toEqual([
      {
        name: 'ground',
        type: 'select',
        label: { 'sr-Cyrl': 'Основ', 'sr-Latn': 'Osnov', en: 'Ground' },
        options: [{ value: 'a', label: { 'sr-Cyrl': 'А', 'sr-Latn': 'A', en: 'A' } }],
        required: true,
        editableAt: ['draft'],
      },
    ]);
  });

  it('adds an item from the "new" inputs, and refuses incomplete ones beside those inputs', () => {
    const values = { ...minimal(), add: { fields: { name: 'startDate', type: 'date', label: { 'sr-Cyrl': 'Почетак', en: 'Start' } } } };
    const added = submit(formData(values), { type: 'add', list: 'fields' });
    expect(added).toMatchObject({ ok: true, anchor: 'fields-0' });
    expect(added.ok && added.definition.fields).toEqual([
      { name: 'startDate', type: 'date', label: { 'sr-Cyrl': 'Почетак', 'sr-Latn': 'Početak', en: 'Start' }, required: false, editableAt: ['draft'] },
    ]);
    const step = submit(formData({ ...minimal(), add: { route: { id: 'head', kind: 'approve', label: { 'sr-Cyrl': 'Шеф', en: 'Head' } } } }), { type: 'add', list: 'route' });
    expect(step.ok && step.definition.route).toEqual([
      { id: 'head', kind: 'approve', label: { 'sr-Cyrl': 'Шеф', 'sr-Latn': 'Šef', en: 'Head' }, assignee: { type: 'authorUnitHead' } },
    ]);
    const refused = submit(formData({ ...minimal(), add: { fields: { name: '', type: 'date', label: { 'sr-Cyrl': 'Почетак', en: '' } } } }), { type: 'add', list: 'fields' });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && Object.keys(refused.reply.error ?? {}).sort()).toEqual(['add.fields.label.en', 'add.fields.name']);
    // The same "new" inputs are ignored by a plain save.
    expect(submit(formData({ ...minimal(), add: { fields: { name: '', type: 'date' } } })).ok).toBe(true);
  });

  it('removes and moves items, and options inside a field, with what was typed', () => {
    const def = standardCatalog.find((d) => d.key === 'overtime-request')!;
    const values = editorValues(def);
    (values.fields as FormValues[])[0].label = { 'sr-Cyrl': 'Радник', en: 'Worker' };
    const up = submit(formData(values), { type: 'up', path: ['fields', 1] });
    expect(up.ok && (up.definition.fields as { name: string }[]).map((f) => f.name).slice(0, 3)).toEqual(['unit', 'employee', 'date']);
    expect(up.ok && (up.definition.fields as { label: { en: string } }[])[1].label.en).toBe('Worker');
    expect(up.anchor).toBe('fields-0');
    const removed = submit(formData(values), { type: 'remove', path: ['route', 0] });
    expect(removed.ok && (removed.definition.route as { id: string }[]).map((s) => s.id)).toEqual(['hr']);
    expect(removed.anchor).toBe('section-route');
    const option = submit(formData(values), { type: 'remove', path: ['fields', 5, 'options', 0] });
    expect(option.ok && (option.definition.fields as { options?: { value: string }[] }[])[5].options?.map((o) => o.value)).toEqual(['workloadIncrease', 'unplannedDeadline']);
    // Out of range: nothing moves, and nothing breaks.
    expect(submit(formData(values), { type: 'down', path: ['route', 1] }).ok).toBe(true);
    expect(submit(formData(values), { type: 'remove', path: ['computed', 7] }).ok).toBe(true);
  });

  it('keeps only what the chosen assignee needs, and reads a quorum of n', () => {
    const values = minimal();
    values.fields = [{ name: 'note', type: 'text', label: { 'sr-Cyrl': 'Н', en: 'N' }, maxLength: '20', editableAt: 'draft' }];
    values.route = [
      { id: 'a', kind: 'consult', label: { 'sr-Cyrl': 'А', en: 'A' }, assignee: { type: 'role', role: 'hr', position: 'x', field: 'y' }, parallel: { group: 'g', quorum: 'n', n: '2' }, slaHours: '16', blocking: 'on' },
      { id: 'b', kind: 'approve', label: { 'sr-Cyrl': 'Б', en: 'B' }, assignee: { type: 'authorUnitHead', role: 'hr' }, parallel: { group: '', quorum: 'all', n: '' }, slaHours: 'sla.approval' },
    ];
    const result = submit(formData(values));
    expect(result.ok && result.definition.route).toEqual([
      { id: 'a', kind: 'consult', label: { 'sr-Cyrl': 'А', 'sr-Latn': 'A', en: 'A' }, assignee: { type: 'role', role: 'hr' }, parallel: { group: 'g', quorum: { n: 2 } }, slaHours: 16, blocking: true },
      { id: 'b', kind: 'approve', label: { 'sr-Cyrl': 'Б', 'sr-Latn': 'B', en: 'B' }, assignee: { type: 'authorUnitHead' }, slaHours: 'sla.approval' },
    ]);
    const back = editorValues(result.ok ? mergeDraft({}, result.definition) : {});
    expect((back.route as FormValues[])[0].parallel).toEqual({ group: 'g', quorum: 'n', n: '2' });
    (values.route as FormValues[])[0].parallel = { group: 'g', quorum: 'n', n: '0' };
    const bad = submit(formData(values));
    expect(!bad.ok && bad.reply.error).toEqual({ 'route[0].parallel.n': ['Too small or too short: the minimum is 1'] });
  });

  it('types rule parameters from the rule and refuses values outside its bounds', () => {
    expect(ruleParamInputs('labour.premiumAtLeast')).toEqual([
      { name: 'overtime', type: 'number', min: 26, max: 1000, default: 26 },
      { name: 'night', type: 'number', min: 26, max: 1000, default: 26 },
      { name: 'holiday', type: 'number', min: 110, max: 1000, default: 110 },
    ]);
    const values = minimal();
    values.rules = [
      { rule: 'labour.overtimeWeeklyCap', params: { maxWeekHours: '6,5' }, fields: { employee: 'worker', start: '', date: '' } },
      { rule: 'time.endAfterStart', params: {}, fields: { start: 'from', end: 'to', nonsense: 'x' } },
    ];
    const result = submit(formData(values));
    expect(result.ok && result.definition.rules).toEqual([
      { rule: 'labour.overtimeWeeklyCap', params: { maxWeekHours: 6.5 }, fields: { employee: 'worker' } },
      { rule: 'time.endAfterStart', params: { allowEqual: false, overnight: false }, fields: { start: 'from', end: 'to' } },
    ]);
    values.rules = [
      { rule: 'labour.overtimeWeeklyCap', params: { maxWeekHours: '9' } },
      { rule: 'labour.premiumAtLeast', params: { overtime: 'lots' } },
      { rule: 'no.suchRule' },
    ];
    const bad = submit(formData(values));
    expect(!bad.ok && bad.reply.error).toEqual({
      'rules[0].params.maxWeekHours': ['Too large or too long: the maximum is 8'],
      'rules[1].params.overtime': ['This value is not valid'],
      'rules[2].rule': ['Rule `no.suchRule` is not in the rule library'],
    });
  });

  it('keeps the parts of a draft it does not edit', () => {
    const slip = standardCatalog.find((d) => d.key === 'overtime-pay-slip')!;
    expect(mergeDraft(slip, { title: slip.title }).aggregate).toEqual(slip.aggregate);
    expect(mergeDraft({ ...slip, description: { 'sr-Cyrl': 'x', en: 'x' } }, { description: undefined })).not.toHaveProperty('description');
  });
});

describe('where problems are shown', () => {
  it('names inputs by their definition path, with the quorum count as its own input', () => {
    expect(inputName(['fields', 2, 'label', 'sr-Cyrl'])).toBe('fields[2].label.sr-Cyrl');
    expect(inputName(['route', 1, 'parallel', 'quorum', 'n'])).toBe('route[1].parallel.n');
    expect(inputId('fields[2].label.sr-Cyrl')).toBe('in-fields-2-label-sr-Cyrl');
  });

  it('links a problem to its input, else to its item, else to its section', () => {
    expect(anchorOf(['route', 1, 'assignee', 'role'])).toBe('in-route-1-assignee-role');
    expect(anchorOf(['fields', 0, 'editableAt', 1])).toBe('in-fields-0-editableAt');
    expect(anchorOf(['rules', 0, 'fields', 'start'])).toBe('in-rules-0-fields-start');
    expect(anchorOf(['route', 1])).toBe('route-1');
    expect(anchorOf(['route', 1, 'nonsense'])).toBe('route-1');
    expect(anchorOf(['fields'])).toBe('section-fields');
    expect(anchorOf(['aggregate', 'from'])).toBe('section-aggregate');
    expect(anchorOf(['title', 'en'])).toBe('in-title-en');
    expect(anchorOf([])).toBe('section-general');
  });

  it('names the item a problem is in', () => {
    const def = standardCatalog[0];
    expect(problemPlace(['route', 1, 'assignee', 'role'], def)).toEqual({ section: 'route', index: 1, name: 'hr' });
    expect(problemPlace(['fields', 9], def)).toEqual({ section: 'fields', index: 9, name: undefined });
    expect(problemPlace(['title', 'en'], def)).toEqual({ section: 'general' });
    expect(problemPlace(['route'], null)).toEqual({ section: 'route' });
  });
});

describe('editor form input', () => {
  it('drops NUL characters, which PostgreSQL refuses in JSON', () => {
    const values = minimal();
    const result = submit(formData(values, { category: 'off\u0000ice' }));
    expect(result.ok && result.definition.category).toBe('office');
  });
});
