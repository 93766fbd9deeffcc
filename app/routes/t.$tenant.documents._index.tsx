import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { tenantAdoptions } from '#tenants/adoption';
import { readAsMember } from '../auth/guards.server';
import { templateVersionSchema } from '../workflow/template/schema';
import { formatInstant } from '../i18n/format';
import { useLocale } from '../ui/localized';
import { myDocuments } from '../workflow/engine/list-my-documents.server';
import { scrollRegion } from '../ui/table-region';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { access, data } = await readAsMember(context, request, params.tenant, 'create:document:own', async (tx, me) => {
    const docs = await myDocuments(tx, me.tenantId, me.membershipId, context.locale);
    // Someone with no document yet is offered the templates to start one from, here.
    return { docs, adopted: docs.length ? [] : await tenantAdoptions(tx, me.tenantId) };
  });
  const starters = data.adopted
    .map((a) => ({ key: a.key, def: templateVersionSchema.parse(a.definition) }))
    // A periodic document (a monthly pay slip) is built by its preparer, not started by hand.
    .filter((a) => !a.def.aggregate)
    .map((a) => ({ key: a.key, title: a.def.title, description: a.def.description ?? null }))
    .sort((a, b) => a.key.localeCompare(b.key));
  return { slug: access.tenant.slug, docs: data.docs, starters };
}

export default function MyDocuments() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { slug, docs, starters } = useLoaderData<typeof loader>();
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
        <section className="card" aria-labelledby="first-document-title">
          <h2 id="first-document-title">{t('guide.firstDocument.title')}</h2>
          <p>{starters.length ? t('guide.firstDocument.lead') : t('guide.firstDocument.none')}</p>
          <ul className="plain choices">
            {starters.map((tpl) => (
              <li key={tpl.key}>
                <Form method="post" action={`/t/${slug}/documents/new`} className="choice">
                  <input type="hidden" name="template" value={tpl.key} />
                  <strong>{tpl.title[locale]}</strong>
                  {tpl.description ? <small>{tpl.description[locale]}</small> : null}
                  <p>
                    <button type="submit" className="primary" aria-label={`${t('documents.start')}: ${tpl.title[locale]}`}>
                      {t('documents.start')}
                    </button>
                  </p>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
