import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type HeadersFunction, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { forgotPasswordSchema } from '../auth/account-forms';
import { requestPasswordReset } from '../auth/account.server';
import { blockedFor, recordFailure, resetKeys, throttledAnswer } from '../auth/throttle.server';
import { ErrorSummary, Field } from '../ui/field';
import { Main } from '../ui/page';
import { messageText } from '../ui/password-field';
import { parseForm } from '../framework/form.server';

export const meta: MetaFunction = () => [{ title: 'Delovod' }];

export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

type ActionData = SubmissionResult<string[]> & { sent?: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = await parseForm(request, forgotPasswordSchema);
  if (submission.status !== 'success') return data<ActionData>(submission.reply(), { status: 400 });
  const { email } = submission.value;
  // Counted per address asked for and per client address, known or not: the answer is the
  // same for an address with an account and one without, in what it says and in the work done.
  const keys = resetKeys(email, context.ip);
  const waitMs = await blockedFor(keys);
  if (waitMs > 0) {
    const { formError, init } = throttledAnswer(waitMs);
    return data<ActionData>(submission.reply({ formErrors: [formError] }), init);
  }
  await recordFailure(keys);
  await requestPasswordReset(email);
  return data<ActionData>({ ...submission.reply({ resetForm: true }), sent: email });
}

export default function ForgotPassword() {
  const { t } = useTranslation();
  const lastResult = useActionData<typeof action>() as ActionData | undefined;
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: forgotPasswordSchema }),
  });
  const messages = [
    ...(form.errors ?? []).map((e) => ({ text: messageText(t, e) })),
    ...(fields.email.errors?.length ? [{ href: `#${fields.email.id}`, text: `${t('accounts.forgot.email')}: ${t(fields.email.errors[0])}` }] : []),
  ];
  return (
    <Main>
      <div className="card narrow">
        <h1>{t('accounts.forgot.title')}</h1>
        {lastResult?.sent ? (
          <p className="alert alert--ok" role="status">
            {t('accounts.forgot.sent', { email: lastResult.sent })}
          </p>
        ) : (
          <p>{t('accounts.forgot.lead')}</p>
        )}
        <ErrorSummary title={t('form.errorSummary')} messages={messages} />
        <Form method="post" {...getFormProps(form)}>
          <Field id={fields.email.id} label={t('accounts.forgot.email')} errors={fields.email.errors?.map((e) => t(e))}>
            {(aria) => <input {...getInputProps(fields.email, { type: 'email' })} {...aria} autoComplete="username" />}
          </Field>
          <button type="submit" className="primary">
            {t('accounts.forgot.submit')}
          </button>
        </Form>
        <p>
          <Link to="/login">{t('accounts.forgot.back')}</Link>
        </p>
      </div>
    </Main>
  );
}
