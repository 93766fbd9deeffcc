import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { NavLink, Outlet, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { requireNational } from '../auth/guards.server';
import { mailboxDir } from '../operations/mailbox.server';
import { ErrorPage } from '../ui/error-page';
import { Main } from '../ui/page';

export const meta: MetaFunction = () => [{ title: 'Delovod' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireNational(context, request);
  context.setTenant('national');
  return { mailbox: mailboxDir() !== null };
}

export default function NationalLayout() {
  const { t } = useTranslation();
  const { mailbox } = useLoaderData<typeof loader>();
  return (
    <>
      <nav className="tenant-bar" aria-label={t('national.title')}>
        <div className="tenant-bar__inner">
          <span className="tenant-bar__name">{t('national.title')}</span>
          <ul>
            <li>
              <NavLink to="/national" end>
                {t('national.organisations')}
              </NavLink>
            </li>
            <li>
              <NavLink to="/national/templates">{t('catalog.nav')}</NavLink>
            </li>
            <li><NavLink to="/national/signups">{t('onboarding.national.signups')}</NavLink></li>
            <li><NavLink to="/national/tenants">{t('onboarding.national.tenants')}</NavLink></li>
            <li><NavLink to="/national/reports">{t('reports.national.nav')}</NavLink></li>
            <li><NavLink to="/national/queues">{t('reports.queues.nav')}</NavLink></li>
            {mailbox ? (
              <li><NavLink to="/national/mail">{t('reports.mail.link')}</NavLink></li>
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
