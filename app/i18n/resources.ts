import { en, type Messages } from './locales/en';
import { accountTexts } from '../auth/texts';
import { passkeyTexts } from '../auth/passkey-texts';
import { onboardingTexts } from '../onboarding/texts';
import { srCyrl } from './locales/sr-Cyrl';
import { documentTexts } from '../workflow/engine/texts';
import { correctionTexts } from '../workflow/engine/correction-texts';
import { registryTexts } from '../workflow/documents/registry-texts';
import { reportTexts } from '../reports/texts';
import { sealTexts } from '../workflow/sealing/texts';
import { catalogTexts } from '../workflow/publishing/texts';
import { csvTexts } from '../csv/texts';
import { inputTexts } from '../security/texts';
import { calendarTexts } from '../workflow/calendar/texts';
import { apiTexts } from '../api/texts';
import { guideTexts } from '../guide/texts';
import { templateMessages } from '../workflow/template/messages';
import type { TextTree } from './texts';
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

// Feature texts, mounted under their namespace key: t('<namespace>.<key>').
const features: Record<string, { en: TextTree; 'sr-Cyrl': TextTree }> = {
  accounts: accountTexts,
  calendar: calendarTexts,
  api: apiTexts,
  catalog: catalogTexts,
  csv: csvTexts,
  input: inputTexts,
  guide: guideTexts,
  onboarding: onboardingTexts,
  passkeys: passkeyTexts,
  registry: registryTexts,
  reports: reportTexts,
  seal: sealTexts,
  documents: documentTexts,
  corrections: correctionTexts,
  template: { en: templateMessages.en, 'sr-Cyrl': templateMessages['sr-Cyrl'] },
};

function assemble(core: Messages, locale: 'en' | 'sr-Cyrl'): TextTree {
  return { ...(core as unknown as TextTree), ...Object.fromEntries(Object.entries(features).map(([ns, texts]) => [ns, texts[locale]])) };
}

const cyrillic = assemble(srCyrl, 'sr-Cyrl');
let latin: { translation: TextTree } | undefined;

/**
 * Every locale's texts. Serbian Latin is transliterated when it is first read, not when the
 * module loads: a page in Cyrillic or English (and every page's first paint in the browser)
 * never pays for it.
 */
export const resources: Record<Locale, { translation: TextTree }> = {
  'sr-Cyrl': { translation: cyrillic },
  get 'sr-Latn'() {
    return (latin ??= { translation: { ...transliterated(cyrillic), languages: srCyrl.languages } });
  },
  en: { translation: assemble(en, 'en') },
};

/** The script Serbian personal and unit names are shown in for a UI locale. */
export function scriptOf(locale: Locale): 'cyrl' | 'latn' {
  return locale === 'sr-Cyrl' ? 'cyrl' : 'latn';
}
