import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { requireNational } from '../auth/guards.server';
import { db } from '../db.server';
import { listCatalog } from '../workflow/publishing/catalog.server';
import { useLocale } from '../ui/localized';
import { scrollRegion } from '../ui/table-region';

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireNational(context, request, 'publish:template:national');
  return { catalog: await listCatalog(db(), { includeDrafts: true }) };
}

export default function NationalTemplates() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { catalog } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t('catalog.title')}</h1>
      <p className="lead">{t('catalog.lead')}</p>
      <p>
        <Link className="button" to="/national/templates/new">
          {t('catalog.newTemplate')}
        </Link>
      </p>
      <div className="table-wrap" {...scrollRegion(t('catalog.title'))}>
        <table className="data">
          <caption className="visually-hidden">{t('catalog.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('catalog.template')}</th>
              <th scope="col">{t('catalog.versions')}</th>
            </tr>
          </thead>
          <tbody>
            {catalog.map((entry) => {
              const title = entry.versions.find((v) => v.title)?.title;
              return (
                <tr key={entry.templateId}>
                  <th scope="row">
                    <Link to={`/national/templates/${entry.key}`}>{title ? title[locale] : t('catalog.noTitle')}</Link>
                    <br />
                    <code>{entry.key}</code>
                  </th>
                  <td>
                    <ul className="plain">
                      {entry.versions.map((v) => (
                        <li key={v.id}>
                          {t('catalog.versionN', { version: v.version })}:{' '}
                          <span className={`tag tag--${v.status}`}>{t(`catalog.statuses.${v.status}`)}</span>
                          {v.status !== 'draft' ? ` · ${t('catalog.tenants')}: ${v.tenants}` : ''}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
