import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { useTranslation } from 'react-i18next';
import * as z from 'zod';
import { codeSchema } from '../auth/account-forms';
import { clientOf } from '../auth/device-cookie.server';
import { looksLikeRecoveryCode, spendRecoveryCode, verifyTotp } from '../auth/mfa.server';
import { passkeysOf, verifyPasskey } from '../auth/passkeys.server';
import { openChallenge, signedIn } from '../auth/sign-in.server';
import { throttledAnswer, throttledCheck } from '../auth/throttle.server';
import { ErrorSummary, Field } from '../ui/field';
import { Main } from '../ui/page';
import { PasskeySignIn } from '../ui/passkeys';
import { messageText } from '../ui/password-field';
import { parseForm } from '../framework/form.server';

export const meta: MetaFunction = () => [{ title: 'Delovod' }];

export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const challenge = await openChallenge(request, 'verify');
  if (!challenge) throw redirect('/login');
  return { passkeys: (await passkeysOf(challenge.userId)).length > 0 };
}

/** A passkey's answer, as the page's script posts it: parsed, never trusted. */
/** A code from the app or a recovery code — or, posted by the page's script, a passkey's answer instead. */
const verifyForm = z
  .object({ code: codeSchema.shape.code.optional(), passkey: z.string().max(65_536, 'accounts.verify.passkeyFailed').optional() })
  .superRefine((v, ctx) => {
    if (v.passkey === undefined && v.code === undefined) ctx.addIssue({ code: 'custom', path: ['code'], message: 'form.required' });
  });

function passkeyAnswer(value: string): AuthenticationResponseJSON | null {
  try {
    const answer = JSON.parse(value) as unknown;
    return answer && typeof answer === 'object' && typeof (answer as { id?: unknown }).id === 'string' ? (answer as AuthenticationResponseJSON) : null;
  } catch {
    return null;
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const challenge = await openChallenge(request, 'verify');
  if (!challenge) throw redirect('/login');
  const submission = await parseForm(request, verifyForm);
  if (submission.status !== 'success') return data(submission.reply({ hideFields: ['code'] }), { status: 400 });
  const client = await clientOf(request, context);
  if (submission.value.passkey !== undefined) {
    // A passkey instead of a code: throttled as codes are.
    const answer = passkeyAnswer(submission.value.passkey);
    const outcome = await throttledCheck(challenge.email, client, 'code', async () => answer !== null && verifyPasskey(challenge.userId, answer));
    if (outcome.status === 'throttled') {
      const { formError, init } = throttledAnswer(outcome.waitMs);
      return data({ status: 'error', error: { '': [formError] } } as SubmissionResult<string[]>, init);
    }
    if (outcome.status === 'failed') return data({ status: 'error', error: { '': ['accounts.verify.passkeyFailed'] } } as SubmissionResult<string[]>, { status: 401 });
    throw redirect(challenge.redirectTo, { headers: await signedIn(request, context, challenge.userId, challenge) });
  }
  const code = submission.value.code ?? '';
  // Codes are guessed like passwords: the same throttle, per account and per client address,
  // counted apart from the password so that entering it again wins no fresh count of guesses.
  const outcome = await throttledCheck(challenge.email, client, 'code', () =>
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
  const { passkeys } = useLoaderData<typeof loader>();
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
        {passkeys ? <PasskeySignIn /> : null}
        <p>
          <Link to="/login">{t('accounts.verify.cancel')}</Link>
        </p>
      </div>
    </Main>
  );
}
