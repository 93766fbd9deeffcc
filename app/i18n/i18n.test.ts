import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { createI18n, i18nFor } from './i18n';
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
