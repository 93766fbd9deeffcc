import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { changeAsMember, readAsMember } from '../auth/guards.server';
import { formatInstant, formatMonth } from '../i18n/format';
import { useLocale } from '../ui/localized';
import { markAllRead, myNotifications } from '../workflow/engine/list-notifications.server';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { access, data: items } = await readAsMember(context, request, params.tenant, 'read:inbox:own', (tx, me) =>
    myNotifications(tx, me.tenantId, me.membershipId, context.locale),
  );
  return { slug: access.tenant.slug, items };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  await changeAsMember(context, request, params.tenant, 'read:inbox:own', (tx, me) => markAllRead(tx, me.tenantId, me.membershipId));
  throw redirect(`/t/${params.tenant}/notifications`);
}

type Item = ReturnType<typeof useLoaderData<typeof loader>>['items'][number];

/** Where a notification leads: its document, the reports, or the template to adopt. */
function target(slug: string, n: Item): string {
  const data = n.data as { key?: unknown };
  if (n.documentId) return `/t/${slug}/documents/${n.documentId}`;
  if (n.kind === 'report.ready') return `/t/${slug}/reports`;
  if (n.kind.startsWith('adoption.') && typeof data.key === 'string') return `/t/${slug}/admin/templates/${data.key}`;
  return `/t/${slug}/inbox`;
}

export default function Notifications() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { slug, items } = useLoaderData<typeof loader>();
  const period = (p: unknown) =>
    typeof p === 'string' && /^\d{4}-\d{2}$/.test(p) ? formatMonth(p, locale) : '';
  return (
    <>
      <h1>{t('documents.notifications.title')}</h1>
      {items.some((i) => !i.readAt) ? (
        <Form method="post">
          <button type="submit" className="button secondary">
            {t('documents.notifications.markAllRead')}
          </button>
        </Form>
      ) : null}
      {items.length ? (
        <ul className="plain choices">
          {items.map((n) => (
            <li key={n.id}>
              <Link className={`choice${n.readAt ? '' : ' unread'}`} to={target(slug, n)}>
                {t(`documents.notifications.kinds.${n.kind.replace('.', '_')}`, {
                  title: n.title,
                  number: n.registryNumber ?? '',
                  version: (n.data as { version?: unknown }).version ?? '',
                  period: period((n.data as { period?: unknown }).period),
                })}
                <small>{formatInstant(n.createdAt, locale)}</small>
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="card">{t('documents.notifications.none')}</p>
      )}
    </>
  );
}
