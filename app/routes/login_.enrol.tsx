import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { codeSchema } from '../auth/account-forms';
import { clientOf } from '../auth/device-cookie.server';
import { confirmEnrolment, newRecoveryCodes, pendingEnrolment } from '../auth/mfa.server';
import { openChallenge, signedIn } from '../auth/sign-in.server';
import { throttledAnswer, throttledCheck } from '../auth/throttle.server';
import { ErrorSummary, Field } from '../ui/field';
import { RecoveryCodes, TotpSetup } from '../ui/mfa';
import { Main } from '../ui/page';
import { messageText } from '../ui/password-field';
import { parseForm } from '../framework/form.server';

// A person whose role requires a second factor and who has none sets it up here, between the
// password and the session: nothing else can be reached before it is done.
export const meta: MetaFunction = () => [{ title: 'Delovod' }];

export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

// Without a challenge (it ended, or was met by the action this page answers) there is nothing
// to set up: the page says so rather than redirecting, so the recovery codes can be shown.
export async function loader({ request }: LoaderFunctionArgs) {
  const challenge = await openChallenge(request, 'enrol');
  const enrolment = challenge && (await pendingEnrolment(challenge.userId, challenge.email));
  return { setup: enrolment ? { secret: enrolment.secret, qrSvg: enrolment.qrSvg } : null };
}

type ActionData = SubmissionResult<string[]> & { codes?: string[]; next?: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const challenge = await openChallenge(request, 'enrol');
  if (!challenge) throw redirect('/login');
  const submission = await parseForm(request, codeSchema);
  if (submission.status !== 'success') return data<ActionData>(submission.reply({ hideFields: ['code'] }), { status: 400 });
  const outcome = await throttledCheck(challenge.email, await clientOf(request, context), 'code', () => confirmEnrolment(challenge.userId, challenge.email, submission.value.code));
  if (outcome.status === 'throttled') {
    const { formError, init } = throttledAnswer(outcome.waitMs);
    return data<ActionData>(submission.reply({ formErrors: [formError], hideFields: ['code'] }), init);
  }
  if (outcome.status === 'failed') return data<ActionData>(submission.reply({ fieldErrors: { code: ['accounts.enrol.invalid'] }, hideFields: ['code'] }), { status: 401 });
  const codes = await newRecoveryCodes(challenge.userId);
  context.log.info({ userId: challenge.userId }, 'second factor enrolled');
  // Signed in now; the recovery codes are shown once, with the way on.
  return data<ActionData>({ ...submission.reply({ resetForm: true }), codes, next: challenge.redirectTo }, { headers: await signedIn(request, context, challenge.userId, challenge) });
}

export default function Enrol() {
  const { t } = useTranslation();
  const { setup } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>() as ActionData | undefined;
  const [form, f] = useForm({ lastResult, onValidate: ({ formData }) => parseWithZod(formData, { schema: codeSchema }) });
  if (lastResult?.codes) {
    return (
      <Main>
        <div className="card narrow">
          <h1>{t('accounts.enrol.title')}</h1>
          <RecoveryCodes codes={lastResult.codes} title={t('accounts.enrol.recoveryTitle')} />
          <p>
            <Link className="button primary" to={lastResult.next ?? '/tenants'} reloadDocument>
              {t('accounts.enrol.continue')}
            </Link>
          </p>
        </div>
      </Main>
    );
  }
  if (!setup) {
    return (
      <Main>
        <div className="card narrow">
          <h1>{t('accounts.enrol.title')}</h1>
          <p>{t('login.expired')}</p>
          <p>
            <Link to="/login">{t('login.title')}</Link>
          </p>
        </div>
      </Main>
    );
  }
  const messages = [
    ...(form.errors ?? []).map((e) => ({ text: messageText(t, e) })),
    ...(f.code.errors?.length ? [{ href: `#${f.code.id}`, text: `${t('accounts.enrol.code')}: ${messageText(t, f.code.errors[0])}` }] : []),
  ];
  return (
    <Main>
      <div className="card narrow">
        <h1>{t('accounts.enrol.title')}</h1>
        <p>{t('accounts.enrol.required')}</p>
        <ErrorSummary title={t('form.errorSummary')} messages={messages} />
        <TotpSetup secret={setup.secret} qrSvg={setup.qrSvg} />
        <Form method="post" {...getFormProps(form)}>
          <Field id={f.code.id} label={t('accounts.enrol.code')} errors={f.code.errors?.map((e) => messageText(t, e))}>
            {(aria) => <input {...getInputProps(f.code, { type: 'text' })} {...aria} autoComplete="one-time-code" inputMode="numeric" spellCheck={false} />}
          </Field>
          <button type="submit" className="primary">
            {t('accounts.enrol.submit')}
          </button>
        </Form>
        <p>
          <Link to="/login">{t('accounts.verify.cancel')}</Link>
        </p>
      </div>
    </Main>
  );
}
