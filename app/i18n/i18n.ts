import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { installFixedT } from './fixed-t';
import { defaultLocale, resources, type Locale } from './resources';

/** An i18next instance for one locale, initialised synchronously from the bundled texts. */
export function createI18n(locale: Locale): i18n {
  const instance = i18next.createInstance();
  instance.use(initReactI18next).init({
    lng: locale,
    fallbackLng: defaultLocale,
    resources,
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  installFixedT(instance);
  return instance;
}

const shared = new Map<Locale, i18n>();

/**
 * The server's i18next instance for a locale: the texts are bundled and never change, so one
 * instance per locale serves every request. Nothing on the server switches its language (the
 * root layout only does when the page's locale differs, which it never does here); should
 * anything ever do so, a fresh instance replaces it rather than serving the wrong language.
 */
export function i18nFor(locale: Locale): i18n {
  let instance = shared.get(locale);
  if (!instance || instance.language !== locale) shared.set(locale, (instance = createI18n(locale)));
  return instance;
}
