import { useTranslation } from 'react-i18next';
import type { TemplateChange } from '../workflow/template/diff';
import type { Locale } from '../i18n/resources';
import { useLocale } from './localized';
import { propertyLabel } from './template-paths';
import { scrollRegion } from './table-region';
import { formatNumber } from '../i18n/format';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A value of a definition in words: labels in the reader's language, lists joined, yes/no. */
function useValueText(): (value: unknown) => string {
  const { t } = useTranslation();
  const locale: Locale = useLocale();
  const text = (value: unknown): string => {
    if (value === undefined || value === null || value === '') return t('catalog.diff.empty');
    if (typeof value === 'boolean') return value ? t('catalog.form.yes') : t('catalog.form.no');
    if (typeof value === 'number') return formatNumber(value, locale);
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return value.length ? value.map(text).join(', ') : t('catalog.diff.empty');
    if (isRecord(value)) {
      if (typeof value[locale] === 'string') return value[locale] as string;
      if (isRecord(value.label) && typeof value.label[locale] === 'string') {
        return typeof value.value === 'string' ? `${value.label[locale]} (${value.value})` : (value.label[locale] as string);
      }
      const entries = Object.entries(value).filter(([, v]) => v !== undefined);
      return entries.length ? entries.map(([k, v]) => `${k}: ${text(v)}`).join('; ') : t('catalog.diff.empty');
    }
    return String(value);
  };
  return text;
}

/**
 * The changes between two versions of a template, section by section: what was added, removed,
 * moved or changed, and for a change a table of each property before and after.
 */
export function TemplateDiff({ changes, headingLevel = 2 }: { changes: readonly TemplateChange[]; headingLevel?: 2 | 3 }) {
  const { t } = useTranslation();
  const valueText = useValueText();
  const Heading = `h${headingLevel}` as const;
  const Sub = `h${headingLevel + 1}` as 'h3' | 'h4';
  if (!changes.length) return <p>{t('catalog.diff.none')}</p>;
  return (
    <>
      <p>{t('catalog.diff.changes', { count: changes.length })}</p>
      {/* Changes come in the order of the definition's sections; the page keeps that order. */}
      {[...new Set(changes.map((c) => c.section))].map((section) => (
        <section key={section} aria-labelledby={`diff-${section}`}>
          <Heading id={`diff-${section}`}>{t(`catalog.editor.sections.${section}`)}</Heading>
          <ul className="diff-list">
            {changes
              .filter((c) => c.section === section)
              .map((c, i) => {
                const title = t(`catalog.diff.${c.code}`, c.params);
                const id = `diff-${section}-${i}`;
                return (
                  <li key={id}>
                    <Sub id={id} className="diff-title">
                      <span className={`tag tag--${c.kind}`} aria-hidden="true">
                        {c.kind === 'added' ? '+' : c.kind === 'removed' ? '−' : c.kind === 'moved' ? '↕' : '±'}
                      </span>
                      {title}
                    </Sub>
                    {c.properties.length ? (
                      <div className="table-wrap" {...scrollRegion(title)}>
                        <table className="data">
                          <caption className="visually-hidden">{title}</caption>
                          <thead>
                            <tr>
                              <th scope="col">{t('catalog.diff.property')}</th>
                              <th scope="col">{t('catalog.diff.before')}</th>
                              <th scope="col">{t('catalog.diff.after')}</th>
                            </tr>
                          </thead>
                          <tbody>
                            {c.properties.map((p) => (
                              <tr key={p.path.join('.')}>
                                <th scope="row">{propertyLabel(t, p.path)}</th>
                                <td>{valueText(p.before)}</td>
                                <td>{valueText(p.after)}</td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                      </div>
                    ) : null}
                  </li>
                );
              })}
          </ul>
        </section>
      ))}
    </>
  );
}
