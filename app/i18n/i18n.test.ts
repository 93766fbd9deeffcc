import fc from 'fast-check';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { createI18n, fillIn, i18nFor, templateOf } from './i18n';
import { defaultLocale, locales, resources } from './resources';

describe('the server’s i18next instances', () => {
  it('translate exactly as plain i18next does, through the bound t of useTranslation and the instance', () => {
    for (const locale of locales) {
      const plain = i18next.createInstance();
      plain.init({ lng: locale, fallbackLng: defaultLocale, resources, initAsync: false, interpolation: { escapeValue: false }, returnNull: false, showSupportNotice: false });
      const ours = createI18n(locale);
      for (const [lng, ns] of [[null, 'translation'], [null, ['translation']], [locale, undefined], ['en', 'translation']] as const) {
        const expected = plain.getFixedT(lng as string, ns);
        const actual = ours.getFixedT(lng as string, ns);
        for (const count of [0, 1, 2, 5, 21, 101]) expect(actual('documents.notifications.unread', { count })).toBe(expected('documents.notifications.unread', { count }));
        expect(actual('inbox.title')).toBe(expected('inbox.title'));
        expect(actual('inbox.title', { lng: 'en' })).toBe(expected('inbox.title', { lng: 'en' }));
        expect(actual('no.such.key', 'a default')).toBe(expected('no.such.key', 'a default'));
        expect(actual(['no.such.key', 'inbox.title'])).toBe(expected(['no.such.key', 'inbox.title']));
      }
      expect(ours.getFixedT(null, 'translation', 'inbox')('title')).toBe(plain.getFixedT(null, 'translation', 'inbox')('title'));
    }
  });

  it('remember a text asked for without options only until the language changes or texts are added', async () => {
    const ours = createI18n('en');
    const t = ours.getFixedT(null, 'translation');
    const title = (locale: (typeof locales)[number]) => ours.getResource(locale, 'translation', 'inbox.title') as string;
    expect(t('inbox.title')).toBe(title('en'));
    await ours.changeLanguage('sr-Latn');
    expect(t('inbox.title')).toBe(title('sr-Latn'));
    ours.addResource('sr-Latn', 'translation', 'inbox.title', 'Pristigla dokumenta');
    expect(t('inbox.title')).toBe('Pristigla dokumenta');
  });

  it('keeps one instance per locale, in that locale', () => {
    expect(i18nFor('sr-Latn')).toBe(i18nFor('sr-Latn'));
    expect(i18nFor('en').t('inbox.title')).not.toBe(i18nFor('sr-Cyrl').t('inbox.title'));
    i18nFor('en').changeLanguage('sr-Cyrl');
    expect(i18nFor('en').language).toBe('en');
  });
});

/** Every text of a locale, by its key. */
function textsOf(tree: object, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : textsOf(v as object, `${prefix}${k}.`)));
}

describe('texts with variables', () => {
  const plainI18next = (locale: (typeof locales)[number]) => {
    const plain = i18next.createInstance();
    plain.init({ lng: locale, fallbackLng: defaultLocale, resources, initAsync: false, interpolation: { escapeValue: false }, returnNull: false, showSupportNotice: false });
    return plain.getFixedT(null, 'translation');
  };
  // Values as users type them, with what could be taken for markup: $&, {{…}}, $t(…).
  const value = fc.oneof(fc.string(), fc.constantFrom('$&', '$1 $$', '{{date}}', '$t(inbox.title)', 'Ђурђица Николић', '0-10530/2026'), fc.integer(), fc.double({ noNaN: true }));

  it('are filled in exactly as i18next fills them in, in every language, whatever the values', () => {
    for (const locale of locales) {
      const expected = plainI18next(locale);
      const actual = i18nFor(locale).getFixedT(null, 'translation');
      const withVariables = textsOf(resources[locale].translation).filter(([, text]) => text.includes('{{'));
      expect(withVariables.length).toBeGreaterThan(20);
      for (const [key, text] of withVariables) {
        const names = [...new Set([...text.matchAll(/{{\s*([^},]+?)\s*}}/g)].map((m) => m[1]))];
        fc.assert(
          fc.property(fc.tuple(...names.map(() => value)), (given) => {
            const values = Object.fromEntries(names.map((n, i) => [n, given[i]]));
            expect(actual(key, values)).toBe(expected(key, values));
          }),
          { numRuns: 20 },
        );
        // A value left out, one the text has no place for, and i18next's own options: as i18next does it.
        const given = Object.fromEntries(names.map((n) => [n, '<b>Ана & Јован</b>']));
        for (const options of [{}, { ...given, extra: 'y' }, { ...given, interpolation: { escapeValue: true } }, { replace: given }]) {
          expect(actual(key, options)).toBe(expected(key, options));
        }
      }
    }
  });

  it('choose a plural form and fill it in exactly as i18next does, for any count', () => {
    for (const locale of locales) {
      const expected = plainI18next(locale);
      const actual = i18nFor(locale).getFixedT(null, 'translation');
      const plurals = [...new Set(textsOf(resources[locale].translation).flatMap(([key]) => /^(.*)_(zero|one|two|few|many|other)$/.exec(key)?.[1] ?? []))];
      expect(plurals.length).toBeGreaterThan(2);
      for (const key of plurals) {
        const text = String(expected(`${key}_other`));
        const names = [...new Set([...text.matchAll(/{{\s*([^},]+?)\s*}}/g)].map((m) => m[1]))].filter((n) => n !== 'count');
        const count = fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: -5, max: 25 }), fc.double({ min: 0, max: 100, noNaN: true }));
        fc.assert(
          fc.property(count, fc.tuple(...names.map(() => value)), (n, given) => {
            const values = { count: n, ...Object.fromEntries(names.map((name, i) => [name, given[i]])) };
            expect(actual(key, values)).toBe(expected(key, values));
            // Asked again, from what was remembered.
            expect(actual(key, values)).toBe(expected(key, values));
            expect(actual(key, { ...values, ordinal: true })).toBe(expected(key, { ...values, ordinal: true }));
            expect(actual(key, { ...values, context: 'x' })).toBe(expected(key, { ...values, context: 'x' }));
          }),
          { numRuns: 50 },
        );
      }
    }
  });

  it('are left to i18next for formats, nesting, plurals and values that are not text', () => {
    expect(templateOf('{{date, datetime}}')).toBeNull();
    expect(templateOf('{{- raw}}')).toBeNull();
    expect(templateOf('$t(inbox.title) {{x}}')).toBeNull();
    const due = templateOf('Рок {{date}}, {{ date }}');
    expect(fillIn(due, { date: '1. 12.' })).toBe('Рок 1. 12., 1. 12.');
    expect(fillIn(due, { date: { toString: () => 'x' } })).toBeNull();
    expect(fillIn(due, {})).toBeNull();
    expect(fillIn(templateOf('{{count}} минута'), { count: 5 })).toBeNull();
    // Unless the count already chose the text (its plural form).
    expect(fillIn(templateOf('{{count}} минута'), { count: 5 }, true)).toBe('5 минута');
    expect(fillIn(templateOf('{{count}} минута'), { count: 5, context: 'x' }, true)).toBeNull();
    expect(fillIn(templateOf('без променљивих'), {})).toBeNull();
  });
});
