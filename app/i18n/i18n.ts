import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
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
    showSupportNotice: false,
  });
  return quickened(instance);
}

/**
 * Two costs of i18next 25 on every t() call, paid hundreds of times per page: it canonicalises
 * the language code through Intl each time (a pure function of the code, remembered here), and
 * the bound t() of useTranslation copies the instance's whole options object before delegating
 * to i18n.t (for plain string keys it now delegates directly, with the same language and
 * namespace; anything else takes i18next's own path). And a text asked for without options is
 * the same every time until resources are added or the language changes: it is remembered
 * (about 5 % of the inbox page's CPU was i18next's, most of it for such labels).
 */
function quickened(instance: i18n): i18n {
  const utils = instance.services.languageUtils as { formatLanguageCode(code: unknown): unknown };
  const format = utils.formatLanguageCode.bind(utils);
  const codes = new Map<string, unknown>();
  utils.formatLanguageCode = (code) => {
    if (typeof code !== 'string') return format(code);
    if (!codes.has(code)) codes.set(code, format(code));
    return codes.get(code);
  };
  const plain = new Map<string, string>();
  const forget = () => plain.clear();
  instance.store.on('added', forget);
  instance.store.on('removed', forget);
  instance.on('languageChanged', forget);
  const getFixedT = instance.getFixedT.bind(instance);
  instance.getFixedT = ((lng: string | readonly string[] | null, ns?: string | readonly string[], keyPrefix?: string) => {
    const full = getFixedT(lng as string, ns, keyPrefix) as unknown as ((...a: unknown[]) => string) & { lng?: string; ns?: unknown; keyPrefix?: string };
    if (keyPrefix || (lng !== null && lng !== undefined && typeof lng !== 'string')) return full as never;
    const direct = (key: unknown, options?: unknown, ...rest: unknown[]) => {
      if (typeof key !== 'string' || rest.length || (options !== undefined && (typeof options !== 'object' || options === null))) {
        return full(key, options, ...rest);
      }
      if (options === undefined) {
        const remembered = `${lng ?? ''}\u0000${String(ns ?? '')}\u0000${key}`;
        let text = plain.get(remembered);
        if (text === undefined) plain.set(remembered, (text = String(instance.t(key, { lng: lng || undefined, ns } as never))));
        return text;
      }
      const o = options as { lng?: string; ns?: string | readonly string[] };
      return instance.t(key, { ...o, lng: o.lng || lng || undefined, ns: o.ns || ns } as never);
    };
    return Object.assign(direct, { lng: full.lng, ns: full.ns, keyPrefix: full.keyPrefix }) as never;
  }) as typeof instance.getFixedT;
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
