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
 * (about 5 % of the inbox page's CPU was i18next's, most of it for such labels). A text with
 * variables (`{{date}}`) is remembered as written, and filled in here when it has no other markup
 * and every variable is given as text or a number (`fillIn`: 6 µs a call through i18next, which
 * a table row can make several of). A count chooses the text's plural form first, as i18next
 * would (`pluralFormOf`), and the form is remembered as written, like any other text (the
 * unread badge of every tenant page took 60–80 µs through i18next's plural path).
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
  const written = new Map<string, Template>();
  const forget = () => {
    plain.clear();
    written.clear();
  };
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
      const remembered = `${lng ?? ''}\u0000${String(ns ?? '')}\u0000${key}`;
      if (options === undefined) {
        let text = plain.get(remembered);
        if (text === undefined) plain.set(remembered, (text = String(instance.t(key, { lng: lng || undefined, ns } as never))));
        return text;
      }
      const o = options as { lng?: string; ns?: string | readonly string[]; count?: unknown };
      if (!o.lng && !o.ns) {
        // A count chooses among the text's plural forms: the form chosen, not the number, decides the text.
        const counted = typeof o.count === 'number' && !('context' in o) && !('ordinal' in o);
        const form = counted ? pluralFormOf(lng || instance.language, o.count as number) : '';
        const which = counted ? `${remembered}\u0000${form}` : remembered;
        let template = written.get(which);
        if (template === undefined) {
          const chosen = counted ? { count: o.count } : {};
          written.set(which, (template = templateOf(String(instance.t(key, { lng: lng || undefined, ns, skipInterpolation: true, ...chosen } as never)))));
        }
        const filled = fillIn(template, options as Record<string, unknown>, counted);
        if (filled !== null) return filled;
      }
      return instance.t(key, { ...o, lng: o.lng || lng || undefined, ns: o.ns || ns } as never);
    };
    return Object.assign(direct, { lng: full.lng, ns: full.ns, keyPrefix: full.keyPrefix }) as never;
  }) as typeof instance.getFixedT;
  return instance;
}

const pluralRules = new Map<string, Intl.PluralRules>();

/**
 * Which of a text's plural forms i18next takes for `count`: the language's plural category
 * (`one`, `few`, `other`), and `zero` for 0, which i18next looks up first (a `_zero` text).
 */
export function pluralFormOf(language: string, count: number): string {
  if (count === 0) return 'zero';
  let rules = pluralRules.get(language);
  if (!rules) pluralRules.set(language, (rules = new Intl.PluralRules(language)));
  return rules.select(count);
}

const PLACEHOLDER = /{{(.*?)}}/g;
const VARIABLE = /^\s*([A-Za-z_$][\w$]*)\s*$/;
/** Options that choose which text i18next takes (plural forms, contexts). */
const CHOOSERS = new Set(['count', 'context', 'ordinal']);

/**
 * A text as written, split around its placeholders: `parts` alternates literal text and the
 * variables' names (odd places). Null if i18next must fill it in: a placeholder other than a
 * plain name (`{{date, datetime}}`, `{{- raw}}`), or a nested text (`$t(…)`).
 */
export type Template = { parts: string[]; names: Set<string> } | null;

export function templateOf(text: string): Template {
  if (text.includes('$t(')) return null;
  const parts: string[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = VARIABLE.exec(m[1])?.[1];
    if (name === undefined) return null;
    parts.push(text.slice(last, m.index), name);
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return { parts, names: new Set(parts.filter((_, i) => i % 2 === 1)) };
}

/**
 * The template with its variables replaced by the values given, as i18next fills them in here
 * (not escaped: React escapes what it renders). Null, for i18next to do it, unless the text has
 * placeholders, every one given as text or a number, and every value given has its
 * placeholder: contexts, ordinals, defaults and options are i18next's, and so is a count unless
 * `counted` (the template is the plural form the count chose).
 */
export function fillIn(template: Template, values: Record<string, unknown>, counted = false): string | null {
  if (!template || template.names.size === 0) return null;
  for (const key in values) if (!template.names.has(key) || (CHOOSERS.has(key) && !(counted && key === 'count'))) return null;
  const { parts } = template;
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const value = values[parts[i]];
    if (typeof value !== 'string' && typeof value !== 'number') return null;
    out += String(value) + parts[i + 1];
  }
  return out;
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
