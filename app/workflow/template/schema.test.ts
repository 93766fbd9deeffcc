import { describe, expect, it } from 'vitest';
import { standardCatalog } from '#app/workflow/catalog/index';
import { templateVersionSchema, type TemplateVersionInput } from './schema';

const minimal = (): TemplateVersionInput => ({
  key: 'memo',
  version: 1,
  title: { 'sr-Cyrl': 'Службена белешка', en: 'Memo' },
  category: 'office',
  classification: '0',
  fields: [{ name: 'body', type: 'textarea', label: { 'sr-Cyrl': 'Текст', en: 'Text' } }],
  route: [{ id: 'head', kind: 'approve', label: { 'sr-Cyrl': 'Одобрење', en: 'Approval' }, assignee: { type: 'authorUnitHead' } }],
});

const issuesOf = (input: unknown) =>
  (templateVersionSchema.safeParse(input).error?.issues ?? []).map((i) => ({
    path: i.path,
    code: i.code === 'custom' ? String(i.params?.code) : i.code,
  }));

describe('templateVersionSchema', () => {
  it('derives a missing or blank Serbian Latin label from the Cyrillic one, and keeps a given one', () => {
    const def = templateVersionSchema.parse({
      ...minimal(),
      title: { 'sr-Cyrl': 'Љубазни џепни ђак', 'sr-Latn': ' ', en: 'x' },
      description: { 'sr-Cyrl': 'Опис', 'sr-Latn': 'Opis (ručno)', en: 'Description' },
    });
    expect(def.title['sr-Latn']).toBe('Ljubazni džepni đak');
    expect(def.description?.['sr-Latn']).toBe('Opis (ručno)');
  });

  it('fills defaults an author may omit', () => {
    const def = templateVersionSchema.parse({
      ...minimal(),
      computed: [
        { name: 'a', label: { 'sr-Cyrl': 'А', en: 'A' }, expression: '1', kind: 'money' },
        { name: 'b', label: { 'sr-Cyrl': 'Б', en: 'B' }, expression: '1', kind: 'number' },
      ],
    });
    expect(def.fields[0]).toMatchObject({ required: false, editableAt: ['draft'], maxLength: 4000 });
    expect(def.computed.map((c) => c.rounding)).toEqual([
      { decimals: 2, mode: 'halfUp' },
      { decimals: 0, mode: 'halfUp' },
    ]);
    expect(def).toMatchObject({ rules: [], followUps: [], tenantParameters: [], numbering: { register: false, at: 'final' } });
  });

  it('parses its own output to the same value, and survives a JSON round trip (it is stored as jsonb)', () => {
    for (const def of standardCatalog) {
      expect(templateVersionSchema.parse(def)).toEqual(def);
      expect(templateVersionSchema.parse(JSON.parse(JSON.stringify(def)))).toEqual(def);
    }
  });

  it('refuses unknown properties, so a misspelt setting is not silently ignored', () => {
    expect(issuesOf({ ...minimal(), fields: [{ ...minimal().fields[0], requried: true }] })).toEqual([
      { path: ['fields', 0], code: 'unrecognized_keys' },
    ]);
  });

  it('refuses names that could not be used in expressions, and undotted parameter names', () => {
    expect(issuesOf({ ...minimal(), fields: [{ ...minimal().fields[0], name: 'start-time' }] })).toEqual([
      { path: ['fields', 0, 'name'], code: 'invalid_format' },
    ]);
    const parameter = { name: 'premium', type: 'percent', label: { 'sr-Cyrl': 'П', en: 'P' }, default: 26 };
    expect(issuesOf({ ...minimal(), tenantParameters: [parameter] })).toEqual([
      { path: ['tenantParameters', 0, 'name'], code: 'invalid_format' },
    ]);
  });

  it('refuses field constraints no value could meet', () => {
    const field = (extra: object) => ({ ...minimal(), fields: [{ name: 'x', label: { 'sr-Cyrl': 'Х', en: 'X' }, ...extra }] });
    expect(issuesOf(field({ type: 'money', min: 10, max: 5 }))).toEqual([{ path: ['fields', 0, 'max'], code: 'boundsInverted' }]);
    expect(issuesOf(field({ type: 'text', pattern: '(' }))).toEqual([{ path: ['fields', 0, 'pattern'], code: 'badPattern' }]);
    const option = { value: 'a', label: { 'sr-Cyrl': 'А', en: 'A' } };
    expect(issuesOf(field({ type: 'select', options: [option, option] }))).toEqual([
      { path: ['fields', 0, 'options', 1, 'value'], code: 'duplicateOption' },
    ]);
  });

  it('keeps money to two decimals', () => {
    const computed = [{ name: 'a', label: { 'sr-Cyrl': 'А', en: 'A' }, expression: '1', kind: 'money', rounding: { decimals: 3, mode: 'halfUp' } }];
    expect(issuesOf({ ...minimal(), computed })).toEqual([{ path: ['computed', 0, 'rounding', 'decimals'], code: 'moneyDecimals' }]);
  });
});
