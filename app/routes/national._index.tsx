import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { asc } from 'drizzle-orm';
import { useTranslation } from 'react-i18next';
import { tenants } from '#db/schema';
import { requireNational } from '../auth/guards.server';
import { db } from '../db.server';
import { tenantName, useLocale } from '../ui/localized';

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireNational(context, request);
  const rows = await db()
    .select({ id: tenants.id, kind: tenants.kind, nameCyrl: tenants.nameCyrl, nameLatn: tenants.nameLatn, nameEn: tenants.nameEn, status: tenants.status })
    .from(tenants)
    .orderBy(asc(tenants.nameLatn));
  return { organisations: rows };
}

export default function NationalHome() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { organisations } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t('national.title')}</h1>
      <p className="lead">{t('national.lead')}</p>
      <h2>{t('national.organisations')}</h2>
      <ul className="plain choices">
        {organisations.map((o) => (
          <li key={o.id} className="choice">
            {tenantName(o, locale)}
            <small>
              {t(`tenants.kinds.${o.kind}`)}
              {o.status === 'suspended' ? ` — ${t('login.suspended')}` : ''}
            </small>
          </li>
        ))}
      </ul>
    </>
  );
}
