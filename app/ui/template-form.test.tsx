// @vitest-environment happy-dom
import { useForm } from '@conform-to/react';
import { renderToString } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { standardCatalog } from '#app/workflow/catalog/index';
import { createI18n } from '../i18n/i18n';
import type { Locale } from '../i18n/resources';
import { computedDescriptors, fieldDescriptors } from '../workflow/template/form';
import { FIELD_TYPES, templateVersionSchema, type TemplateVersionInput } from '../workflow/template/schema';
import { TemplateFields, type TemplateFieldsProps } from './template-form';

const l = (cyrl: string, en: string) => ({ 'sr-Cyrl': cyrl, en });

/** One field of every type, each with the constraints its type can carry. */
const everyType = templateVersionSchema.parse({
  key: 'every-type',
  version: 1,
  title: l('Сва поља', 'Every field'),
  category: 'test',
  classification: '1',
  fields: [
    { name: 'subject', type: 'text', label: l('Предмет', 'Subject'), required: true, minLength: 3, maxLength: 80, pattern: '[A-Z]{2}-[0-9]+' },
    { name: 'body', type: 'textarea', label: l('Текст', 'Text'), help: l('Укратко', 'Briefly'), maxLength: 500 },
    { name: 'days', type: 'number', label: l('Дана', 'Days'), required: true, min: 1, max: 30 },
    { name: 'rate', type: 'decimal', label: l('Стопа', 'Rate'), min: 0, max: 99.5, scale: 3 },
    { name: 'amount', type: 'money', label: l('Износ', 'Amount'), min: 0 },
    { name: 'day', type: 'date', label: l('Датум', 'Date') },
    { name: 'at', type: 'time', label: l('Време', 'Time') },
    { name: 'when', type: 'datetime', label: l('Датум и време', 'Date and time') },
    { name: 'period', type: 'month', label: l('Месец', 'Month') },
    {
      name: 'ground',
      type: 'select',
      label: l('Основ', 'Ground'),
      required: true,
      options: [
        { value: 'a', label: l('Први', 'First') },
        { value: 'b', label: l('Други', 'Second') },
      ],
    },
    { name: 'agree', type: 'checkbox', label: l('Слажем се', 'I agree'), required: true },
    { name: 'employee', type: 'staff', label: l('Запослени', 'Employee') },
    { name: 'unit', type: 'orgUnit', label: l('Јединица', 'Unit') },
    { name: 'request', type: 'document', label: l('Захтев', 'Request'), template: 'overtime-request' },
    { name: 'files', type: 'attachment', label: l('Прилози', 'Attachments'), maxFiles: 3, maxSizeMb: 5, accept: ['application/pdf'] },
  ],
  computed: [
    { name: 'total', label: l('Укупно', 'Total'), expression: 'amount * days', kind: 'money' },
    { name: 'perDay', label: l('По дану', 'Per day'), expression: 'amount / days', kind: 'decimal' },
  ],
  route: [{ id: 'head', kind: 'approve', label: l('Одобрење', 'Approval'), assignee: { type: 'authorUnitHead' } }],
} satisfies TemplateVersionInput);

function render(props: Partial<TemplateFieldsProps> = {}, locale: Locale = 'sr-Cyrl'): Document {
  const html = renderToString(
    <I18nextProvider i18n={createI18n(locale)}>
      <form>
        <TemplateFields fields={fieldDescriptors(everyType, locale)} {...props} />
      </form>
    </I18nextProvider>,
  );
  return new DOMParser().parseFromString(html, 'text/html');
}

/** The control a label belongs to, as assistive technology resolves it. */
function labelled(doc: Document, text: string): HTMLElement {
  const label = [...doc.querySelectorAll('label')].find((x) => x.textContent?.startsWith(text));
  if (!label) throw new Error(`no label ${text}`);
  const control = doc.getElementById(label.htmlFor);
  if (!control) throw new Error(`label ${text} points at nothing`);
  return control;
}

describe('TemplateFields', () => {
  it('renders a labelled control for every field type', () => {
    const doc = render();
    expect(new Set(everyType.fields.map((f) => f.type))).toEqual(new Set(FIELD_TYPES));
    const controls = everyType.fields.map((f) => labelled(doc, f.label['sr-Cyrl']));
    expect(controls.map((c) => `${c.tagName.toLowerCase()}:${c.getAttribute('type') ?? ''}`)).toEqual([
      'input:text',
      'textarea:',
      'input:number',
      'input:number',
      'input:number',
      'input:date',
      'input:time',
      'input:datetime-local',
      'input:month',
      'select:',
      'input:checkbox',
      'select:',
      'select:',
      'select:',
      'input:file',
    ]);
    expect(controls.map((c) => c.getAttribute('name'))).toEqual(everyType.fields.map((f) => f.name));
  });

  it('carries the limits as HTML constraints, the same the server enforces', () => {
    const doc = render();
    const subject = labelled(doc, 'Предмет');
    expect([subject.getAttribute('minlength'), subject.getAttribute('maxlength'), subject.getAttribute('pattern')]).toEqual(['3', '80', '[A-Z]{2}-[0-9]+']);
    expect(subject.hasAttribute('required')).toBe(true);
    expect(labelled(doc, 'Текст').getAttribute('maxlength')).toBe('500');
    const days = labelled(doc, 'Дана');
    expect([days.getAttribute('min'), days.getAttribute('max'), days.getAttribute('step')]).toEqual(['1', '30', '1']);
    const rate = labelled(doc, 'Стопа');
    expect([rate.getAttribute('min'), rate.getAttribute('max'), rate.getAttribute('step')]).toEqual(['0', '99.5', '0.001']);
    expect(labelled(doc, 'Износ').getAttribute('step')).toBe('0.01');
    expect(labelled(doc, 'Основ').hasAttribute('required')).toBe(true);
    expect(labelled(doc, 'Слажем се').hasAttribute('required')).toBe(true);
    expect(labelled(doc, 'Датум').hasAttribute('required')).toBe(false);
    const files = labelled(doc, 'Прилози');
    expect([files.getAttribute('accept'), files.hasAttribute('multiple')]).toEqual(['application/pdf', true]);
  });

  it('says which fields are required, and describes limits and help beside the control', () => {
    const doc = render();
    expect(doc.querySelector(`label[for="${labelled(doc, 'Предмет').id}"]`)?.textContent).toBe('Предмет (обавезно)');
    const body = labelled(doc, 'Текст');
    const described = (body.getAttribute('aria-describedby') ?? '').split(' ').map((id) => doc.getElementById(id)?.textContent);
    expect(described).toEqual(['Укратко', 'Највише 500 знакова.']);
    const days = labelled(doc, 'Дана');
    expect(doc.getElementById(days.getAttribute('aria-describedby')!)?.textContent).toBe('Од 1 до 30.');
  });

  it('offers the options it is given for selects and references', () => {
    const doc = render({
      staff: [{ id: 'u1', label: 'Никола Петровић' }],
      orgUnits: [{ id: 'o1', label: 'Одељење за привреду' }],
      documents: { request: [{ id: 'd1', label: '112-4/2026' }] },
    });
    const options = (text: string) => [...labelled(doc, text).querySelectorAll('option')].map((o) => [o.value, o.textContent]);
    expect(options('Основ')).toEqual([
      ['', 'Изаберите…'],
      ['a', 'Први'],
      ['b', 'Други'],
    ]);
    expect(options('Запослени')).toEqual([
      ['', 'Изаберите…'],
      ['u1', 'Никола Петровић'],
    ]);
    expect(options('Јединица')[1]).toEqual(['o1', 'Одељење за привреду']);
    expect(options('Захтев')[1]).toEqual(['d1', '112-4/2026']);
  });

  it('shows values and errors beside the field, wired for assistive technology', () => {
    const doc = render({
      values: { subject: 'AB-12', ground: 'b', agree: 'on', days: '40' },
      errors: { days: ['Највећа дозвољена вредност је 30'] },
    });
    expect((labelled(doc, 'Предмет') as HTMLInputElement).value).toBe('AB-12');
    expect((labelled(doc, 'Основ').querySelector('option[selected]') as HTMLOptionElement).value).toBe('b');
    expect(labelled(doc, 'Слажем се').hasAttribute('checked')).toBe(true);
    const days = labelled(doc, 'Дана');
    expect(days.getAttribute('aria-invalid')).toBe('true');
    const [errorId] = days.getAttribute('aria-describedby')!.split(' ');
    expect(doc.getElementById(errorId)?.textContent).toBe('Највећа дозвољена вредност је 30');
    expect(labelled(doc, 'Предмет').hasAttribute('aria-invalid')).toBe(false);
  });

  it('takes names, ids, values and errors from a conform form', () => {
    function ConformForm() {
      const [form, fields] = useForm({
        id: 'doc',
        lastResult: { status: 'error', initialValue: { subject: 'XY-1', days: '0' }, error: { days: ['Најмања дозвољена вредност је 1'] } },
      });
      return (
        <form id={form.id}>
          <TemplateFields fields={fieldDescriptors(everyType, 'sr-Cyrl')} conform={fields} />
        </form>
      );
    }
    const doc = new DOMParser().parseFromString(
      renderToString(
        <I18nextProvider i18n={createI18n('sr-Cyrl')}>
          <ConformForm />
        </I18nextProvider>,
      ),
      'text/html',
    );
    const days = labelled(doc, 'Дана') as HTMLInputElement;
    expect(days.id).toBe('doc-days');
    expect(days.value).toBe('0');
    expect(doc.getElementById('doc-days-error')?.textContent).toBe('Најмања дозвољена вредност је 1');
    expect((labelled(doc, 'Предмет') as HTMLInputElement).value).toBe('XY-1');
  });

  it('submits nothing as a preview, and speaks the preview’s language', () => {
    const doc = render({ preview: true, locale: 'en', idPrefix: 'preview-' }, 'sr-Cyrl');
    expect(doc.querySelectorAll('[name]')).toHaveLength(0);
    expect(doc.getElementById('preview-days')).not.toBeNull();
    expect([...doc.querySelectorAll('.field__required')].map((x) => x.textContent)[0]).toBe(' (required)');
  });

  it('shows read-only fields as text and computed values as output', () => {
    const doc = render({
      fields: fieldDescriptors(everyType, 'sr-Latn'),
      locale: 'sr-Latn',
      readOnly: ['ground', 'agree'],
      values: { ground: 'a', agree: 'on' },
      computed: computedDescriptors(everyType, 'sr-Latn'),
      computedValues: { total: '12345.50' },
    });
    const readOnly = [...doc.querySelectorAll('.field--readonly')].map((x) => x.textContent);
    expect(readOnly).toEqual(['OsnovPrvi', 'Slažem seDa']);
    expect(doc.querySelector('[name="ground"]')).toBeNull();
    const outputs = [...doc.querySelectorAll('output')].map((o) => [doc.getElementById(o.getAttribute('aria-labelledby')!)?.textContent, o.textContent]);
    expect(outputs).toEqual([
      ['Ukupno', '12.345,50\u00a0din.'],
      ['Po danu', 'Izračunaće se kada se popune vrednosti od kojih zavisi'],
    ]);
  });

  it('renders every field of the standard catalog without a dangling label', () => {
    for (const def of standardCatalog) {
      const html = renderToString(
        <I18nextProvider i18n={createI18n('en')}>
          <TemplateFields fields={fieldDescriptors(def, 'en')} computed={computedDescriptors(def, 'en')} />
        </I18nextProvider>,
      );
      const doc = new DOMParser().parseFromString(html, 'text/html');
      for (const label of doc.querySelectorAll('label')) expect(doc.getElementById(label.htmlFor), `${def.key} ${label.textContent}`).not.toBeNull();
      expect(doc.querySelectorAll('label').length).toBe(def.fields.length);
    }
  });
});
