// Pieces the onboarding pages share: translated error messages, the wizard's progress, the
// administration's navigation.
import { Form, NavLink } from '@remix-run/react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { tenantRoles, wizardSteps, type WizardStep } from './schemas';
import { scrollRegion } from '../ui/table-region';
import { BusyButton } from '../ui/busy-button';

/** "key", "key|value" or "column:key|value" → the translated text. */
export function errorText(t: TFunction, message: string): string {
  const colon = message.indexOf(':');
  const [column, rest] = colon > 0 && !message.startsWith('onboarding.') && !message.startsWith('form.') ? [message.slice(0, colon), message.slice(colon + 1)] : [null, message];
  const [key, value] = rest.split('|');
  const text = t(key, { value, max: value, count: Number(value) });
  return column ? `${t(`onboarding.csv.columns.${column}`, { defaultValue: column })}: ${text}` : text;
}

/** The error summary's links: one per field with an error, "label: message", to the field. */
export function summaryOf(t: TFunction, fields: Record<string, { id: string; name: string; errors?: string[] }>, labels: Record<string, string>) {
  return Object.values(fields)
    .filter((x) => x.errors?.length)
    .map((x) => ({ href: `#${x.id}`, text: `${labels[x.name] ?? x.name}: ${errorText(t, x.errors![0])}` }));
}

export function useErrors() {
  const { t } = useTranslation();
  return (errors: string[] | undefined) => errors?.map((e) => errorText(t, e));
}

export function WizardProgress({ step, completed, reachable }: { step: WizardStep; completed: string[]; reachable: WizardStep[] }) {
  const { t } = useTranslation();
  const at = wizardSteps.indexOf(step);
  return (
    <nav aria-label={t('onboarding.wizard.progress')} className="wizard-progress">
      <div
        className="wizard-progress__bar"
        role="progressbar"
        aria-label={t('onboarding.wizard.progress')}
        aria-valuemin={1}
        aria-valuemax={wizardSteps.length}
        aria-valuenow={at + 1}
        aria-valuetext={t('onboarding.wizard.stepOf', { n: at + 1, total: wizardSteps.length, name: t(`onboarding.steps.${step}`) })}
      >
        {/* One segment per step, filled up to this one: no inline style, which the CSP refuses. */}
        {wizardSteps.map((s, i) => (
          <span key={s} className={i <= at ? 'is-filled' : undefined} />
        ))}
      </div>
      <ol className="wizard-steps">
        {wizardSteps.map((s, i) => {
          const label = (
            <>
              <span className="wizard-steps__n" aria-hidden="true">
                {completed.includes(s) && s !== step ? '✓' : i + 1}
              </span>
              <span className="wizard-steps__name">{t(`onboarding.steps.${s}`)}</span>
              {completed.includes(s) ? <span className="visually-hidden"> ({t('onboarding.wizard.done')})</span> : null}
            </>
          );
          return (
            <li key={s} className={[completed.includes(s) ? 'done' : '', s === step ? 'current' : ''].join(' ').trim() || undefined}>
              {s === step ? (
                <span aria-current="step">{label}</span>
              ) : reachable.includes(s) ? (
                <a href={`/signup/${s}`}>{label}</a>
              ) : (
                <span>{label}</span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

const adminPages = ['staff', 'units', 'substitutes', 'settings', 'export'] as const;

export function AdminNav({ slug }: { slug: string }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('onboarding.admin.nav')} className="subnav">
      <ul>
        {adminPages.map((p) => (
          <li key={p}>
            <NavLink to={`/t/${slug}/admin/${p}`}>{t(`onboarding.admin.pages.${p}`)}</NavLink>
          </li>
        ))}
        <li>
          <NavLink to={`/t/${slug}/admin/templates`}>{t('onboarding.admin.pages.templates')}</NavLink>
        </li>
        <li>
          <NavLink to={`/t/${slug}/admin/delegations`}>{t('documents.delegations.nav')}</NavLink>
        </li>
        <li>
          <NavLink to={`/t/${slug}/admin/api`}>{t('api.nav')}</NavLink>
        </li>
      </ul>
    </nav>
  );
}

/** A checked CSV upload as the page shows it. */
export interface CsvReportView {
  encoding: string | null;
  problems: string[];
  rows: Array<{ line: number; values: Record<string, string>; errors: string[] }>;
  validCount: number;
  /** The uploaded file, sent back with "import the valid rows" and checked again then. */
  csv: string;
}

export function CsvReportTable({ report, action: formAction }: { report: CsvReportView; action?: string }) {
  const { t } = useTranslation();
  const bad = report.rows.filter((r) => r.errors.length);
  return (
    <div className="csv-report" role="alert">
      <h4>{t('onboarding.csv.reportTitle')}</h4>
      {report.encoding ? <p>{t('onboarding.csv.encoding', { encoding: report.encoding })}</p> : null}
      {report.problems.length ? (
        <ul>
          {report.problems.map((p) => (
            <li key={p}>{errorText(t, p)}</li>
          ))}
        </ul>
      ) : (
        <>
          <p>{t('onboarding.csv.summary', { valid: report.validCount, bad: bad.length })}</p>
          <div className="table-wrap" {...scrollRegion(t('onboarding.csv.reportTitle'))}>
            <table>
              <caption className="visually-hidden">{t('onboarding.csv.reportTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('onboarding.csv.line')}</th>
                  <th scope="col">{t('onboarding.csv.row')}</th>
                  <th scope="col">{t('onboarding.csv.problems')}</th>
                </tr>
              </thead>
              <tbody>
                {bad.map((r) => (
                  <tr key={r.line}>
                    <td>{r.line}</td>
                    <td>{Object.values(r.values).filter(Boolean).join(', ')}</td>
                    <td>
                      <ul className="plain">
                        {r.errors.map((e) => (
                          <li key={e}>{errorText(t, e)}</li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>{t('onboarding.csv.fixOrImport')}</p>
          {report.validCount ? (
            <Form method="post" action={formAction}>
              <input type="hidden" name="csv" value={report.csv} />
              <BusyButton name="intent" value="importValid" className="button secondary" busyText={t('guide.busy.importing')}>
                {t('onboarding.csv.importValid', { count: report.validCount })}
              </BusyButton>
            </Form>
          ) : null}
        </>
      )}
    </div>
  );
}

/** Rows of an imported file that were left out, each with why: they never just disappear. */
export function SkippedRows({ rows }: { rows: CsvReportView['rows'] }) {
  const { t } = useTranslation();
  if (!rows.length) return null;
  return (
    <div className="alert alert--error">
      <p>{t('onboarding.review.skipped', { count: rows.length })}</p>
      <ul>
        {rows.map((r) => (
          <li key={`${r.line}-${Object.values(r.values).join('|')}`}>
            {t('onboarding.review.skippedRow', { line: r.line, row: Object.values(r.values).filter(Boolean).join(', ') })} {r.errors.map((e) => errorText(t, e)).join(' ')}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function RoleChoices({ name, legend, checked = [], errors }: { name: string; legend: string; checked?: string[]; errors?: string[] }) {
  const { t } = useTranslation();
  return (
    <fieldset className="choices-inline" aria-describedby={errors?.length ? `${name}-error` : undefined}>
      <legend>{legend}</legend>
      {errors?.length ? (
        <span id={`${name}-error`} className="field__error">
          {errors.join(' ')}
        </span>
      ) : null}
      {tenantRoles
        .filter((r) => r !== 'employee')
        .map((r) => (
          <label key={r}>
            <input type="checkbox" name={name} value={r} defaultChecked={checked.includes(r)} /> {t(`roles.${r}`)}
          </label>
        ))}
    </fieldset>
  );
}

