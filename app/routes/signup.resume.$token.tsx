import { data, redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { signupByToken } from '#tenants/lifecycle.server';
import { db } from '../db.server';
import { wizardSteps } from '../onboarding/schemas';
import { signupCookie } from '#tenants/signup-cookie.server';
import { Main } from '../ui/page';

export const meta: MetaFunction = () => [{ title: 'Delovod' }, { name: 'referrer', content: 'no-referrer' }];

/** A link from the resume email: this browser takes the draft up where it was left. */
export async function loader({ params }: LoaderFunctionArgs) {
  const signup = await signupByToken(db(), params.token);
  if (!signup) return data({ invalid: true }, { status: 404 });
  const next = signup.status === 'draft' ? `/signup/${wizardSteps.find((s) => !signup.completedSteps.includes(s)) ?? 'review'}` : '/signup';
  throw redirect(next, { headers: { 'Set-Cookie': await signupCookie().serialize(params.token) } });
}

export default function ResumeInvalid() {
  const { t } = useTranslation();
  return (
    <Main>
      <div className="card">
        <h1>{t('onboarding.resume.invalidTitle')}</h1>
        <p>{t('onboarding.resume.invalid')}</p>
        <Link to="/signup">{t('onboarding.resume.startAgain')}</Link>
      </div>
    </Main>
  );
}
