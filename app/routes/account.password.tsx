import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { eq } from 'drizzle-orm';
import { useTranslation } from 'react-i18next';
import { users } from '#db/schema';
import { changePasswordSchema } from '../auth/account-forms';
import { changePassword, passwordContextOf } from '../auth/account.server';
import { clientOf } from '../auth/device-cookie.server';
import { requireUser } from '../auth/guards.server';
import { hashPassword, verifyPassword } from '../auth/password.server';
import { PASSWORD_MIN } from '../auth/password-policy';
import { newPasswordProblem } from '../auth/password-check.server';
import { throttledAnswer, throttledCheck } from '../auth/throttle.server';
import { db } from '../db.server';
import { ErrorSummary, Field } from '../ui/field';
import { Main } from '../ui/page';
import { messageText, NewPasswordField } from '../ui/password-field';
import { parseForm } from '../framework/form.server';

export const meta: MetaFunction = () => [{ title: 'Delovod' }];

export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireUser(context, request);
  return { email: user.email, context: await passwordContextOf(user.id, user.email) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requireUser(context, request);
  const submission = await parseForm(request, changePasswordSchema);
  const hide = { hideFields: ['current', 'password', 'confirm'] };
  if (submission.status !== 'success') return data(submission.reply(hide), { status: 400 });
  const { current, password } = submission.value;
  // The current password is checked like a sign-in: the same throttle, so a session left open
  // on a shared computer is no place to guess it.
  const outcome = await throttledCheck(user.email, await clientOf(request, context), 'password', async () => {
    const [row] = await db().select({ hash: users.passwordHash }).from(users).where(eq(users.id, user.id));
    return verifyPassword(row?.hash, current);
  });
  if (outcome.status === 'throttled') {
    const { formError, init } = throttledAnswer(outcome.waitMs);
    return data(submission.reply({ ...hide, formErrors: [formError] }), init);
  }
  if (outcome.status === 'failed') return data(submission.reply({ ...hide, fieldErrors: { current: ['accounts.change.wrongCurrent'] } }), { status: 401 });
  const weak = newPasswordProblem(password, await passwordContextOf(user.id, user.email));
  if (weak) return data(submission.reply({ ...hide, fieldErrors: { password: [weak] } }), { status: 400 });
  // Every session ends, this one included; this browser goes on in a new one (rotation).
  const cookie = await changePassword(user.id, await hashPassword(password), { ip: context.ip, userAgent: context.userAgent });
  context.log.info({ userId: user.id }, 'password changed');
  throw redirect('/account?changed=password', { headers: { 'Set-Cookie': cookie } });
}

export default function ChangePassword() {
  const { t } = useTranslation();
  const { email, context } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  const [form, f] = useForm({
    lastResult,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: changePasswordSchema }),
  });
  const errors = (list?: string[]) => list?.map((e) => messageText(t, e));
  const labels: Record<string, string> = { current: t('accounts.change.current'), password: t('accounts.change.password'), confirm: t('accounts.change.confirm') };
  const messages = [
    ...(form.errors ?? []).map((e) => ({ text: messageText(t, e) })),
    ...[f.current, f.password, f.confirm].filter((x) => x.errors?.length).map((x) => ({ href: `#${x.id}`, text: `${labels[x.name]}: ${messageText(t, x.errors![0])}` })),
  ];
  return (
    <Main>
      <div className="card narrow">
        <h1>{t('accounts.change.title')}</h1>
        <p>{t('accounts.change.lead')}</p>
        <ErrorSummary title={t('form.errorSummary')} messages={messages} />
        <Form method="post" {...getFormProps(form)}>
          <input type="email" name="username" value={email} autoComplete="username" readOnly hidden />
          <Field id={f.current.id} label={labels.current} errors={errors(f.current.errors)}>
            {(aria) => <input {...getInputProps(f.current, { type: 'password' })} {...aria} autoComplete="current-password" />}
          </Field>
          <NewPasswordField id={f.password.id} label={labels.password} help={t('accounts.password.help', { count: PASSWORD_MIN })} errors={errors(f.password.errors)} context={context}>
            {(aria) => <input {...getInputProps(f.password, { type: 'password' })} {...aria} autoComplete="new-password" />}
          </NewPasswordField>
          <Field id={f.confirm.id} label={labels.confirm} errors={errors(f.confirm.errors)}>
            {(aria) => <input {...getInputProps(f.confirm, { type: 'password' })} {...aria} autoComplete="new-password" />}
          </Field>
          <button type="submit" className="primary">
            {t('accounts.change.submit')}
          </button>
        </Form>
        <p>
          <Link to="/account">{t('accounts.account.back')}</Link>
        </p>
      </div>
    </Main>
  );
}
