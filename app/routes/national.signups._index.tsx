import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { signupsWithStatus } from '#tenants/lifecycle.server';
import { requireNational } from '../auth/guards.server';
import { db } from '../db.server';
import { useSerbian } from '../ui/localized';
import { belgradeDate } from '../time/belgrade';

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireNational(context, request, 'review:signup:national');
  const rows = await signupsWithStatus(db(), ['submitted', 'approved', 'rejected']);
  return {
    signups: rows.map((s) => ({ id: s.id, status: s.status, name: s.nameCyrl ?? '', maticniBroj: s.maticniBroj, submittedAt: s.submittedAt ? belgradeDate(s.submittedAt) : '' })),
  };
}

export default function Signups() {
  const { t } = useTranslation();
  const sr = useSerbian();
  const { signups } = useLoaderData<typeof loader>();
  const waiting = signups.filter((s) => s.status === 'submitted');
  const decided = signups.filter((s) => s.status !== 'submitted');
  const list = (rows: typeof signups) => (
    <ul className="plain choices">
      {rows.map((s) => (
        <li key={s.id}>
          <Link className="choice" to={`/national/signups/${s.id}`}>
            {sr(s.name)}
            <small>
              {s.maticniBroj} · {t('onboarding.national.submittedAt')} {s.submittedAt} · {t(`onboarding.national.status.${s.status}`)}
            </small>
          </Link>
        </li>
      ))}
    </ul>
  );
  return (
    <>
      <h1>{t('onboarding.national.signupsTitle')}</h1>
      <p className="lead">{t('onboarding.national.signupsLead')}</p>
      {waiting.length ? list(waiting) : <p role="status">{t('onboarding.national.none')}</p>}
      {decided.length ? (
        <>
          <h2>{t('onboarding.national.decided')}</h2>
          {list(decided)}
        </>
      ) : null}
    </>
  );
}
