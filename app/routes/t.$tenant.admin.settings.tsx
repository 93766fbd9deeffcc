import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as z from 'zod';
import type { Tx } from '#db/client';
import { publicHolidayOn } from '../workflow/calendar/holidays';
import { readAsMember, requireTenantMember } from '../auth/guards.server';
import { withTenant } from '../db.server';
import { parseForm } from '../framework/form.server';
import { locales, type Locale } from '../i18n/resources';
import { holidaysOfYear, removeHoliday, saveHoliday, setRequireMfa, updateSettings } from '#tenants/lifecycle.server';
import { exampleParts, formatRegistryNumber, registryFormatProblem, registryTokens } from '../onboarding/registry-format';
import { holidaySchema, holidayYearSchema, settingsSchema } from '../onboarding/schemas';
import { AdminNav, errorText, useErrors, summaryOf } from '../onboarding/ui';
import { ErrorSummary, Field } from '../ui/field';
import { useSerbian } from '../ui/localized';
import { scrollRegion } from '../ui/table-region';
import { belgradeYear } from '../time/belgrade';


/** The calendar year shown: `?year=` when it is a sensible one, else this year. */
function yearOf(url: URL): number {
  const parsed = holidayYearSchema.safeParse({ year: url.searchParams.get('year') ?? '' });
  return parsed.success ? parsed.data.year : belgradeYear();
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const year = yearOf(new URL(request.url));
  const {
    access: { tenant },
    data: holidays,
  } = await readAsMember(context, request, params.tenant, 'manage:settings:tenant', (tx, me) => holidaysOfYear(tx, me.tenantId, year));
  return { slug: tenant.slug, registryFormat: tenant.registryFormat, defaultLocale: tenant.defaultLocale, requireMfa: tenant.requireMfa, year, exampleYear: belgradeYear(), holidays };
}

type FormName = 'settings' | 'holiday';
type ActionData = { kind: 'form'; form: FormName; result: SubmissionResult<string[]> } | { kind: 'preview'; result: SubmissionResult<string[]> } | { kind: 'error'; message: string };

const notices = ['saved', 'holidayAdded', 'holidayRemoved'] as const;
const mfaNotices = ['mfaOn', 'mfaOff'] as const;

/** The page's forms: the settings (saved, or only shown as an example), the second factor, a holiday added or removed. */
const settingsForm = z.discriminatedUnion('intent', [
  settingsSchema.safeExtend({ intent: z.literal('save') }),
  settingsSchema.safeExtend({ intent: z.literal('preview') }),
  z.object({ intent: z.literal('requireMfa'), requireMfa: z.string().optional() }),
  holidaySchema.safeExtend({ intent: z.literal('addHoliday') }),
  z.object({ intent: z.literal('removeHoliday'), date: z.string().optional() }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { tenant, signedIn } = await requireTenantMember(context, request, params.tenant, 'manage:settings:tenant');
  const actor = { userId: signedIn.user.id, ip: context.ip, userAgent: context.userAgent };
  const url = new URL(request.url);
  const submission = await parseForm(request, settingsForm);
  const back = (notice: (typeof notices)[number], year: number) => `/t/${tenant.slug}/admin/settings?notice=${notice}&year=${year}`;
  const inTenant = <T,>(fn: (tx: Tx) => Promise<T>) => withTenant(tenant.id, fn, { userId: actor.userId });
  if (submission.status !== 'success') {
    // Only the settings and a new holiday have fields to be wrong; the answer goes to their form.
    const form: FormName = submission.payload.intent === 'addHoliday' ? 'holiday' : 'settings';
    return data<ActionData>({ kind: 'form', form, result: submission.reply() }, { status: 400 });
  }
  const form = submission.value;

  if (form.intent === 'save' || form.intent === 'preview') {
    // Without JavaScript, "show the example" answers with the typed format, unsaved.
    if (form.intent === 'preview') return data<ActionData>({ kind: 'preview', result: submission.reply() });
    await inTenant((tx) => updateSettings(tx, tenant.id, actor, { registryFormat: form.registryFormat, defaultLocale: form.defaultLocale as Locale }));
    throw redirect(back('saved', yearOf(url)));
  }
  if (form.intent === 'requireMfa') {
    const on = form.requireMfa === 'on';
    await inTenant((tx) => setRequireMfa(tx, tenant.id, actor, on));
    throw redirect(`/t/${tenant.slug}/admin/settings?notice=${on ? 'mfaOn' : 'mfaOff'}&year=${yearOf(url)}`);
  }
  if (form.intent === 'addHoliday') {
    const { intent: _add, ...holiday } = form;
    const refused = await inTenant((tx) => saveHoliday(tx, tenant.id, actor, holiday));
    if (refused) return data<ActionData>({ kind: 'form', form: 'holiday', result: submission.reply({ fieldErrors: { date: [`calendar.${refused}`] } }) }, { status: 400 });
    throw redirect(back('holidayAdded', Number(holiday.date.slice(0, 4))));
  }
  const date = form.date ?? '';
  const removed = /^\d{4}-\d{2}-\d{2}$/.test(date) && (await inTenant((tx) => removeHoliday(tx, tenant.id, actor, date)));
  if (!removed) {
    const message = publicHolidayOn(date) ? 'calendar.holidayByLaw' : 'onboarding.errors.holidayUnknown';
    return data<ActionData>({ kind: 'error', message }, { status: publicHolidayOn(date) ? 409 : 404 });
  }
  throw redirect(back('holidayRemoved', Number(date.slice(0, 4))));
}

export default function Settings() {
  const { t } = useTranslation();
  const sr = useSerbian();
  const loaded = useLoaderData<typeof loader>();
  const { slug, year, holidays } = loaded;
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const [params] = useSearchParams();
  const notice = notices.find((n) => n === params.get('notice'));
  const mfaNotice = mfaNotices.find((n) => n === params.get('notice'));
  return (
    <>
      <AdminNav slug={slug} />
      <h1>{t('onboarding.manage.settings.title')}</h1>
      {notice ? (
        <p className="alert alert--ok" role="status">
          {t(`onboarding.manage.settings.notice.${notice}`)}
        </p>
      ) : null}
      {mfaNotice ? (
        <p className="alert alert--ok" role="status">
          {t(`accounts.settings.${mfaNotice}`)}
        </p>
      ) : null}
      {actionData?.kind === 'error' ? (
        <p className="alert alert--error" role="alert">
          {errorText(t, actionData.message)}
        </p>
      ) : null}
      <SettingsForm
        registryFormat={loaded.registryFormat}
        defaultLocale={loaded.defaultLocale}
        exampleYear={loaded.exampleYear}
        lastResult={actionData?.kind === 'preview' || (actionData?.kind === 'form' && actionData.form === 'settings') ? actionData.result : undefined}
      />
      <section className="card" aria-labelledby="mfa-title">
        <h2 id="mfa-title">{t('accounts.mfa.title')}</h2>
        <Form method="post">
          <div className="field field--checkbox">
            <input type="checkbox" id="requireMfa" name="requireMfa" defaultChecked={loaded.requireMfa} aria-describedby="requireMfa-help" />
            <label htmlFor="requireMfa">{t('accounts.settings.requireMfa')}</label>
            <span id="requireMfa-help" className="field__help">
              {t('accounts.settings.requireMfaHelp')}
            </span>
          </div>
          <button type="submit" name="intent" value="requireMfa" className="primary">
            {t('onboarding.manage.save')}
          </button>
        </Form>
      </section>
      <section className="card" aria-labelledby="holidays-title">
        <h2 id="holidays-title">{t('onboarding.manage.settings.holidaysTitle', { year })}</h2>
        <p>{t('onboarding.manage.settings.holidaysLead')}</p>
        <nav className="actions" aria-label={t('onboarding.manage.settings.years')}>
          <Link to={`?year=${year - 1}`}>← {year - 1}</Link>
          <Link to={`?year=${year + 1}`}>{year + 1} →</Link>
        </nav>
        {holidays.length ? (
          <div className="table-wrap" {...scrollRegion(t('onboarding.manage.settings.holidaysTitle', { year }))}>
            <table>
              <caption className="visually-hidden">{t('onboarding.manage.settings.holidaysTitle', { year })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('onboarding.manage.settings.date')}</th>
                  <th scope="col">{t('onboarding.manage.settings.holidayName')}</th>
                  <th scope="col">{t('onboarding.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {holidays.map((h) => (
                  <tr key={h.date}>
                    <td className="nowrap">{h.date}</td>
                    <td>
                      {h.byLaw ? (h.shifted ? t('calendar.shifted', { name: t(`calendar.holidays.${h.key}`) }) : t(`calendar.holidays.${h.key}`)) : sr(h.name)}
                      <span className="field__help"> — {t(h.byLaw ? 'calendar.byLaw' : 'calendar.own')}</span>
                    </td>
                    <td>
                      {h.byLaw ? null : (
                        <Form method="post">
                          <input type="hidden" name="date" value={h.date} />
                          <button type="submit" name="intent" value="removeHoliday" className="button danger" aria-label={`${t('onboarding.remove')}: ${h.date}`}>
                            {t('onboarding.remove')}
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>{t('onboarding.manage.settings.noHolidays', { year })}</p>
        )}
        {/* Keyed by the list: with JavaScript, a saved holiday empties the form, as a new page would. */}
        <HolidayForm key={`${year}-${holidays.length}`} lastResult={actionData?.kind === 'form' && actionData.form === 'holiday' ? actionData.result : undefined} />
      </section>
    </>
  );
}

function SettingsForm({ registryFormat, defaultLocale, exampleYear, lastResult }: { registryFormat: string; defaultLocale: string; exampleYear: number; lastResult: SubmissionResult<string[]> | undefined }) {
  const { t } = useTranslation();
  const errors = useErrors();
  const [form, f] = useForm({
    id: 'settings',
    lastResult,
    defaultValue: { registryFormat, defaultLocale },
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: settingsSchema }),
  });
  const typed = typeof f.registryFormat.initialValue === 'string' ? f.registryFormat.initialValue : registryFormat;
  // With JavaScript the example follows every keystroke; without, it shows the last submitted format.
  const [format, setFormat] = useState(typed);
  const [shownFor, setShownFor] = useState(typed);
  if (shownFor !== typed) {
    setShownFor(typed);
    setFormat(typed);
  }
  const example = registryFormatProblem(format.trim()) ? null : formatRegistryNumber(format.trim(), exampleParts(exampleYear));
  const labels = { registryFormat: t('onboarding.manage.settings.format'), defaultLocale: t('onboarding.manage.settings.locale') };
  return (
    <section className="card" aria-labelledby="settings-title">
      <h2 id="settings-title">{t('onboarding.manage.settings.general')}</h2>
      <ErrorSummary
        title={t('form.errorSummary')}
        messages={summaryOf(t, f, labels)}
      />
      <Form method="post" {...getFormProps(form)}>
        <Field id={f.registryFormat.id} label={labels.registryFormat} help={t('onboarding.manage.settings.formatHelp', { tokens: registryTokens.map((k) => `{${k}}`).join(' ') })} errors={errors(f.registryFormat.errors)}>
          {(aria) => (
            <input
              {...getInputProps(f.registryFormat, { type: 'text' })}
              {...aria}
              aria-describedby={[aria['aria-describedby'], 'registry-example'].filter(Boolean).join(' ')}
              onChange={(e) => setFormat(e.currentTarget.value)}
            />
          )}
        </Field>
        <p id="registry-example" className="registry-example" aria-live="polite">
          {example ? (
            <>
              {t('onboarding.manage.settings.example')} <output className="nowrap">{example}</output>
            </>
          ) : (
            t('onboarding.manage.settings.noExample')
          )}
        </p>
        <Field id={f.defaultLocale.id} label={labels.defaultLocale} errors={errors(f.defaultLocale.errors)}>
          {(aria) => (
            <select {...getSelectProps(f.defaultLocale)} {...aria}>
              {locales.map((l) => (
                <option key={l} value={l}>
                  {t(`languages.${l}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="actions">
          <button type="submit" name="intent" value="save" className="primary">
            {t('onboarding.manage.save')}
          </button>
          <button type="submit" name="intent" value="preview" className="button secondary" formNoValidate>
            {t('onboarding.manage.settings.preview')}
          </button>
        </div>
      </Form>
    </section>
  );
}

function HolidayForm({ lastResult }: { lastResult: SubmissionResult<string[]> | undefined }) {
  const { t } = useTranslation();
  const errors = useErrors();
  const [form, f] = useForm({
    id: 'holiday',
    lastResult,
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: holidaySchema }),
  });
  const labels = { date: t('onboarding.manage.settings.date'), name: t('onboarding.manage.settings.holidayName') };
  return (
    <>
      <h3>{t('onboarding.manage.settings.addHoliday')}</h3>
      <ErrorSummary
        title={t('form.errorSummary')}
        messages={summaryOf(t, f, labels)}
      />
      <Form method="post" {...getFormProps(form)} className="inline-form">
        <Field id={f.date.id} label={labels.date} errors={errors(f.date.errors)}>
          {(aria) => <input {...getInputProps(f.date, { type: 'date' })} {...aria} />}
        </Field>
        <Field id={f.name.id} label={labels.name} errors={errors(f.name.errors)}>
          {(aria) => <input {...getInputProps(f.name, { type: 'text' })} {...aria} />}
        </Field>
        <button type="submit" name="intent" value="addHoliday" className="primary">
          {t('onboarding.manage.settings.addHolidaySubmit')}
        </button>
      </Form>
    </>
  );
}
