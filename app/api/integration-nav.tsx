import { NavLink } from '@remix-run/react';
import { useTranslation } from 'react-i18next';

/** Between the API clients and the webhooks pages of the administration. */
export function IntegrationNav({ slug }: { slug: string }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('api.subnav')} className="subnav">
      <ul>
        <li>
          <NavLink to={`/t/${slug}/admin/api`} end>
            {t('api.clients.title')}
          </NavLink>
        </li>
        <li>
          <NavLink to={`/t/${slug}/admin/webhooks`}>{t('api.webhooks.title')}</NavLink>
        </li>
      </ul>
    </nav>
  );
}
