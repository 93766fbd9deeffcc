import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { Main } from '../ui/page';

export const meta: MetaFunction = () => [{ title: 'Delovod' }];

export async function loader({ context }: LoaderFunctionArgs) {
  return { signedIn: !!context.auth.signedIn };
}

const joinSteps = ['apply', 'review', 'setup', 'work'] as const;

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
      <div className="landing-paths">
        <section className="card" aria-labelledby="join-title">
          <h2 id="join-title">{t('landing.joinTitle')}</h2>
          <p>{t('landing.join')}</p>
          <ol className="join-steps">
            {joinSteps.map((k) => (
              <li key={k}>{t(`landing.steps.${k}`)}</li>
            ))}
          </ol>
          <p>
            <Link className="button" to="/signup">
              {t('landing.applyCta')}
            </Link>
          </p>
        </section>
        <section className="card" aria-labelledby="account-title">
          <h2 id="account-title">{t('landing.haveAccount')}</h2>
          <p>
            <Link className="button secondary" to={signedIn ? '/tenants' : '/login'}>
              {signedIn ? t('landing.continueCta') : t('landing.signInCta')}
            </Link>
          </p>
        </section>
      </div>
    </Main>
  );
}
