import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { codeSchema } from '../auth/account-forms';
import { clientOf } from '../auth/device-cookie.server';
import { looksLikeRecoveryCode, spendRecoveryCode, verifyTotp } from '../auth/mfa.server';
import { openChallenge, signedIn } from '../auth/sign-in.server';
import { throttledAnswer, throttledCheck } from '../auth/throttle.server';
import { ErrorSummary, Field } from '../ui/field';
import { Main } from '../ui/page';
import { messageText } from '../ui/password-field';
import { parseForm } from '../framework/form.server';

export const meta: MetaFunction = () => [{ title: 'Delovod' }];

export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  if (!(await openChallenge(request, 'verify'))) throw redirect('/login');
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const challenge = await openChallenge(request, 'verify');
  if (!challenge) throw redirect('/login');
  const submission = await parseForm(request, codeSchema);
  if (submission.status !== 'success') return data(submission.reply({ hideFields: ['code'] }), { status: 400 });
  const { code } = submission.value;
  // Codes are guessed like passwords: the same throttle, per account and per client address.
  const outcome = await throttledCheck(challenge.email, await clientOf(request, context), () =>
    looksLikeRecoveryCode(code) ? spendRecoveryCode(challenge.userId, code) : verifyTotp(challenge.userId, challenge.email, code),
  );
  if (outcome.status === 'throttled') {
    const { formError, init } = throttledAnswer(outcome.waitMs);
    return data(submission.reply({ formErrors: [formError], hideFields: ['code'] }), init);
  }
  if (outcome.status === 'failed') return data(submission.reply({ fieldErrors: { code: ['accounts.verify.invalid'] }, hideFields: ['code'] }), { status: 401 });
  throw redirect(challenge.redirectTo, { headers: await signedIn(request, context, challenge.userId, challenge) });
}

export default function Verify() {
  const { t } = useTranslation();
  const lastResult = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  const [form, f] = useForm({ lastResult, onValidate: ({ formData }) => parseWithZod(formData, { schema: codeSchema }) });
  const messages = [
    ...(form.errors ?? []).map((e) => ({ text: messageText(t, e) })),
    ...(f.code.errors?.length ? [{ href: `#${f.code.id}`, text: `${t('accounts.verify.code')}: ${messageText(t, f.code.errors[0])}` }] : []),
  ];
  return (
    <Main>
      <div className="card narrow">
        <h1>{t('accounts.verify.title')}</h1>
        <p>{t('accounts.verify.lead')}</p>
        <ErrorSummary title={t('form.errorSummary')} messages={messages} />
        <Form method="post" {...getFormProps(form)}>
          <Field id={f.code.id} label={t('accounts.verify.code')} errors={f.code.errors?.map((e) => messageText(t, e))}>
            {(aria) => <input {...getInputProps(f.code, { type: 'text' })} {...aria} autoComplete="one-time-code" autoCapitalize="characters" spellCheck={false} />}
          </Field>
          <button type="submit" className="primary">
            {t('accounts.verify.submit')}
          </button>
        </Form>
        <p>
          <Link to="/login">{t('accounts.verify.cancel')}</Link>
        </p>
      </div>
    </Main>
  );
}
