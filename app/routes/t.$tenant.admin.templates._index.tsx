import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { tenantAdoptions } from '#tenants/adoption';
import { readAsMember } from '../auth/guards.server';
import { db } from '../db.server';
import { useLocale } from '../ui/localized';
import { listCatalog } from '../workflow/publishing/catalog.server';
import { scrollRegion } from '../ui/table-region';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const [catalog, { access, data: adopted }] = await Promise.all([
    listCatalog(db(), { includeDrafts: false }),
    readAsMember(context, request, params.tenant, 'manage:templates:tenant', (tx, me) => tenantAdoptions(tx, me.tenantId)),
  ]);
  const byTemplate = new Map(adopted.map((a) => [a.adoption.templateId, a.version]));
  return {
    slug: access.tenant.slug,
    templates: catalog.map((entry) => {
      const newest = entry.versions.find((v) => v.status === 'published');
      const adoptedVersion = byTemplate.get(entry.templateId) ?? null;
      return {
        key: entry.key,
        title: (newest ?? entry.versions[0]).title,
        adoptedVersion,
        newest: newest ? { version: newest.version, adoptBy: newest.adoptBy } : null,
      };
    }),
  };
}

export default function AdminTemplates() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { slug, templates } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t('catalog.admin.title')}</h1>
      <p className="lead">{t('catalog.admin.lead')}</p>
      <div className="table-wrap" {...scrollRegion(t('catalog.admin.title'))}>
        <table className="data">
          <caption className="visually-hidden">{t('catalog.admin.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('catalog.template')}</th>
              <th scope="col">{t('catalog.status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('catalog.admin.settings')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {templates.map((tpl) => {
              const newer = tpl.newest && tpl.adoptedVersion !== null && tpl.newest.version > tpl.adoptedVersion ? tpl.newest : null;
              return (
                <tr key={tpl.key}>
                  <th scope="row">{tpl.title?.[locale] ?? tpl.key}</th>
                  <td>
                    {tpl.adoptedVersion === null ? t('catalog.admin.notAdopted') : t('catalog.admin.adopted', { version: tpl.adoptedVersion })}
                    {newer ? (
                      <>
                        <br />
                        <strong>{t('catalog.admin.newer', { version: newer.version })}</strong>
                        {newer.adoptBy ? ` — ${t('catalog.admin.mustMoveBy', { date: newer.adoptBy })}` : ''}
                      </>
                    ) : null}
                  </td>
                  <td>
                    <Link to={`/t/${slug}/admin/templates/${tpl.key}`}>
                      {tpl.adoptedVersion === null ? t('catalog.admin.adopt') : newer ? t('catalog.admin.upgrade', { version: newer.version }) : t('catalog.admin.settings')}
                    </Link>
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
