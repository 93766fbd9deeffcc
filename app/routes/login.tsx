import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { eq } from 'drizzle-orm';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { users } from '#db/schema';
import { loginSchema } from '../auth/login-form';
import { verifyPassword } from '../auth/password.server';
import { safeRedirect } from '../auth/redirect';
import { clientOf } from '../auth/device-cookie.server';
import { afterPassword } from '../auth/sign-in.server';
import { throttledAnswer, throttledCheck } from '../auth/throttle.server';
import { db } from '../db.server';
import { ErrorSummary, Field } from '../ui/field';
import { Main } from '../ui/page';
import { parseForm } from '../framework/form.server';

export const meta: MetaFunction = () => [{ title: 'Delovod' }];

// Retry-After of a throttled attempt reaches the browser.
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  if (context.auth.signedIn) throw redirect(safeRedirect(url.searchParams.get('redirectTo')));
  return {
    redirectTo: safeRedirect(url.searchParams.get('redirectTo'), ''),
    notice: url.searchParams.has('expired')
      ? 'login.expired'
      : url.searchParams.has('signedOut')
        ? 'login.signedOut'
        : url.searchParams.has('reset')
          ? 'accounts.reset.done'
          : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = await parseForm(request, loginSchema);
  if (submission.status !== 'success') {
    return data(submission.reply({ hideFields: ['password'] }), { status: 400 });
  }
  const { email, password, redirectTo } = submission.value;
  let user: typeof users.$inferSelect | undefined;
  const outcome = await throttledCheck(email, await clientOf(request, context), 'password', async () => {
    [user] = await db().select().from(users).where(eq(users.email, email.toLowerCase()));
    const ok = await verifyPassword(user?.passwordHash, password);
    return ok && !!user && !user.disabledAt;
  });
  if (outcome.status === 'throttled') {
    context.log.warn('sign-in throttled');
    const { formError, init } = throttledAnswer(outcome.waitMs);
    return data(submission.reply({ formErrors: [formError], hideFields: ['password'] }), init);
  }
  if (outcome.status === 'failed' || !user) {
    return data(submission.reply({ formErrors: ['login.invalid'], hideFields: ['password'] }), { status: 401 });
  }
  return afterPassword(request, context, user.id, safeRedirect(redirectTo));
}

/** Form-level errors travel as "key" or "key|count" so they are translated on the page. */
function translateFormError(t: TFunction, message: string): string {
  const [key, count] = message.split('|');
  return count ? t(key, { count: Number(count) }) : t(key);
}

export default function Login() {
  const { t } = useTranslation();
  const { redirectTo, notice } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: loginSchema }),
  });
  // A refused password is not left in the field (without JavaScript the server omits it too).
  const [passwordKey, setPasswordKey] = useState(0);
  useEffect(() => {
    if (lastResult?.status === 'error') setPasswordKey((k) => k + 1);
  }, [lastResult]);
  const fieldErrors = [fields.email, fields.password]
    .filter((f) => f.errors?.length)
    .map((f) => ({ href: `#${f.id}`, text: `${t(f.name === 'email' ? 'login.email' : 'login.password')}: ${t(f.errors![0])}` }));
  const formErrors = (form.errors ?? []).map((e) => ({ text: translateFormError(t, e) }));
  return (
    <Main>
      <div className="card narrow">
        <h1>{t('login.title')}</h1>
        {notice ? (
          <p className="alert alert--ok" role="status">
            {t(notice)}
          </p>
        ) : null}
        <ErrorSummary title={t('form.errorSummary')} messages={[...formErrors, ...fieldErrors]} />
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <Field id={fields.email.id} label={t('login.email')} errors={fields.email.errors?.map((e) => t(e))}>
            {(aria) => <input {...getInputProps(fields.email, { type: 'email' })} {...aria} autoComplete="username" />}
          </Field>
          <Field id={fields.password.id} label={t('login.password')} errors={fields.password.errors?.map((e) => t(e))}>
            {(aria) => <input {...getInputProps(fields.password, { type: 'password' })} key={passwordKey} {...aria} autoComplete="current-password" />}
          </Field>
          <button type="submit" className="primary" disabled={navigation.state === 'submitting'}>
            {t('login.submit')}
          </button>
        </Form>
        <p>
          <Link to="/login/forgot">{t('accounts.forgot.link')}</Link>
        </p>
      </div>
    </Main>
  );
}
