// Contract of the fixed-t shortcut (ADR 013): it answers exactly as i18next's own getFixedT for
// every text of every language, with and without options — and it is still needed.
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { createI18n } from './i18n';
import { locales, resources } from './resources';

/** Every text's key, plural forms folded into their base key. */
function keysOf(tree: unknown, prefix = ''): string[] {
  if (typeof tree === 'string') return [prefix.replace(/_(zero|one|two|few|many|other)$/, '')];
  if (!tree || typeof tree !== 'object') return [];
  return Object.entries(tree).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

/** Options for a text: each variable its forms name, and a count for plurals. */
function optionsFor(tree: unknown, key: string, count: number): Record<string, unknown> {
  const parts = key.split('.');
  const parent = parts.slice(0, -1).reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree) as Record<string, unknown> | undefined;
  const last = parts[parts.length - 1];
  const forms = Object.entries(parent ?? {}).filter(([k]) => k === last || k.startsWith(`${last}_`));
  const options: Record<string, unknown> = { count, name: 'Марија', date: '16.12.2026.' };
  for (const [, variable] of JSON.stringify(forms).matchAll(/\{\{(\w+)/g)) options[variable] = `«${variable}»`;
  return options;
}

describe('the fixed t the components get', () => {
  for (const locale of locales) {
    it(`answers as i18next's own for every ${locale} text, with and without options`, () => {
      const ours = createI18n(locale);
      const upstream = i18next.createInstance();
      upstream.init({ lng: locale, fallbackLng: 'sr-Cyrl', resources, initAsync: false, interpolation: { escapeValue: false }, returnNull: false });
      const t = ours.getFixedT(locale, 'translation');
      const expected = upstream.getFixedT(locale, 'translation');
      const keys = [...new Set(keysOf(resources[locale].translation))];
      expect(keys.length).toBeGreaterThan(500);
      for (const key of [...keys, 'no.such.key']) {
        // Twice: the second answer comes from what the first remembered.
        expect(t(key), key).toEqual(expected(key));
        expect(t(key), key).toEqual(expected(key));
        for (const count of [1, 3, 5]) {
          const options = optionsFor(resources[locale].translation, key, count);
          expect(t(key, options), key).toEqual(expected(key, options));
        }
        expect(t(key, { lng: 'en' }), key).toEqual(expected(key, { lng: 'en' }));
      }
    });
  }

  it('hands selectors, key prefixes and key lists to i18next itself', () => {
    const ours = createI18n('en');
    expect(ours.getFixedT('en', 'translation', 'inbox')('title')).toBe(ours.t('inbox.title'));
    expect(ours.getFixedT('en', 'translation')(['no.such.key', 'inbox.title'])).toBe(ours.t('inbox.title'));
  });

  it('is still needed: i18next still builds the selector options on every call (when this fails, delete the shortcut)', () => {
    const source = String((Object.getPrototypeOf(i18next) as { getFixedT: unknown }).getFixedT);
    expect(source).toMatch(/selectorOpts\s*=\s*\{\s*\.\.\.this\.options/);
  });
});
