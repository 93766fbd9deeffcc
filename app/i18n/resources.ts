import { en, type Messages } from './locales/en';
import { srCyrl } from './locales/sr-Cyrl';
import { toLatin } from './transliterate';

export const locales = ['sr-Cyrl', 'sr-Latn', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'sr-Cyrl';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

// Serbian Latin is the letter-for-letter transliteration of the Cyrillic texts, so the two
// can never drift apart. Interpolation names ({{count}}) are Latin already and pass through.
function transliterated<T>(value: T): T {
  if (typeof value === 'string') return toLatin(value) as T;
  return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, transliterated(v)])) as T;
}

const srLatn: Messages = { ...transliterated(srCyrl), languages: srCyrl.languages };

export const resources: Record<Locale, { translation: Messages }> = {
  'sr-Cyrl': { translation: srCyrl },
  'sr-Latn': { translation: srLatn },
  en: { translation: en },
};

/** The script Serbian personal and unit names are shown in for a UI locale. */
export function scriptOf(locale: Locale): 'cyrl' | 'latn' {
  return locale === 'sr-Cyrl' ? 'cyrl' : 'latn';
}
