import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { requireTenantMember } from '../auth/guards.server';
import { AdminNav } from '../onboarding/ui';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { tenant } = await requireTenantMember(context, request, params.tenant, 'manage:settings:tenant');
  return { slug: tenant.slug };
}

export default function Export() {
  const { t } = useTranslation();
  const { slug } = useLoaderData<typeof loader>();
  const [preparing, setPreparing] = useState(false);
  return (
    <>
      <AdminNav slug={slug} />
      <h1>{t('onboarding.manage.export.title')}</h1>
      <p className="lead">{t('onboarding.manage.export.lead')}</p>
      <ul>
        <li>{t('onboarding.manage.export.organisation')}</li>
        <li>{t('onboarding.manage.export.documents')}</li>
        <li>{t('onboarding.manage.export.registry')}</li>
        <li>{t('onboarding.manage.export.audit')}</li>
      </ul>
      {/* A plain form to the resource route: the browser downloads the file, and shows its progress
          once the archive starts to arrive; until then, the page says it is being prepared. */}
      <form method="post" action={`/t/${slug}/admin/export.zip`} onSubmit={() => setPreparing(true)}>
        <button type="submit" name="intent" value="export" className="primary">
          {t('onboarding.manage.export.download')}
        </button>
        <span role="status" className="busy-note">
          {preparing ? t('onboarding.manage.export.preparing') : ''}
        </span>
      </form>
    </>
  );
}
