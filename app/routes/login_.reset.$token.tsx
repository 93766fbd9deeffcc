import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { resetPasswordSchema } from '../auth/account-forms';
import { completeReset, passwordContextOf, resetAccount } from '../auth/account.server';
import { clientOf } from '../auth/device-cookie.server';
import { hashPassword } from '../auth/password.server';
import { PASSWORD_MIN } from '../auth/password-policy';
import { newPasswordProblem } from '../auth/password-check.server';
import { throttledAnswer, throttledCheck } from '../auth/throttle.server';
import { ErrorSummary, Field } from '../ui/field';
import { Main } from '../ui/page';
import { messageText, NewPasswordField } from '../ui/password-field';
import { parseForm } from '../framework/form.server';

// The token is in the address; `Referrer-Policy: same-origin` keeps it from other sites.
export const meta: MetaFunction = () => [{ title: 'Delovod' }];

export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) => (actionHeaders.has('Retry-After') ? actionHeaders : loaderHeaders);

type Account = { userId: string; email: string };

/**
 * The account of the link, through the throttle: a link names no account, so failed links are
 * counted per client address.
 */
async function linkAccount(request: Request, context: LoaderFunctionArgs['context'], token: string) {
  let account: Account | null = null;
  const outcome = await throttledCheck(null, await clientOf(request, context), 'password', async () => {
    account = await resetAccount(token);
    return account !== null;
  });
  return { outcome, account: account as Account | null };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { outcome, account } = await linkAccount(request, context, params.token ?? '');
  if (outcome.status === 'throttled') {
    const { formError, init } = throttledAnswer(outcome.waitMs);
    return data({ account: null, context: [], formError }, init);
  }
  if (!account) return data({ account: null, context: [], formError: null }, { status: 404 });
  return { account: { email: account.email }, context: await passwordContextOf(account.userId, account.email), formError: null };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const token = params.token ?? '';
  const submission = await parseForm(request, resetPasswordSchema);
  const { outcome, account } = await linkAccount(request, context, token);
  if (outcome.status === 'throttled') {
    const { formError, init } = throttledAnswer(outcome.waitMs);
    return data(submission.reply({ formErrors: [formError], hideFields: ['password', 'confirm'] }), init);
  }
  if (!account) return data(submission.reply({ formErrors: ['accounts.reset.invalid'], hideFields: ['password', 'confirm'] }), { status: 410 });
  if (submission.status !== 'success') return data(submission.reply({ hideFields: ['password', 'confirm'] }), { status: 400 });
  const weak = newPasswordProblem(submission.value.password, await passwordContextOf(account.userId, account.email));
  if (weak) return data(submission.reply({ fieldErrors: { password: [weak] }, hideFields: ['password', 'confirm'] }), { status: 400 });
  const userId = await completeReset(token, await hashPassword(submission.value.password));
  if (!userId) return data(submission.reply({ formErrors: ['accounts.reset.invalid'], hideFields: ['password', 'confirm'] }), { status: 410 });
  context.log.info({ userId }, 'password reset');
  // Signing in again, with the second factor where there is one: a reset never bypasses it.
  throw redirect('/login?reset=1');
}

export default function ResetPassword() {
  const { t } = useTranslation();
  const loaded = useLoaderData() as { account: { email: string } | null; context: string[]; formError: string | null };
  const lastResult = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  const [form, f] = useForm({
    lastResult,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: resetPasswordSchema }),
  });
  if (!loaded.account) {
    return (
      <Main>
        <div className="card narrow">
          <h1>{t('accounts.reset.invalidTitle')}</h1>
          {loaded.formError ? <p className="alert alert--error">{messageText(t, loaded.formError)}</p> : <p>{t('accounts.reset.invalid')}</p>}
          <p>
            <Link to="/login/forgot">{t('accounts.reset.again')}</Link>
          </p>
        </div>
      </Main>
    );
  }
  const errors = (list?: string[]) => list?.map((e) => messageText(t, e));
  const messages = [
    ...(form.errors ?? []).map((e) => ({ text: messageText(t, e) })),
    ...[f.password, f.confirm].filter((x) => x.errors?.length).map((x) => ({ href: `#${x.id}`, text: messageText(t, x.errors![0]) })),
  ];
  return (
    <Main>
      <div className="card narrow">
        <h1>{t('accounts.reset.title')}</h1>
        <p>{t('accounts.reset.lead', { email: loaded.account.email })}</p>
        <ErrorSummary title={t('form.errorSummary')} messages={messages} />
        <Form method="post" {...getFormProps(form)}>
          <input type="email" name="username" value={loaded.account.email} autoComplete="username" readOnly hidden />
          <NewPasswordField id={f.password.id} label={t('accounts.reset.password')} help={t('accounts.password.help', { count: PASSWORD_MIN })} errors={errors(f.password.errors)} context={loaded.context}>
            {(aria) => <input {...getInputProps(f.password, { type: 'password' })} {...aria} autoComplete="new-password" />}
          </NewPasswordField>
          <Field id={f.confirm.id} label={t('accounts.reset.confirm')} errors={errors(f.confirm.errors)}>
            {(aria) => <input {...getInputProps(f.confirm, { type: 'password' })} {...aria} autoComplete="new-password" />}
          </Field>
          <button type="submit" className="primary">
            {t('accounts.reset.submit')}
          </button>
        </Form>
      </div>
    </Main>
  );
}
