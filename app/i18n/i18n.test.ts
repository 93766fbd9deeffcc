import { describe, expect, it } from 'vitest';
import { i18nFor } from './i18n';
import { locales, resources } from './resources';

describe('the server’s i18next instances', () => {
  it('keeps one instance per locale, in that locale', () => {
    expect(i18nFor('sr-Latn')).toBe(i18nFor('sr-Latn'));
    expect(i18nFor('en').t('inbox.title')).not.toBe(i18nFor('sr-Cyrl').t('inbox.title'));
    i18nFor('en').changeLanguage('sr-Cyrl');
    expect(i18nFor('en').language).toBe('en');
  });

  it('chooses Serbian plural forms by the language’s rules (one, few, other)', () => {
    const t = i18nFor('sr-Cyrl').getFixedT(null, 'translation');
    const form = (count: number) => t('registry.count', { count });
    const written = (resources['sr-Cyrl'].translation as unknown as { registry: Record<string, string> }).registry;
    expect(form(1)).toBe(written.count_one.replace('{{count}}', '1'));
    expect(form(21)).toBe(written.count_one.replace('{{count}}', '21'));
    expect(form(3)).toBe(written.count_few.replace('{{count}}', '3'));
    expect(form(5)).toBe(written.count_other.replace('{{count}}', '5'));
    expect(form(11)).toBe(written.count_other.replace('{{count}}', '11'));
  });

  it('fills variables in as written, without escaping (React escapes what it renders)', () => {
    for (const locale of locales) {
      const text = i18nFor(locale).t('registry.count', { count: 2 });
      expect(text).toContain('2');
      expect(text).not.toContain('{{');
    }
  });
});
