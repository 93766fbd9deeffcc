import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { readAsMember } from '../auth/guards.server';
import { formatInstant } from '../i18n/format';
import { useLocale } from '../ui/localized';
import { myDocuments } from '../workflow/engine/lists.server';
import { scrollRegion } from '../ui/table-region';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { access, data: docs } = await readAsMember(context, request, params.tenant, 'create:document:own', (tx, me) =>
    myDocuments(tx, me.tenantId, me.membershipId, context.locale),
  );
  return { slug: access.tenant.slug, docs };
}

export default function MyDocuments() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { slug, docs } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t('documents.title')}</h1>
      <p className="lead">{t('documents.lead')}</p>
      <p>
        <Link className="button" to={`/t/${slug}/documents/new`}>
          {t('documents.newTitle')}
        </Link>
      </p>
      {docs.length ? (
        <div className="table-wrap" {...scrollRegion(t('documents.title'))}>
          <table className="data">
            <caption className="visually-hidden">{t('documents.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('documents.columns.document')}</th>
                <th scope="col">{t('documents.columns.state')}</th>
                <th scope="col">{t('documents.columns.registry')}</th>
                <th scope="col">{t('documents.columns.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {docs.map((d) => (
                <tr key={d.id}>
                  <th scope="row">
                    <Link to={`/t/${slug}/documents/${d.id}`}>{d.title}</Link>
                  </th>
                  <td>{t(`documents.states.${d.state}`)}</td>
                  <td>{d.registryNumber ?? '—'}</td>
                  <td>{formatInstant(d.updatedAt, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="card">{t('documents.none')}</p>
      )}
    </>
  );
}
