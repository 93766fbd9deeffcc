import { Form, useLocation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { locales } from '../i18n/resources';
import { useLocale } from './localized';

const short: Record<(typeof locales)[number], string> = { 'sr-Cyrl': 'Ћир', 'sr-Latn': 'Lat', en: 'EN' };

/** A plain form: switching language works without JavaScript and comes back to the same page. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const current = useLocale();
  const location = useLocation();
  return (
    <Form method="post" action="/locale" className="lang-switch" aria-label={t('a11y.languageNav')}>
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      {locales.map((l) => (
        <button key={l} type="submit" name="locale" value={l} lang={l} aria-current={l === current} title={t(`languages.${l}`)}>
          <span aria-hidden="true">{short[l]}</span>
          <span className="visually-hidden">{t(`languages.${l}`)}</span>
        </button>
      ))}
    </Form>
  );
}
