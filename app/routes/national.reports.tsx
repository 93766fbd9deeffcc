import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { requireNational } from '../auth/guards.server';
import { asNationalCaller } from '../auth/national-scope.server';
import { db } from '../db.server';
import { nationalStats, parsePeriod, tenantNames } from '../reports/national-stats.server';
import { ErrorSummary, Field } from '../ui/field';
import { tenantName, useLocale } from '../ui/localized';
import { displayDate } from '../workflow/documents/format';
import { listCatalog } from '../workflow/publishing/catalog.server';
import { scrollRegion } from '../ui/table-region';
import { formatNumber } from '../i18n/format';

export async function loader({ request, context }: LoaderFunctionArgs) {
  const access = await requireNational(context, request);
  const search = new URL(request.url).searchParams;
  const period = parsePeriod(search, new Date());
  const [stats, names, catalog] = await Promise.all([period ? asNationalCaller(access, (tx) => nationalStats(tx, period)) : [], tenantNames(db()), listCatalog(db(), { includeDrafts: false })]);
  const tenantsById = new Map(names.map((n) => [n.id, n]));
  const titles = new Map(catalog.map((e) => [e.key, e.versions.find((v) => v.title)?.title ?? null]));
  return {
    typed: { from: search.get('from') ?? period?.from ?? '', to: search.get('to') ?? period?.to ?? '' },
    period,
    stats: stats
      .map((s) => ({ ...s, tenant: tenantsById.get(s.tenantId) ?? null, title: titles.get(s.templateKey) ?? null }))
      .sort((a, b) => (a.tenant?.nameCyrl ?? '').localeCompare(b.tenant?.nameCyrl ?? '', 'sr') || a.templateKey.localeCompare(b.templateKey)),
    adoption: catalog.map((e) => ({
      key: e.key,
      versions: e.versions.map((v) => ({ id: v.id, version: v.version, status: v.status, title: v.title, adoptBy: v.adoptBy, tenants: v.tenants })),
    })),
  };
}

export default function NationalReports() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { typed, period, stats, adoption } = useLoaderData<typeof loader>();
  const hours = { format: (n: number) => formatNumber(n, locale, 1) };
  return (
    <>
      <h1>{t('reports.national.title')}</h1>
      <p className="lead">{t('reports.national.lead')}</p>
      <ErrorSummary title={t('form.errorSummary')} messages={period ? [] : [{ href: '#stats-from', text: t('reports.national.invalid') }]} />
      <Form method="get" className="card inline-form" aria-label={t('reports.national.period')}>
        <Field id="stats-from" label={t('reports.national.from')}>
          {(aria) => <input {...aria} type="date" name="from" required defaultValue={typed.from} aria-invalid={period ? undefined : true} />}
        </Field>
        <Field id="stats-to" label={t('reports.national.to')}>
          {(aria) => <input {...aria} type="date" name="to" required defaultValue={typed.to} aria-invalid={period ? undefined : true} />}
        </Field>
        <button type="submit" className="primary">
          {t('reports.national.apply')}
        </button>
      </Form>
      {period ? (
        <div className="table-wrap" {...scrollRegion(t('reports.national.statsCaption', { from: displayDate(period.from), to: displayDate(period.to) }))}>
          <table className="data">
            <caption>{t('reports.national.statsCaption', { from: displayDate(period.from), to: displayDate(period.to) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reports.national.organisation')}</th>
                <th scope="col">{t('reports.national.template')}</th>
                <th scope="col">{t('reports.national.started')}</th>
                <th scope="col">{t('reports.national.completed')}</th>
                <th scope="col">{t('reports.national.median')}</th>
              </tr>
            </thead>
            <tbody>
              {stats.length === 0 ? (
                <tr>
                  <td colSpan={5}>{t('reports.national.noStats')}</td>
                </tr>
              ) : (
                stats.map((s) => (
                  <tr key={`${s.tenantId}:${s.templateKey}`}>
                    <th scope="row">{s.tenant ? tenantName(s.tenant, locale) : s.tenantId}</th>
                    <td>{s.title ? s.title[locale] : <code>{s.templateKey}</code>}</td>
                    <td className="num">{s.started}</td>
                    <td className="num">{s.completed}</td>
                    <td className="num">{s.medianHours === null ? '—' : hours.format(s.medianHours)}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      ) : null}
      <h2>{t('reports.national.adoptionTitle')}</h2>
      <div className="table-wrap" {...scrollRegion(t('reports.national.adoptionCaption'))}>
        <table className="data">
          <caption>{t('reports.national.adoptionCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.national.template')}</th>
              <th scope="col">{t('reports.national.version')}</th>
              <th scope="col">{t('reports.national.status')}</th>
              <th scope="col">{t('reports.national.adoptBy')}</th>
              <th scope="col">{t('reports.national.tenants')}</th>
            </tr>
          </thead>
          <tbody>
            {adoption.flatMap((entry) =>
              entry.versions.map((v, i) => (
                <tr key={v.id}>
                  {i === 0 ? (
                    <th scope="rowgroup" rowSpan={entry.versions.length}>
                      {v.title ? v.title[locale] : <code>{entry.key}</code>}
                    </th>
                  ) : null}
                  <td>{t('catalog.versionN', { version: v.version })}</td>
                  <td>
                    <span className={`tag tag--${v.status}`}>{t(`catalog.statuses.${v.status}`)}</span>
                  </td>
                  <td>{v.adoptBy ? displayDate(v.adoptBy) : '—'}</td>
                  <td className="num">{v.tenants}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
