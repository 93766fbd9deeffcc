import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { readAsMember } from '../auth/guards.server';
import { formatInstant } from '../i18n/format';
import { firstSteps } from '../guide/first-steps.server';
import { FirstStepsChecklist } from '../guide/first-steps';
import { useLocale } from '../ui/localized';
import { inbox } from '../workflow/engine/list-inbox.server';
import { scrollRegion } from '../ui/table-region';
import { belgradeDate } from '../time/belgrade';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { access, data } = await readAsMember(context, request, params.tenant, 'read:inbox:own', (tx, me) =>
    Promise.all([
      inbox(tx, me.tenantId, me.membershipId, context.locale),
      // The administrator's checklist, until the organisation has everything it needs.
      me.permissions.has('manage:staff:tenant') ? firstSteps(tx, me.tenantId, belgradeDate()) : null,
    ]),
  );
  const [items, steps] = data;
  return { slug: access.tenant.slug, items, now: Date.now(), firstSteps: steps && steps.some((s) => !s.done) ? steps : null };
}

export default function Inbox() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { slug, items, now, firstSteps: steps } = useLoaderData<typeof loader>();
  const when = (d: string | Date) => formatInstant(d, locale, 'short');
  return (
    <>
      <h1>{t('inbox.title')}</h1>
      <p className="lead">{t('inbox.lead')}</p>
      {steps ? <FirstStepsChecklist slug={slug} steps={steps} /> : null}
      {items.length ? (
        <div className="table-wrap" {...scrollRegion(t('inbox.title'))}>
          <table className="data">
            <caption className="visually-hidden">{t('inbox.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('documents.columns.document')}</th>
                <th scope="col">{t('documents.columns.step')}</th>
                <th scope="col">{t('documents.columns.author')}</th>
                <th scope="col">{t('documents.columns.due')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => {
                const overdue = i.dueAt && new Date(i.dueAt).getTime() < now;
                return (
                  <tr key={i.stepId} className={overdue ? 'overdue' : undefined}>
                    <th scope="row">
                      <Link to={`/t/${slug}/documents/${i.documentId}`}>{i.title}</Link>
                      {i.registryNumber ? <small> {i.registryNumber}</small> : null}
                    </th>
                    <td>
                      {t(`documents.kinds.${i.kind}`)}
                      {i.forName !== null ? <small> ({t('documents.inbox.substitute', { name: i.forName })})</small> : null}
                    </td>
                    <td>{i.author}</td>
                    <td>
                      {/* The column says what the date is; an overdue one is marked with a word of its own. */}
                      {i.dueAt ? <time dateTime={new Date(i.dueAt).toISOString()}>{when(i.dueAt)}</time> : '—'}
                      {overdue ? <strong> ({t('documents.inbox.overdue')})</strong> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <div className="card">
          <p role="status">{t('inbox.empty')}</p>
        </div>
      )}
    </>
  );
}
