import { describe, expect, it } from 'vitest';
import { LOCALES } from './labels';
import { formatMessage, templateMessages, type MessageCode } from './messages';

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();
const codes = Object.keys(templateMessages.en) as MessageCode[];

describe('template messages', () => {
  it('have a text for every code in every locale, with the same placeholders', () => {
    for (const code of codes) {
      for (const locale of LOCALES) {
        expect(templateMessages[locale][code], `${locale} ${code}`).toMatch(/\S/);
        expect(placeholders(templateMessages[locale][code]), `${locale} ${code}`).toEqual(placeholders(templateMessages.en[code]));
      }
    }
  });

  it('write Serbian Latin without a Cyrillic letter', () => {
    for (const code of codes) expect(templateMessages['sr-Latn'][code]).not.toMatch(/[\u0400-\u04FF]/);
  });

  it('interpolate parameters and format numbers for the locale', () => {
    const params = { step: 2, stepId: 'finance-head', role: 'finance_head' };
    expect(formatMessage('sr-Cyrl', 'unknownRole', params)).toBe('Корак 2: улога „finance_head“ није дефинисана');
    expect(formatMessage('sr-Latn', 'unknownRole', params)).toBe('Korak 2: uloga „finance_head“ nije definisana');
    expect(formatMessage('en', 'unknownRole', params)).toBe('Step 2: role `finance_head` is not defined');
    expect(formatMessage('sr-Latn', 'tooLarge', { max: 1234.5 })).toBe('Najveća dozvoljena vrednost je 1.234,5');
    expect(formatMessage('en', 'tooLarge', { max: 1234.5 })).toBe('The largest allowed value is 1,234.5');
  });

  it('do not HTML-escape values (React escapes where they are shown)', () => {
    expect(formatMessage('en', 'unknownField', { field: '<b>' })).toBe('`<b>` is not a field of this template');
  });
});
