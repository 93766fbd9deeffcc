import { useTranslation } from 'react-i18next';
import { inScript } from '../i18n/transliterate';
import { isLocale, scriptOf, type Locale } from '../i18n/resources';

export function useLocale(): Locale {
  const { i18n } = useTranslation();
  return isLocale(i18n.language) ? i18n.language : 'sr-Cyrl';
}

/** Serbian text stored in either script (names, units), shown in the script of the UI. */
export function useSerbian(): (text: string) => string {
  const locale = useLocale();
  return (text) => inScript(text, scriptOf(locale));
}

export function tenantName(t: { nameCyrl: string; nameLatn: string; nameEn: string }, locale: Locale): string {
  return locale === 'sr-Cyrl' ? t.nameCyrl : locale === 'sr-Latn' ? t.nameLatn : t.nameEn;
}
