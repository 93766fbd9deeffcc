import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { eq } from 'drizzle-orm';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { useTranslation } from 'react-i18next';
import * as z from 'zod';
import { users } from '#db/schema';
import { confirmPasswordSchema, enrolSchema } from '../auth/account-forms';
import { restartSessions } from '../auth/account.server';
import { clientOf } from '../auth/device-cookie.server';
import { requireUser } from '../auth/guards.server';
import { confirmEnrolment, factorsOf, mfaRequired, newRecoveryCodes, pendingEnrolment, removeTotp } from '../auth/mfa.server';
import { addPasskey, passkeysOf, removePasskey } from '../auth/passkeys.server';
import { verifyPassword } from '../auth/password.server';
import { endChallenges } from '../auth/sign-in.server';
import { throttledAnswer, throttledCheck, type ClientContext } from '../auth/throttle.server';
import { db } from '../db.server';
import { parseForm } from '../framework/form.server';
import { formatInstant } from '../i18n/format';
import { ErrorSummary, Field } from '../ui/field';
import { RecoveryCodes, TotpSetup } from '../ui/mfa';
import { useLocale } from '../ui/localized';
import { Main } from '../ui/page';
import { PasskeyAdd } from '../ui/passkeys';
import { messageText } from '../ui/password-field';

// Two-step verification from the account: turning TOTP on (a code from the app and the
// password), new recovery codes, turning it off where the role allows. Every change is
// confirmed with the password (ASVS 7.5.1) and ends the account's other sessions.
export const meta: MetaFunction = () => [{ title: 'Delovod' }];

export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireUser(context, request);
  const [factors, required, passkeys] = await Promise.all([factorsOf(user.id), mfaRequired(user.id), passkeysOf(user.id)]);
  const enrolment = factors.totp ? null : await pendingEnrolment(user.id, user.email);
  return {
    email: user.email,
    totp: factors.totp,
    recoveryLeft: factors.recoveryLeft,
    required,
    setup: enrolment ? { secret: enrolment.secret, qrSvg: enrolment.qrSvg } : null,
    passkeys: passkeys.map((p) => ({ id: p.id, name: p.name, createdAt: p.createdAt.toISOString(), lastUsedAt: p.lastUsedAt?.toISOString() ?? null })),
    notice: notices[new URL(request.url).searchParams.get('notice') ?? ''] ?? null,
  };
}

const notices: Record<string, string> = { off: 'accounts.mfa.turnedOff', passkeyAdded: 'passkeys.addedNotice', passkeyRemoved: 'passkeys.removed' };

/** A new passkey, as the page's script posts it once the browser has made it. */
const addPasskeySchema = z.object({
  name: z.string({ error: 'form.required' }).trim().min(1, 'form.required').max(60, 'form.required'),
  passkey: z.string({ error: 'passkeys.failed' }).max(65_536, 'passkeys.failed').transform((value, ctx): RegistrationResponseJSON => {
    try {
      const answer = JSON.parse(value) as { id?: unknown; response?: unknown };
      if (typeof answer.id === 'string' && answer.response && typeof answer.response === 'object') return answer as RegistrationResponseJSON;
    } catch {
      // refused below
    }
    ctx.addIssue({ code: 'custom', message: 'passkeys.failed' });
    return z.NEVER;
  }),
});

type ActionData = SubmissionResult<string[]> & { which?: string; codes?: string[] };

const hide = { hideFields: ['password', 'code'] };

async function passwordCheck(userId: string, email: string, client: ClientContext, password: string) {
  return throttledCheck(email, client, 'password', async () => {
    const [row] = await db().select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
    return verifyPassword(row?.hash, password);
  });
}

/**
 * The page's forms: turn TOTP on (a code and the password), new recovery codes, turn it off (the
 * password), add a passkey (as the page's script posts it) or remove one (the password).
 */
const mfaForm = z.discriminatedUnion('intent', [
  enrolSchema.extend({ intent: z.literal('enrol') }),
  confirmPasswordSchema.extend({ intent: z.literal('regenerate') }),
  confirmPasswordSchema.extend({ intent: z.literal('disable') }),
  addPasskeySchema.extend({ intent: z.literal('addPasskey') }),
  confirmPasswordSchema.extend({ intent: z.literal('removePasskey'), passkey: z.string({ error: 'passkeys.unknown' }).max(200, 'passkeys.unknown') }),
]);

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requireUser(context, request);
  const submission = await parseForm(request, mfaForm);
  // The intent is one the page offers (`parseForm` refuses any other): its form gets the answer.
  const intent = String(submission.payload.intent);
  const client = await clientOf(request, context);
  const meta = { ip: context.ip, userAgent: context.userAgent };
  const reply = (result: ActionData, init?: ResponseInit) => data<ActionData>({ ...result, which: intent }, init);
  if (submission.status !== 'success') {
    if (intent === 'addPasskey') return reply({ status: 'error', error: { '': ['passkeys.failed'] } }, { status: 400 });
    return reply(submission.reply(hide), { status: 400 });
  }
  const value = submission.value;
  if (value.intent === 'addPasskey') {
    // The password was confirmed when the challenge this passkey answers was issued (account.passkeys.ts).
    if (!(await factorsOf(user.id)).totp || !(await addPasskey(user.id, value.passkey, value.name))) {
      return reply({ status: 'error', error: { '': ['passkeys.failed'] } }, { status: 400 });
    }
    context.log.info({ userId: user.id }, 'passkey added');
    throw redirect('/account/mfa?notice=passkeyAdded', { headers: { 'Set-Cookie': await restartSessions(user.id, meta) } });
  }
  if (value.intent === 'disable' && (await mfaRequired(user.id))) return reply(submission.reply({ ...hide, formErrors: ['accounts.mfa.required'] }), { status: 403 });

  const checked = await passwordCheck(user.id, user.email, client, value.password);
  if (checked.status === 'throttled') {
    const { formError, init } = throttledAnswer(checked.waitMs);
    return reply(submission.reply({ ...hide, formErrors: [formError] }), init);
  }
  if (checked.status === 'failed') return reply(submission.reply({ ...hide, fieldErrors: { password: ['accounts.mfa.wrongPassword'] } }), { status: 401 });

  switch (value.intent) {
    case 'enrol': {
      const { code } = value;
      const confirmed = await throttledCheck(user.email, client, 'code', () => confirmEnrolment(user.id, user.email, code));
      if (confirmed.status === 'throttled') {
        const { formError, init } = throttledAnswer(confirmed.waitMs);
        return reply(submission.reply({ ...hide, formErrors: [formError] }), init);
      }
      if (confirmed.status === 'failed') return reply(submission.reply({ ...hide, fieldErrors: { code: ['accounts.enrol.invalid'] } }), { status: 401 });
      const codes = await newRecoveryCodes(user.id);
      context.log.info({ userId: user.id }, 'second factor enrolled');
      return reply({ ...submission.reply({ resetForm: true }), codes }, { headers: { 'Set-Cookie': await restartSessions(user.id, meta) } });
    }
    case 'regenerate': {
      const codes = await newRecoveryCodes(user.id);
      return reply({ ...submission.reply({ resetForm: true }), codes });
    }
    case 'removePasskey': {
      if (!(await removePasskey(user.id, value.passkey))) return reply(submission.reply({ ...hide, formErrors: ['passkeys.unknown'] }), { status: 404 });
      context.log.info({ userId: user.id }, 'passkey removed');
      throw redirect('/account/mfa?notice=passkeyRemoved', { headers: { 'Set-Cookie': await restartSessions(user.id, meta) } });
    }
    case 'disable': {
      await removeTotp(user.id);
      await endChallenges(user.id);
      context.log.info({ userId: user.id }, 'second factor removed');
      throw redirect('/account/mfa?notice=off', { headers: { 'Set-Cookie': await restartSessions(user.id, meta) } });
    }
  }
}

function PasswordField({ meta, errors }: { meta: { id: string; name: string; errors?: string[] } & Parameters<typeof getInputProps>[0]; errors?: string[] }) {
  const { t } = useTranslation();
  return (
    <Field id={meta.id} label={t('accounts.mfa.confirmPassword')} errors={errors}>
      {(aria) => <input {...getInputProps(meta, { type: 'password' })} {...aria} autoComplete="current-password" />}
    </Field>
  );
}

export default function TwoStep() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>() as ActionData | undefined;
  const own = (intent: string) => (lastResult?.which === intent ? lastResult : undefined);
  const [enrolForm, ef] = useForm({ id: 'enrol', lastResult: own('enrol'), onValidate: ({ formData }) => parseWithZod(formData, { schema: enrolSchema }) });
  const [codesForm, cf] = useForm({ id: 'regenerate', lastResult: own('regenerate'), onValidate: ({ formData }) => parseWithZod(formData, { schema: confirmPasswordSchema }) });
  const [offForm, of] = useForm({ id: 'disable', lastResult: own('disable'), onValidate: ({ formData }) => parseWithZod(formData, { schema: confirmPasswordSchema }) });
  const [removeForm, rf] = useForm({ id: 'removePasskey', lastResult: own('removePasskey'), onValidate: ({ formData }) => parseWithZod(formData, { schema: confirmPasswordSchema }) });
  const locale = useLocale();
  const text = (list?: string[]) => list?.map((e) => messageText(t, e));
  const summary = (form: { errors?: string[] }, fields: Array<{ id: string; errors?: string[] }>) => [
    ...(form.errors ?? []).map((e) => ({ text: messageText(t, e) })),
    ...fields.filter((x) => x.errors?.length).map((x) => ({ href: `#${x.id}`, text: messageText(t, x.errors![0]) })),
  ];
  const username = <input type="email" name="username" value={d.email} autoComplete="username" readOnly hidden />;
  return (
    <Main>
      <div className="card narrow">
        <h1>{t('accounts.mfa.title')}</h1>
        {d.notice ? (
          <p className="alert alert--ok" role="status">
            {t(d.notice)}
          </p>
        ) : null}
        {lastResult?.codes ? <RecoveryCodes codes={lastResult.codes} title={lastResult.which === 'enrol' ? t('accounts.enrol.recoveryTitle') : t('accounts.mfa.newCodes')} /> : null}
        <p>{d.totp ? t('accounts.mfa.on') : t('accounts.mfa.off')}</p>
        {d.totp ? (
          <>
            <p>{t('accounts.mfa.recoveryLeft', { count: d.recoveryLeft })}</p>
            <h2>{t('accounts.mfa.regenerate')}</h2>
            <p>{t('accounts.mfa.regenerateLead')}</p>
            <ErrorSummary title={t('form.errorSummary')} messages={summary(codesForm, [cf.password])} />
            <Form method="post" {...getFormProps(codesForm)}>
              <input type="hidden" name="intent" value="regenerate" />
              {username}
              <PasswordField meta={cf.password} errors={text(cf.password.errors)} />
              <button type="submit" className="secondary">
                {t('accounts.mfa.regenerate')}
              </button>
            </Form>
            <h2>{t('passkeys.title')}</h2>
            <p>{t('passkeys.lead')}</p>
            {d.passkeys.length ? (
              <ul className="passkeys">
                {d.passkeys.map((p) => (
                  <li key={p.id}>
                    <strong>{p.name}</strong> · {t('passkeys.added', { date: formatInstant(p.createdAt, locale, 'short') })} ·{' '}
                    {p.lastUsedAt ? t('passkeys.lastUsed', { date: formatInstant(p.lastUsedAt, locale, 'short') }) : t('passkeys.neverUsed')}
                  </li>
                ))}
              </ul>
            ) : (
              <p>{t('passkeys.none')}</p>
            )}
            {lastResult?.which === 'addPasskey' ? <ErrorSummary title={t('form.errorSummary')} messages={(lastResult.error?.[''] ?? []).map((e) => ({ text: messageText(t, e) }))} /> : null}
            <PasskeyAdd />
            {d.passkeys.length ? (
              <>
                <ErrorSummary title={t('form.errorSummary')} messages={summary(removeForm, [rf.password])} />
                <Form method="post" {...getFormProps(removeForm)}>
                  <input type="hidden" name="intent" value="removePasskey" />
                  {username}
                  <div className="field">
                    <label htmlFor="passkey-remove">{t('passkeys.which')}</label>
                    <select id="passkey-remove" name="passkey">
                      {d.passkeys.map((p) => (
                        <option key={p.id} value={p.id}>
                          {p.name}
                        </option>
                      ))}
                    </select>
                  </div>
                  <PasswordField meta={rf.password} errors={text(rf.password.errors)} />
                  <button type="submit" className="secondary">
                    {t('passkeys.remove')}
                  </button>
                </Form>
              </>
            ) : null}
            <h2>{t('accounts.mfa.turnOff')}</h2>
            {d.required ? (
              <p>{t('accounts.mfa.required')}</p>
            ) : (
              <>
                <ErrorSummary title={t('form.errorSummary')} messages={summary(offForm, [of.password])} />
                <Form method="post" {...getFormProps(offForm)}>
                  <input type="hidden" name="intent" value="disable" />
                  {username}
                  <PasswordField meta={of.password} errors={text(of.password.errors)} />
                  <button type="submit" className="secondary">
                    {t('accounts.mfa.turnOff')}
                  </button>
                </Form>
              </>
            )}
          </>
        ) : d.setup ? (
          <>
            <h2>{t('accounts.enrol.title')}</h2>
            <p>{t('accounts.enrol.optional')}</p>
            <ErrorSummary title={t('form.errorSummary')} messages={summary(enrolForm, [ef.code, ef.password])} />
            <TotpSetup secret={d.setup.secret} qrSvg={d.setup.qrSvg} />
            <Form method="post" {...getFormProps(enrolForm)}>
              <input type="hidden" name="intent" value="enrol" />
              {username}
              <Field id={ef.code.id} label={t('accounts.enrol.code')} errors={text(ef.code.errors)}>
                {(aria) => <input {...getInputProps(ef.code, { type: 'text' })} {...aria} autoComplete="one-time-code" inputMode="numeric" spellCheck={false} />}
              </Field>
              <PasswordField meta={ef.password} errors={text(ef.password.errors)} />
              <button type="submit" className="primary">
                {t('accounts.enrol.submit')}
              </button>
            </Form>
          </>
        ) : null}
        <p>
          <Link to="/account">{t('accounts.account.back')}</Link>
        </p>
      </div>
    </Main>
  );
}
