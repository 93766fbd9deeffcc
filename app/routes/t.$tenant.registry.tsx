import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { readAsMember } from '../auth/guards.server';
import { ErrorSummary, Field } from '../ui/field';
import {
  formatCursor,
  parseCursor,
  parseRegistryQuery,
  registryFacets,
  registryLine,
  registryLog,
  titleIn,
  type RegistryFilter,
} from '../workflow/documents/registry-log.server';
import { scrollRegion } from '../ui/table-region';

const PAGE_SIZE = 50;
const FILTER_NAMES = ['year', 'classification', 'template', 'from', 'to', 'q', 'order'] as const;

/** The filter as query parameters, for links that keep it (pages, CSV). */
function filterParams(filter: RegistryFilter): string[][] {
  return FILTER_NAMES.flatMap((name) => {
    const value = filter[name];
    if (value === undefined || (name === 'order' && value === 'desc')) return [];
    return [[name, String(value)]];
  });
}

async function registryPage({ request, context, params }: LoaderFunctionArgs) {
  const search = new URL(request.url).searchParams;
  const { filter, errors } = parseRegistryQuery(search);
  const after = parseCursor(search.get('after'));
  const before = after ? undefined : parseCursor(search.get('before'));
  const locale = context.locale;
  const {
    access: { tenant },
    data: [page, facets],
  } = await readAsMember(context, request, params.tenant, 'read:registry:tenant', (tx, me) =>
    Promise.all([registryLog(tx, me.tenantId, filter, { after, before, limit: PAGE_SIZE }), registryFacets(tx, me.tenantId)]),
  );
  const kept = filterParams(filter);
  const link = (cursor: 'after' | 'before', value: string) => `/t/${tenant.slug}/registry?${new URLSearchParams([...kept, [cursor, value]])}`;
  return {
    status: Object.keys(errors).length ? 400 : 200,
    view: {
      base: `/t/${tenant.slug}`,
      // What the user typed, so a filter that could not be used is still in its field to correct.
      typed: Object.fromEntries(FILTER_NAMES.map((name) => [name, search.get(name) ?? ''])) as Record<(typeof FILTER_NAMES)[number], string>,
      errors,
      total: page.total,
      lines: page.entries.map((e) => registryLine(e, locale)),
      next: page.next ? link('after', formatCursor(page.next)) : null,
      previous: page.previous ? link('before', formatCursor(page.previous)) : null,
      csv: `/t/${tenant.slug}/registry.csv${kept.length ? `?${new URLSearchParams(kept)}` : ''}`,
      facets: {
        years: facets.years,
        classifications: facets.classifications,
        templates: facets.templates.map((t) => ({ key: t.key, title: titleIn(t.title, locale) })),
      },
    },
  };
}

type RegistryView = Awaited<ReturnType<typeof registryPage>>['view'];

export async function loader(args: LoaderFunctionArgs) {
  const { view, status } = await registryPage(args);
  // A filter that could not be used answers 400, with the page and the reason beside the field.
  return data(view, { status });
}

export default function RegistryLog() {
  const { t } = useTranslation();
  const { base, typed, errors, total, lines, next, previous, csv, facets } = useLoaderData() as RegistryView;
  const problems = Object.entries(errors).map(([name, code]) => ({ href: `#filter-${name}`, text: t(`registry.errors.${code}`) }));
  const errorOf = (name: keyof typeof errors) => (errors[name] ? [t(`registry.errors.${errors[name]}`)] : undefined);
  const select = (name: 'year' | 'classification' | 'template', options: Array<{ value: string; label: string }>) => (
    <Field id={`filter-${name}`} label={t(`registry.filters.${name}`)} errors={errorOf(name)}>
      {(aria) => (
        <select {...aria} name={name} defaultValue={options.some((o) => o.value === typed[name]) ? typed[name] : ''}>
          <option value="">{t('registry.filters.any')}</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  return (
    <>
      <h1>{t('registry.title')}</h1>
      <p className="lead">{t('registry.lead')}</p>
      <ErrorSummary title={t('registry.errors.summary')} messages={problems} />
      <Form method="get" className="card inline-form" role="search" aria-label={t('registry.filters.legend')}>
        {select('year', facets.years.map((y) => ({ value: String(y), label: String(y) })))}
        {select('classification', facets.classifications.map((c) => ({ value: c, label: c })))}
        {select('template', facets.templates.map((k) => ({ value: k.key, label: k.title })))}
        <Field id="filter-from" label={t('registry.filters.from')} errors={errorOf('from')}>
          {(aria) => <input {...aria} type="date" name="from" defaultValue={typed.from} />}
        </Field>
        <Field id="filter-to" label={t('registry.filters.to')} errors={errorOf('to')}>
          {(aria) => <input {...aria} type="date" name="to" defaultValue={typed.to} />}
        </Field>
        <Field id="filter-q" label={t('registry.filters.q')} help={t('registry.filters.qHelp')} errors={errorOf('q')}>
          {(aria) => <input {...aria} type="search" name="q" defaultValue={typed.q} maxLength={200} />}
        </Field>
        <Field id="filter-order" label={t('registry.filters.order')}>
          {(aria) => (
            <select {...aria} name="order" defaultValue={typed.order === 'asc' ? 'asc' : 'desc'}>
              <option value="desc">{t('registry.filters.newestFirst')}</option>
              <option value="asc">{t('registry.filters.oldestFirst')}</option>
            </select>
          )}
        </Field>
        <div className="actions">
          <button type="submit" className="primary">
            {t('registry.filters.apply')}
          </button>
          <Link to={`${base}/registry`}>{t('registry.filters.clear')}</Link>
        </div>
      </Form>
      <p className="actions">
        <a className="button secondary" href={csv}>
          {t('registry.csv')}
        </a>
      </p>
      <div className="table-wrap" {...scrollRegion(t('registry.count', { count: total }))}>
        <table className="data">
          <caption>{t('registry.count', { count: total })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('registry.columns.number')}</th>
              <th scope="col">{t('registry.columns.registeredAt')}</th>
              <th scope="col">{t('registry.columns.document')}</th>
              <th scope="col">{t('registry.columns.author')}</th>
              <th scope="col">{t('registry.columns.unit')}</th>
              <th scope="col">{t('registry.columns.state')}</th>
              <th scope="col">{t('registry.columns.pdf')}</th>
            </tr>
          </thead>
          <tbody>
            {lines.length === 0 ? (
              <tr>
                <td colSpan={7} role="status">
                  {t('registry.empty')}
                </td>
              </tr>
            ) : (
              lines.map((l) => (
                <tr key={l.id}>
                  <th scope="row" className="nowrap">
                    <Link to={`${base}/documents/${l.id}`}>{l.number}</Link>
                  </th>
                  <td className="nowrap">{l.registeredAt}</td>
                  <td>{l.document}</td>
                  <td>{l.author}</td>
                  <td>{l.unit}</td>
                  <td>{t(`registry.states.${l.state}`)}</td>
                  <td>
                    <a href={`${base}/documents/${l.id}/pdf`} aria-label={t('registry.pdfOf', { number: l.number })}>
                      {t('registry.columns.pdf')}
                    </a>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      {previous || next ? (
        <nav aria-label={t('registry.pages')} className="actions">
          {previous ? (
            <Link to={previous} rel="prev">
              {t('registry.previous')}
            </Link>
          ) : null}
          {next ? (
            <Link to={next} rel="next">
              {t('registry.next')}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
