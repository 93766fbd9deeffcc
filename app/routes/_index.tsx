import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { Main } from '../ui/page';

export const meta: MetaFunction = () => [{ title: 'Delovod' }];

export async function loader({ context }: LoaderFunctionArgs) {
  return { signedIn: !!context.auth.signedIn };
}

export default function Landing() {
  const { t } = useTranslation();
  const { signedIn } = useLoaderData<typeof loader>();
  return (
    <Main>
      <h1>{t('landing.title')}</h1>
      <p className="lead">{t('landing.lead')}</p>
      <ul>
        {(['templates', 'approval', 'registry', 'languages'] as const).map((k) => (
          <li key={k}>{t(`landing.points.${k}`)}</li>
        ))}
      </ul>
      <h2>{t('landing.joinTitle')}</h2>
      <p>{t('landing.join')}</p>
      <p>
        <Link className="button" to={signedIn ? '/tenants' : '/login'}>
          {signedIn ? t('nav.switchTenant') : t('landing.signInCta')}
        </Link>
      </p>
    </Main>
  );
}
