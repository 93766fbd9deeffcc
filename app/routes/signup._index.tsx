import type { SubmissionResult } from '@conform-to/react';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import * as z from 'zod';
import { startSignup, signupByToken } from '#tenants/lifecycle.server';
import { signupCookie, signupToken } from '#tenants/signup-cookie.server';
import { db } from '../db.server';
import { publishedTemplates } from '../onboarding/catalog.server';
import { wizardSteps } from '../onboarding/schemas';
import { ErrorSummary } from '../ui/field';
import { Main } from '../ui/page';
import { parseForm } from '../framework/form.server';

export const meta: MetaFunction = () => [{ title: 'Delovod' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const signup = await signupByToken(db(), await signupToken(request));
  if (!signup) return { signup: null };
  const next = wizardSteps.find((s) => !signup.completedSteps.includes(s)) ?? 'review';
  return {
    signup: { status: signup.status, name: signup.nameCyrl, next, reason: signup.rejectionReason, submittedAt: signup.submittedAt?.toISOString() ?? null },
  };
}

// The start page's one button; an anonymous visitor's form, so nothing else is read from it.
const startSchema = z.object({ intent: z.literal('start') });

export async function action({ request }: ActionFunctionArgs) {
  const submission = await parseForm(request, startSchema);
  if (submission.status !== 'success') return data<SubmissionResult<string[]>>(submission.reply(), { status: 400 });
  const templates = (await publishedTemplates()).map((t) => t.key);
  const { token } = await startSignup(db(), templates);
  throw redirect('/signup/body', { headers: { 'Set-Cookie': await signupCookie().serialize(token) } });
}

export default function SignupStart() {
  const { t } = useTranslation();
  const { signup } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  const refused = [...new Set(Object.values(result?.error ?? {}).flatMap((e) => e ?? []))];
  return (
    <Main>
      <h1>{t('onboarding.start.title')}</h1>
      <ErrorSummary title={t('form.errorSummary')} messages={refused.map((e) => ({ text: t(e) }))} />
      {signup?.status === 'submitted' ? (
        <div className="card" role="status">
          <h2>{t('onboarding.start.submittedTitle')}</h2>
          <p>{t('onboarding.start.submitted', { name: signup.name ?? '' })}</p>
        </div>
      ) : signup?.status === 'approved' ? (
        <div className="card" role="status">
          <h2>{t('onboarding.start.approvedTitle')}</h2>
          <p>{t('onboarding.start.approved')}</p>
          <p>
            <Link className="button" to="/login">
              {t('nav.signIn')}
            </Link>
          </p>
        </div>
      ) : signup?.status === 'rejected' ? (
        <div className="card" role="status">
          <h2>{t('onboarding.start.rejectedTitle')}</h2>
          <p>{t('onboarding.start.rejected')}</p>
          <blockquote>{signup.reason}</blockquote>
        </div>
      ) : signup ? (
        <div className="card">
          <p>{t('onboarding.start.draft')}</p>
          <p>
            <Link className="button" to={`/signup/${signup.next}`}>
              {t('onboarding.start.continue')}
            </Link>
          </p>
        </div>
      ) : null}
      <p className="lead">{t('onboarding.start.lead')}</p>
      <ol>
        {wizardSteps.map((s) => (
          <li key={s}>{t(`onboarding.steps.${s}`)}</li>
        ))}
      </ol>
      <p>{t('onboarding.start.needed')}</p>
      <Form method="post">
        <button type="submit" name="intent" value="start" className={signup ? 'button secondary' : 'primary'}>
          {signup ? t('onboarding.start.again') : t('onboarding.start.begin')}
        </button>
      </Form>
    </Main>
  );
}
