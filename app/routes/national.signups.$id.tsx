import { getFormProps, getInputProps, getTextareaProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { eq } from 'drizzle-orm';
import { useTranslation } from 'react-i18next';
import * as z from 'zod';
import { signupRequests } from '#db/schema';
import { approveSignup, rejectSignup, reviewChecks } from '#tenants/lifecycle.server';
import { requireNational } from '../auth/guards.server';
import { db } from '../db.server';
import { parseForm } from '../framework/form.server';
import { publishedTemplates } from '../onboarding/catalog.server';
import { approveSchema, rejectSchema } from '../onboarding/schemas';
import { errorText, useErrors } from '../onboarding/ui';
import { Field } from '../ui/field';
import { useLocale, useSerbian } from '../ui/localized';
import { isUuid } from '../ids';
import { BusyButton } from '../ui/busy-button';

async function signupOf(id: string | undefined) {
  if (!isUuid(id)) throw new Response('Not Found', { status: 404 });
  const [signup] = await db().select().from(signupRequests).where(eq(signupRequests.id, id));
  if (!signup || signup.status === 'draft') throw new Response('Not Found', { status: 404 });
  return signup;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireNational(context, request, 'review:signup:national');
  const signup = await signupOf(params.id);
  const catalog = await publishedTemplates();
  const checks = await reviewChecks(db(), signup, catalog.map((c) => c.key));
  return {
    signup: { id: signup.id, status: signup.status, reason: signup.rejectionReason, submittedAt: signup.submittedAt?.toISOString().slice(0, 16).replace('T', ' ') ?? '' },
    answers: checks.answers.ok ? checks.answers.value : null,
    checks: { maticniBroj: checks.maticniBroj, pib: checks.pib, known: checks.known, suggestedSlug: checks.suggestedSlug, slugTaken: checks.slugTaken, adminHasAccount: checks.adminHasAccount },
    catalog,
  };
}

/** The review's two forms: approve under a slug, or reject with a reason. */
const decisionForm = z.discriminatedUnion('intent', [approveSchema.safeExtend({ intent: z.literal('approve') }), rejectSchema.safeExtend({ intent: z.literal('reject') })]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { signedIn } = await requireNational(context, request, 'review:signup:national');
  const signup = await signupOf(params.id);
  const submission = await parseForm(request, decisionForm);
  const reviewer = { userId: signedIn.user.id, ip: context.ip, userAgent: context.userAgent };
  // The answer goes to the form that was sent (`parseForm` refused any other intent).
  const intent = submission.payload.intent === 'reject' ? 'reject' : 'approve';
  if (submission.status !== 'success') return data({ intent, result: submission.reply() }, { status: 400 });
  const decision = submission.value;
  if (decision.intent === 'reject') {
    const done = await rejectSignup(db(), { signupId: signup.id, reason: decision.reason, reviewer });
    if (!done) return data({ intent, result: submission.reply({ formErrors: ['onboarding.national.alreadyDecided'] }) }, { status: 409 });
    throw redirect(`/national/signups/${signup.id}?decided=rejected`);
  }
  const keys = (await publishedTemplates()).map((c) => c.key);
  const result = await approveSignup(db(), { signupId: signup.id, slug: decision.slug, reviewer, catalogKeys: keys });
  if (!result.ok) {
    const message = { notSubmitted: 'onboarding.national.alreadyDecided', invalid: 'onboarding.national.invalid', bodyKnown: 'onboarding.national.bodyKnown', slugTaken: 'onboarding.errors.slugTaken' }[result.reason];
    const reply = result.reason === 'slugTaken' ? submission.reply({ fieldErrors: { slug: [message] } }) : submission.reply({ formErrors: [message] });
    return data({ intent, result: reply }, { status: 409 });
  }
  context.log.info({ tenant: result.slug }, 'signup approved');
  throw redirect(`/national/signups/${signup.id}?decided=approved&slug=${result.slug}`);
}

export default function SignupReview() {
  const { t } = useTranslation();
  const locale = useLocale();
  const sr = useSerbian();
  const errors = useErrors();
  const { signup, answers, checks, catalog } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as { intent: string; result: SubmissionResult<string[]> } | undefined;
  const [params] = useSearchParams();
  const [approveForm, af] = useForm({
    id: 'approve',
    lastResult: actionData?.intent === 'approve' ? actionData.result : undefined,
    defaultValue: { slug: checks.suggestedSlug },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: approveSchema }),
  });
  const [rejectForm, rf] = useForm({
    id: 'reject',
    lastResult: actionData?.intent === 'reject' ? actionData.result : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: rejectSchema }),
  });
  const formErrors = [...(approveForm.errors ?? []), ...(rejectForm.errors ?? [])];
  const name = answers ? sr(answers.body.nameCyrl ?? answers.body.nameLatn ?? '') : '';
  return (
    <>
      <h1>{name}</h1>
      <p>
        {t('onboarding.national.submittedAt')} {signup.submittedAt} · {t(`onboarding.national.status.${signup.status}`)}
      </p>
      {params.get('decided') ? (
        <p className="alert alert--ok" role="status">
          {params.get('decided') === 'approved' ? t('onboarding.national.approved', { slug: params.get('slug') ?? '' }) : t('onboarding.national.rejectedNotice')}
        </p>
      ) : null}
      {formErrors.length ? (
        <div className="alert alert--error" role="alert">
          {formErrors.map((e) => errorText(t, e)).join(' ')}
        </div>
      ) : null}
      <section className="card">
        <h2>{t('onboarding.national.checks')}</h2>
        <dl className="facts">
          <dt>{t('onboarding.national.mbValid')}</dt>
          <dd>
            {answers?.body.maticniBroj} — {t(checks.maticniBroj ? 'onboarding.national.ok' : 'onboarding.national.bad')}
          </dd>
          <dt>{t('onboarding.national.pibValid')}</dt>
          <dd>
            {answers?.body.pib} — {t(checks.pib ? 'onboarding.national.ok' : 'onboarding.national.bad')}
          </dd>
          <dt>{t('onboarding.national.duplicate')}</dt>
          <dd>{checks.known ? t(checks.known.kind === 'tenant' ? 'onboarding.errors.knownTenant' : 'onboarding.errors.knownPending') : t('onboarding.national.noDuplicate')}</dd>
        </dl>
        {checks.adminHasAccount ? <p>{t('onboarding.national.adminAccount')}</p> : null}
        {!answers ? <p className="field__error">{t('onboarding.national.invalid')}</p> : null}
      </section>
      {answers ? (
        <section className="card">
          <h2>{t('onboarding.steps.body')}</h2>
          <dl className="facts">
            <dt>{t('onboarding.body.kind')}</dt>
            <dd>{t(`tenants.kinds.${answers.body.kind}`)}</dd>
            <dt>{t('onboarding.body.address')}</dt>
            <dd>{answers.body.address}</dd>
            <dt>{t('onboarding.steps.admin')}</dt>
            <dd>
              {sr(answers.admin.fullName)}, {answers.admin.email}
            </dd>
            <dt>{t('onboarding.steps.units')}</dt>
            <dd>{answers.units.map((u) => `${u.code} ${sr(u.name)}`).join('; ')}</dd>
            <dt>{t('onboarding.steps.staff')}</dt>
            <dd>{t('onboarding.review.staff', { count: answers.staff.length })}</dd>
            <dt>{t('onboarding.steps.templates')}</dt>
            <dd>{catalog.filter((c) => answers.templates.includes(c.key)).map((c) => c.title[locale]).join('; ')}</dd>
          </dl>
        </section>
      ) : null}
      {signup.status === 'rejected' ? <blockquote>{signup.reason}</blockquote> : null}
      {signup.status === 'submitted' ? (
        <>
          <Form method="post" {...getFormProps(approveForm)} className="card">
            <h2>{t('onboarding.national.approve')}</h2>
            <p>{t('onboarding.national.approveLead')}</p>
            <Field id={af.slug.id} label={t('onboarding.national.slug')} help={t('onboarding.national.slugHelp')} errors={errors(af.slug.errors)}>
              {(aria) => <input {...getInputProps(af.slug, { type: 'text' })} {...aria} />}
            </Field>
            <BusyButton name="intent" value="approve" className="primary" busyText={t('guide.busy.approving')}>
              {t('onboarding.national.approve')}
            </BusyButton>
          </Form>
          <Form method="post" {...getFormProps(rejectForm)} className="card">
            <h2>{t('onboarding.national.reject')}</h2>
            <Field id={rf.reason.id} label={t('onboarding.national.reason')} errors={errors(rf.reason.errors)}>
              {(aria) => <textarea {...getTextareaProps(rf.reason)} {...aria} rows={4} />}
            </Field>
            <button type="submit" name="intent" value="reject" className="button secondary">
              {t('onboarding.national.reject')}
            </button>
          </Form>
        </>
      ) : null}
    </>
  );
}
