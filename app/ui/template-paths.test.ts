import { describe, expect, it } from 'vitest';
import { standardCatalog } from '#app/workflow/catalog/index';
import { createI18n } from '../i18n/i18n';
import { locales } from '../i18n/resources';
import { ruleParamInputs } from '../workflow/publishing/editor-form';
import { ruleLibrary } from '../workflow/template/rules';
import { aggregateSchema, fieldSchema, followUpSchema, numberingSchema, stepSchema } from '../workflow/template/schema';
import { placeLabel, propertyLabel } from './template-paths';

const t = createI18n('sr-Cyrl').t;
const en = createI18n('en').t;

describe('where a problem is, in words', () => {
  const def = standardCatalog.find((d) => d.key === 'overtime-request')!;

  it('names the item and its property', () => {
    expect(placeLabel(t, ['route', 1, 'assignee', 'role'], def)).toBe('Корак 2 (hr) › Ко поступа › Улога');
    expect(placeLabel(en, ['fields', 2, 'label', 'en'], def)).toBe('Field 3 (date) › Label (English)');
    expect(placeLabel(en, ['fields', 5, 'options', 0, 'label', 'sr-Cyrl'], def)).toBe('Field 6 (ground) › Options › 1 › Label (Serbian, Cyrillic)');
    expect(placeLabel(en, ['rules', 1, 'params', 'maxDayHours'], def)).toBe('Rule 2 (labour.overtimeDailyCap) › Parameters › maxDayHours');
    expect(placeLabel(en, ['title', 'sr-Latn'], def)).toBe('General › Title (Serbian, Latin)');
    expect(placeLabel(en, ['numbering', 'classification'], def)).toBe('Registration › Classification');
    expect(placeLabel(en, ['add', 'route', 'id'], def)).toBe('Step (new) › Identifier');
    expect(placeLabel(en, ['fields', 40], def)).toBe('Field 41');
  });

  it('falls back to the key for a property it has no word for', () => {
    expect(propertyLabel(en, ['somethingNew'])).toBe('somethingNew');
  });
});

describe('editor texts', () => {
  const keys = (schema: { shape: Record<string, unknown> }) => Object.keys(schema.shape);
  const fieldKeys = (fieldSchema as unknown as { options: { shape: Record<string, unknown> }[] }).options.flatMap(keys);

  it('has a word for every property a definition can have, in every language', () => {
    // Inside the general part, a field, a step, a follow-up, a setting, the monthly summary …
    const properties = new Set([
      'title',
      'description',
      'category',
      'classification',
      ...fieldKeys,
      ...keys(stepSchema),
      ...keys(followUpSchema),
      ...keys(aggregateSchema),
      ...keys(numberingSchema),
      'value',
      'expression',
      'rounding',
      'decimals',
      'mode',
      'group',
      'quorum',
      'n',
      'default',
      'min',
      'max',
    ]);
    for (const locale of locales) {
      const tr = createI18n(locale);
      for (const p of properties) expect(tr.exists(`catalog.diff.properties.${p}`), `${locale} ${p}`).toBe(true);
    }
  });

  it('has a label for every parameter and input of every rule in the library', () => {
    const tr = createI18n('sr-Cyrl');
    for (const rule of ruleLibrary.values()) {
      for (const p of ruleParamInputs(rule.name)) expect(tr.exists(`catalog.editor.rules.param.${p.name}`), `${rule.name} ${p.name}`).toBe(true);
      for (const slot of rule.slots) expect(tr.exists(`catalog.editor.rules.slot.${slot.name}`), `${rule.name} ${slot.name}`).toBe(true);
    }
  });
});
