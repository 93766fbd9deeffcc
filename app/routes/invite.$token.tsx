import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { eq } from 'drizzle-orm';
import { useTranslation } from 'react-i18next';
import { users } from '#db/schema';
import { acceptInvitation, openInvitation } from '#tenants/lifecycle.server';
import { hashPassword, verifyPassword } from '../auth/password.server';
import { clientOf } from '../auth/device-cookie.server';
import { PASSWORD_MIN } from '../auth/password-policy';
import { newPasswordProblem } from '../auth/password-check.server';
import { afterPassword } from '../auth/sign-in.server';
import { throttledAnswer, throttledCheck } from '../auth/throttle.server';
import { NewPasswordField } from '../ui/password-field';
import { db } from '../db.server';
import { existingPasswordSchema, invitationPasswordSchema } from '../onboarding/schemas';
import { errorText, useErrors } from '../onboarding/ui';
import { ErrorSummary, Field } from '../ui/field';
import { tenantName, useLocale } from '../ui/localized';
import { Main } from '../ui/page';
import { parseForm } from '../framework/form.server';

// The token is in the address. The server's `Referrer-Policy: same-origin` already keeps it
// from other sites; a stricter `no-referrer` here would make the browser send `Origin: null`
// with the form, which the cross-site check refuses, so the page would not work without JavaScript.
export const meta: MetaFunction = () => [{ title: 'Delovod' }];

export async function loader({ params }: LoaderFunctionArgs) {
  const invitation = params.token ? await openInvitation(db(), params.token) : null;
  if (!invitation) return data({ invitation: null }, { status: 404 });
  return data({ invitation: { email: invitation.email, fullName: invitation.fullName, tenant: invitation.tenant, hasPassword: invitation.hasPassword } });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = params.token ?? '';
  const invitation = await openInvitation(db(), token);
  if (!invitation) return data({ status: 'error', formErrors: ['onboarding.invite.invalid'] } as SubmissionResult<string[]>, { status: 410 });
  let passwordHash: string | null = null;
  if (invitation.hasPassword) {
    const submission = await parseForm(request, existingPasswordSchema);
    if (submission.status !== 'success') return data(submission.reply({ hideFields: ['password'] }), { status: 400 });
    // The same throttled check as signing in: an invitation link must not be a way round it.
    const outcome = await throttledCheck(invitation.email, await clientOf(request, context), 'password', async () => {
      const [user] = await db().select({ hash: users.passwordHash }).from(users).where(eq(users.id, invitation.userId));
      return verifyPassword(user?.hash, submission.value.password);
    });
    if (outcome.status === 'throttled') {
      const { formError, init } = throttledAnswer(outcome.waitMs);
      return data(submission.reply({ formErrors: [formError], hideFields: ['password'] }), init);
    }
    if (outcome.status === 'failed') {
      return data(submission.reply({ fieldErrors: { password: ['onboarding.invite.wrongPassword'] }, hideFields: ['password'] }), { status: 401 });
    }
  } else {
    const submission = await parseForm(request, invitationPasswordSchema);
    if (submission.status !== 'success') return data(submission.reply({ hideFields: ['password', 'confirm'] }), { status: 400 });
    const weak = newPasswordProblem(submission.value.password, passwordContext(invitation));
    if (weak) return data(submission.reply({ fieldErrors: { password: [weak] }, hideFields: ['password', 'confirm'] }), { status: 400 });
    passwordHash = await hashPassword(submission.value.password);
  }
  const meta = { ip: context.ip, userAgent: context.userAgent };
  if (!(await acceptInvitation(db(), invitation, token, passwordHash, meta))) {
    return data({ status: 'error', formErrors: ['onboarding.invite.invalid'] } as SubmissionResult<string[]>, { status: 410 });
  }
  context.log.info({ userId: invitation.userId, tenant: invitation.tenantSlug }, 'invitation accepted');
  // Signed in as by the sign-in page: with the second factor, or its enrolment, where needed.
  return afterPassword(request, context, invitation.userId, `/t/${invitation.tenantSlug}/inbox`);
}

/** What the invitee's new password must not be built on. */
function passwordContext(invitation: { fullName: string; email: string; tenant: { nameCyrl: string; nameLatn: string; nameEn: string } }) {
  return [invitation.fullName, invitation.email, invitation.tenant.nameCyrl, invitation.tenant.nameLatn, invitation.tenant.nameEn];
}

interface InvitationView {
  email: string;
  fullName: string;
  tenant: { nameCyrl: string; nameLatn: string; nameEn: string };
  hasPassword: boolean;
}

export default function Invitation() {
  const { t } = useTranslation();
  const locale = useLocale();
  const errors = useErrors();
  const { invitation } = useLoaderData() as { invitation: InvitationView | null };
  const lastResult = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  const [form, f] = useForm<{ password: string; confirm?: string }>({
    lastResult,
    shouldValidate: 'onBlur',
    // One schema type for both: an existing account's form simply has no confirmation field.
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: (invitation?.hasPassword ? existingPasswordSchema : invitationPasswordSchema) as unknown as typeof invitationPasswordSchema }),
  });
  if (!invitation) {
    return (
      <Main>
        <div className="card">
          <h1>{t('onboarding.invite.invalidTitle')}</h1>
          <p>{t('onboarding.invite.invalid')}</p>
        </div>
      </Main>
    );
  }
  const messages = [
    ...(form.errors ?? []).map((e) => ({ text: errorText(t, e) })),
    ...[f.password, f.confirm].filter((x) => x.errors?.length).map((x) => ({ href: `#${x.id}`, text: errorText(t, x.errors![0]) })),
  ];
  return (
    <Main>
      <div className="card narrow">
        <h1>{t('onboarding.invite.title', { name: tenantName(invitation.tenant, locale) })}</h1>
        <p>{invitation.hasPassword ? t('onboarding.invite.existing', { email: invitation.email }) : t('onboarding.invite.lead', { email: invitation.email })}</p>
        <ErrorSummary title={t('form.errorSummary')} messages={messages} />
        <Form method="post" {...getFormProps(form)}>
          <input type="email" name="username" value={invitation.email} autoComplete="username" readOnly hidden />
          {invitation.hasPassword ? (
            <Field id={f.password.id} label={t('onboarding.invite.password')} errors={errors(f.password.errors)}>
              {(aria) => <input {...getInputProps(f.password, { type: 'password' })} {...aria} autoComplete="current-password" />}
            </Field>
          ) : (
            <NewPasswordField
              id={f.password.id}
              label={t('onboarding.invite.password')}
              help={t('accounts.password.help', { count: PASSWORD_MIN })}
              errors={errors(f.password.errors)}
              context={passwordContext(invitation)}
            >
              {(aria) => <input {...getInputProps(f.password, { type: 'password' })} {...aria} autoComplete="new-password" />}
            </NewPasswordField>
          )}
          {invitation.hasPassword ? null : (
            <Field id={f.confirm.id} label={t('onboarding.invite.confirm')} errors={errors(f.confirm.errors)}>
              {(aria) => <input {...getInputProps(f.confirm, { type: 'password' })} {...aria} autoComplete="new-password" />}
            </Field>
          )}
          <button type="submit" className="primary">
            {t('onboarding.invite.accept')}
          </button>
        </Form>
      </div>
    </Main>
  );
}
