import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { NavLink, Outlet, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { requireTenantMember } from '../auth/guards.server';
import { UNREAD_SHOWN } from '../workflow/engine/list-notifications.server';
import { ErrorPage } from '../ui/error-page';
import { tenantName, useLocale } from '../ui/localized';
import { Main } from '../ui/page';

export const meta: MetaFunction = () => [{ title: 'Delovod' }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { tenant, permissions, unread } = await requireTenantMember(context, request, params.tenant);
  context.setTenant(tenant.slug);
  return {
    unread,
    // The count stops past this many (shown as "99+").
    unreadShown: UNREAD_SHOWN,
    tenant: { slug: tenant.slug, nameCyrl: tenant.nameCyrl, nameLatn: tenant.nameLatn, nameEn: tenant.nameEn },
    // Only decides which links to show; every route checks its own permission.
    permissions: [...permissions],
  };
}

export default function TenantLayout() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { tenant, permissions, unread, unreadShown } = useLoaderData<typeof loader>();
  const can = (p: string) => permissions.includes(p as (typeof permissions)[number]);
  const base = `/t/${tenant.slug}`;
  return (
    <>
      <nav className="tenant-bar" aria-label={tenantName(tenant, locale)}>
        <div className="tenant-bar__inner">
          <span className="tenant-bar__name">{tenantName(tenant, locale)}</span>
          <ul>
            <li>
              <NavLink to={`${base}/inbox`}>{t('nav.inbox')}</NavLink>
            </li>
            <li>
              <NavLink to={`${base}/documents`}>{t('documents.nav')}</NavLink>
            </li>
            <li>
              <NavLink to={`${base}/notifications`}>
                {t('documents.notifications.nav')}
                {unread ? (
                  <>
                    <span className="badge" aria-hidden="true">
                      {unread > unreadShown ? `${unreadShown}+` : unread}
                    </span>
                    <span className="visually-hidden">
                      {unread > unreadShown ? t('documents.notifications.unreadMany', { count: unreadShown }) : t('documents.notifications.unread', { count: unread })}
                    </span>
                  </>
                ) : null}
              </NavLink>
            </li>
            <li>
              <NavLink to={`${base}/profile`}>{t('nav.profile')}</NavLink>
            </li>
            {can('manage:staff:tenant') ? <li><NavLink to={`${base}/admin/staff`}>{t('onboarding.admin.nav')}</NavLink></li> : null}
            {can('read:registry:tenant') ? (
              <li>
                <NavLink to={`${base}/registry`}>{t('registry.nav')}</NavLink>
              </li>
            ) : null}
            {can('read:reports:tenant') ? (
              <li>
                <NavLink to={`${base}/reports`}>{t('reports.nav')}</NavLink>
              </li>
            ) : null}
            {can('prepare:payslip:tenant') ? (
              <li>
                <NavLink to={`${base}/closed-months`}>{t('documents.closedMonths.nav')}</NavLink>
              </li>
            ) : null}
            {can('manage:settings:tenant') ? (
              <li>
                <NavLink to={`${base}/admin/delegations`}>{t('documents.delegations.nav')}</NavLink>
              </li>
            ) : null}
            {can('manage:templates:tenant') ? (
              <li>
                <NavLink to={`${base}/admin/templates`}>{t('catalog.admin.nav')}</NavLink>
              </li>
            ) : null}
          </ul>
        </div>
      </nav>
      <Main>
        <Outlet />
      </Main>
    </>
  );
}

export function ErrorBoundary() {
  return (
    <Main>
      <ErrorPage />
    </Main>
  );
}
