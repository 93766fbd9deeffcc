import type { LoaderFunctionArgs } from '@remix-run/node';
import { useTranslation } from 'react-i18next';
import { requireTenantMember } from '../auth/guards.server';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireTenantMember(context, request, params.tenant, 'read:inbox:own');
  return null;
}

export default function Inbox() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t('inbox.title')}</h1>
      <p className="lead">{t('inbox.lead')}</p>
      <div className="card">
        <p role="status">{t('inbox.empty')}</p>
      </div>
    </>
  );
}
