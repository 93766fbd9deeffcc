import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useRevalidator, useSearchParams } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import * as z from 'zod';
import { changeAsMember, readAsMember, requireUser } from '../auth/guards.server';
import { listReports, requestReport } from '../reports/reports.server';
import { ErrorSummary, Field } from '../ui/field';
import { isMonth } from '../workflow/template/datetime';
import { useLocale, useSerbian } from '../ui/localized';
import { scrollRegion } from '../ui/table-region';
import { belgradeDateTime } from '../time/belgrade';
import { formatMonth } from '../i18n/format';
import { parseForm } from '../framework/form.server';

const POLL_MS = 2000;

const when = (at: Date | null) => {
  if (!at) return '';
  const { date, time } = belgradeDateTime(at);
  return `${date} ${time}`;
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const {
    access: { tenant },
    data: rows,
  } = await readAsMember(context, request, params.tenant, 'read:reports:tenant', (tx, me) => listReports(tx, me.tenantId));
  return {
    base: `/t/${tenant.slug}/reports`,
    reports: rows.map((r) => ({
      id: r.id,
      period: r.period,
      status: r.status,
      progress: r.progress,
      requester: r.requestedBy ? (r.requester ?? '') : null,
      created: when(r.createdAt),
      finished: when(r.finishedAt),
    })),
  };
}

// A month, YYYY-MM, between 1900 and 2100 (the report job's own check is the format only).
const requestSchema = z.object({ period: z.string({ error: 'form.required' }).refine(isMonth, 'reports.request.invalid') });

export async function action({ request, context, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const submission = await parseForm(request, requestSchema);
  if (submission.status !== 'success') return data<SubmissionResult<string[]>>(submission.reply(), { status: 400 });
  const { period } = submission.value;
  await changeAsMember(context, request, params.tenant, 'read:reports:tenant', (tx, me) => requestReport(tx, { tenantId: me.tenantId, period, requestedBy: me.membershipId }));
  throw redirect(`/t/${params.tenant}/reports?requested=${period}`);
}

/** While a report is queued or being built, the page reloads its data by itself. */
function useWatch(active: boolean) {
  const revalidator = useRevalidator();
  const latest = useRef(revalidator);
  latest.current = revalidator;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (latest.current.state === 'idle' && document.visibilityState === 'visible') latest.current.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [active]);
}

export default function Reports() {
  const { t } = useTranslation();
  const locale = useLocale();
  const serbian = useSerbian();
  const { base, reports } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  const [form, fields] = useForm({ lastResult, shouldValidate: 'onBlur', onValidate: ({ formData }) => parseWithZod(formData, { schema: requestSchema }) });
  const periodErrors = fields.period.errors?.map((e) => t(e));
  const [search] = useSearchParams();
  const requested = search.get('requested');
  const busy = reports.some((r) => r.status === 'queued' || r.status === 'running');
  useWatch(busy);
  const month = (period: string) => formatMonth(period, locale);
  return (
    <>
      <h1>{t('reports.title')}</h1>
      <p className="lead">{t('reports.lead')}</p>
      <ErrorSummary title={t('form.errorSummary')} messages={periodErrors?.length ? [{ href: `#${fields.period.id}`, text: `${t('reports.request.period')}: ${periodErrors[0]}` }] : []} />
      {requested && isMonth(requested) ? (
        <p className="alert alert--ok" role="status">
          {t('reports.request.queued', { period: month(requested) })}
        </p>
      ) : null}
      <Form method="post" className="card inline-form" {...getFormProps(form)} aria-label={t('reports.request.legend')}>
        <Field id={fields.period.id} label={t('reports.request.period')} errors={periodErrors}>
          {(aria) => <input {...getInputProps(fields.period, { type: 'month' })} {...aria} placeholder="2026-05" />}
        </Field>
        <button type="submit" className="primary">
          {t('reports.request.submit')}
        </button>
      </Form>
      {busy ? (
        <p className="actions" role="status">
          <span>{t('reports.watching')}</span>
          <Link to={base} reloadDocument>
            {t('reports.refresh')}
          </Link>
        </p>
      ) : null}
      <div className="table-wrap" {...scrollRegion(t('reports.table.caption'))}>
        <table className="data">
          <caption>{t('reports.table.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.table.period')}</th>
              <th scope="col">{t('reports.table.origin')}</th>
              <th scope="col">{t('reports.table.status')}</th>
              <th scope="col">{t('reports.table.progress')}</th>
              <th scope="col">{t('reports.table.created')}</th>
              <th scope="col">{t('reports.table.finished')}</th>
              <th scope="col">{t('reports.table.downloads')}</th>
            </tr>
          </thead>
          <tbody>
            {reports.length === 0 ? (
              <tr>
                <td colSpan={7}>{t('reports.table.empty')}</td>
              </tr>
            ) : (
              reports.map((r) => (
                <tr key={r.id} data-report={r.id}>
                  <th scope="row" className="nowrap">
                    {month(r.period)}
                  </th>
                  <td>{r.requester === null ? t('reports.table.monthly') : serbian(r.requester)}</td>
                  <td>
                    <span className={`tag tag--report-${r.status}`}>{t(`reports.statuses.${r.status}`)}</span>
                    {r.status === 'failed' ? <p className="field__help">{t('reports.failed')}</p> : null}
                  </td>
                  <td>
                    <progress max={100} value={r.progress} aria-label={t('reports.table.progressOf', { period: month(r.period) })}>
                      {r.progress} %
                    </progress>{' '}
                    {r.progress} %
                  </td>
                  <td className="nowrap">{r.created}</td>
                  <td className="nowrap">{r.finished}</td>
                  <td className="nowrap">
                    {r.status === 'done' ? (
                      <>
                        <a href={`${base}/${r.id}.csv`} aria-label={t('reports.table.csvOf', { period: month(r.period) })}>
                          {t('reports.table.csv')}
                        </a>{' '}
                        ·{' '}
                        <a href={`${base}/${r.id}.pdf`} aria-label={t('reports.table.pdfOf', { period: month(r.period) })}>
                          {t('reports.table.pdf')}
                        </a>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
