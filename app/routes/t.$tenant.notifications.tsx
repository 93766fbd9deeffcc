import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { requireTenantMember } from '../auth/guards.server';
import { withTenant } from '../db.server';
import { useLocale } from '../ui/localized';
import { markAllRead, myNotifications } from '../workflow/engine/lists.server';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const access = await requireTenantMember(context, request, params.tenant, 'read:inbox:own');
  const items = await withTenant(access.tenant.id, (tx) => myNotifications(tx, access.tenant.id, access.membership.id, context.locale), {
    userId: access.signedIn.user.id,
  });
  return { slug: access.tenant.slug, items };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const access = await requireTenantMember(context, request, params.tenant, 'read:inbox:own');
  await withTenant(access.tenant.id, (tx) => markAllRead(tx, access.tenant.id, access.membership.id), { userId: access.signedIn.user.id });
  throw redirect(`/t/${access.tenant.slug}/notifications`);
}

export default function Notifications() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { slug, items } = useLoaderData<typeof loader>();
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
              <Link className={`choice${n.readAt ? '' : ' unread'}`} to={n.documentId ? `/t/${slug}/documents/${n.documentId}` : `/t/${slug}/inbox`}>
                {t(`documents.notifications.kinds.${n.kind.replace('.', '_')}`, { title: n.title, number: n.registryNumber ?? '' })}
                <small>{new Date(n.createdAt).toLocaleString(locale, { timeZone: 'Europe/Belgrade' })}</small>
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
