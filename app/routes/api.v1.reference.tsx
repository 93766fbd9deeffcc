import type { MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { webhookEventTypes } from '#db/vocabulary';
import { openApiDocument, problemList } from '../api/openapi.server';
import { eventKey, scopeKey } from '../api/texts';
import { Main } from '../ui/page';
import { scrollRegion } from '../ui/table-region';

export const meta: MetaFunction = () => [{ title: 'Delovod API' }];

/** The API reference, rendered on the server from the OpenAPI document itself: no script, no CDN. */
export function loader() {
  const doc = openApiDocument();
  const endpoints = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops as unknown as Record<string, { summary: string; operationId: string; 'x-required-scope': string; responses: Record<string, unknown> }>).map(([method, o]) => ({
      method: method.toUpperCase(),
      path: `/api/v1${path}`,
      summary: o.summary,
      id: o.operationId,
      scope: o['x-required-scope'],
      statuses: Object.keys(o.responses).join(' '),
    })),
  );
  return { endpoints, problems: problemList.map(({ code, status, title }) => ({ code, status, title })), events: [...webhookEventTypes] };
}

export default function ApiReference() {
  const { t } = useTranslation();
  const { endpoints, problems, events } = useLoaderData<typeof loader>();
  return (
    <Main>
      <h1>{t('api.reference.title')}</h1>
      <p className="lead">{t('api.reference.lead')}</p>
      <p>
        <a href="/api/v1/openapi.json">{t('api.reference.openapi')}</a>
      </p>
      <h2>{t('api.reference.auth')}</h2>
      <p>{t('api.reference.authText')}</p>
      <h2>{t('api.reference.endpoints')}</h2>
      <div className="table-wrap" {...scrollRegion(t('api.reference.endpoints'))}>
        <table className="data">
          <caption className="visually-hidden">{t('api.reference.endpoints')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('api.reference.method')}</th>
              <th scope="col">{t('api.reference.path')}</th>
              <th scope="col">{t('api.reference.scope')}</th>
              <th scope="col">{t('api.reference.summary')}</th>
              <th scope="col">{t('api.reference.httpStatus')}</th>
            </tr>
          </thead>
          <tbody>
            {endpoints.map((e) => (
              <tr key={e.id} id={`op-${e.id}`}>
                <td>
                  <code>{e.method}</code>
                </td>
                <td>
                  <code>{e.path}</code>
                </td>
                <td>
                  <code>{e.scope}</code> <span className="visually-hidden">({t(scopeKey(e.scope))})</span>
                </td>
                <td>{e.summary}</td>
                <td>{e.statuses}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('api.reference.conventions')}</h2>
      <ul>
        <li>{t('api.reference.pagination')}</li>
        <li>{t('api.reference.etags')}</li>
        <li>{t('api.reference.idempotency')}</li>
        <li>{t('api.reference.rateLimits')}</li>
      </ul>
      <p>{t('api.reference.errors')}</p>
      <dl>
        {problems.map((p) => (
          <div key={p.code} id={`problem-${p.code}`}>
            <dt>
              <code>{`/api/v1/reference#problem-${p.code}`}</code> ({p.status})
            </dt>
            <dd>{p.title}</dd>
          </div>
        ))}
      </dl>
      <h2>{t('api.reference.webhooks')}</h2>
      <p>{t('api.reference.webhooksText')}</p>
      <ul>
        {events.map((e) => (
          <li key={e}>
            <code>{e}</code>: {t(eventKey(e))}
          </li>
        ))}
      </ul>
    </Main>
  );
}
