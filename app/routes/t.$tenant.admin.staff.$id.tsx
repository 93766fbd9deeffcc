import type { Tx } from '#db/client';
import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import * as z from 'zod';
import { notFound, readAsMember, requireTenantMember } from '../auth/guards.server';
import { withTenant } from '../db.server';
import { reinvite, setMemberActive, staffWithInvitations, unitTree, updateMember } from '#tenants/lifecycle.server';
import { memberSchema } from '../onboarding/schemas';
import { AdminNav, errorText, RoleChoices, useErrors, summaryOf } from '../onboarding/ui';
import { ErrorSummary, Field } from '../ui/field';
import { useLocale, useSerbian } from '../ui/localized';
import { isUuid } from '../ids';
import { parseForm } from '../framework/form.server';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const {
    access: { tenant, signedIn },
    data: [staff, tree],
  } = await readAsMember(context, request, params.tenant, 'manage:staff:tenant', (tx, me) => Promise.all([staffWithInvitations(tx, me.tenantId), unitTree(tx, me.tenantId)]));
  const member = isUuid(params.id) ? staff.find((s) => s.id === params.id) : undefined;
  if (!member) notFound();
  const units = tree.all.map((u) => ({ id: u.id, code: u.code, name: u.name, nameEn: u.nameEn }));
  // What the page needs of the member, and no more: nothing of the account behind the address
  // (which may belong to people of other tenants) reaches the tenant's administrator.
  const { userId, hasPassword: _account, ...shown } = member;
  return { slug: tenant.slug, member: shown, units, self: userId === signedIn.user.id };
}

const notices = ['saved', 'deactivated', 'reactivated', 'reinvited'] as const;

type ActionData = { kind: 'form'; result: SubmissionResult<string[]> } | { kind: 'error'; message: string };

/** The member's form (saved with its fields) and its three buttons. */
const memberForm = z.discriminatedUnion('intent', [
  memberSchema.extend({ intent: z.literal('save') }),
  z.object({ intent: z.literal('deactivate') }),
  z.object({ intent: z.literal('reactivate') }),
  z.object({ intent: z.literal('reinvite') }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { tenant, signedIn } = await requireTenantMember(context, request, params.tenant, 'manage:staff:tenant');
  if (!isUuid(params.id)) notFound();
  const membershipId = params.id;
  const actor = { userId: signedIn.user.id, ip: context.ip, userAgent: context.userAgent };
  const submission = await parseForm(request, memberForm);
  // Only the member's own fields can be wrong (the buttons have none): they go beside the fields.
  if (submission.status !== 'success') return data<ActionData>({ kind: 'form', result: submission.reply() }, { status: 400 });
  const form = submission.value;
  const here = `/t/${tenant.slug}/admin/staff/${membershipId}`;
  const inTenant = <T,>(fn: (tx: Tx) => Promise<T>) => withTenant(tenant.id, fn, { userId: actor.userId });

  if (form.intent === 'deactivate' || form.intent === 'reactivate') {
    const reactivate = form.intent === 'reactivate';
    const outcome = await inTenant((tx) => setMemberActive(tx, tenant.id, actor, membershipId, reactivate));
    if (!outcome) notFound();
    if (outcome !== 'ok') return data<ActionData>({ kind: 'error', message: `onboarding.errors.${outcome}` }, { status: 409 });
    throw redirect(`${here}?notice=${form.intent}d`);
  }
  if (form.intent === 'reinvite') {
    const refused = await inTenant(async (tx) => {
      const member = (await staffWithInvitations(tx, tenant.id)).find((s) => s.id === membershipId);
      if (!member) notFound();
      if (member.invitation === 'none') return true;
      // The link goes by email only, whoever the address belongs to (docs/security.md).
      await reinvite(tx, tenant.id, actor, membershipId);
      return false;
    });
    if (refused) return data<ActionData>({ kind: 'error', message: 'onboarding.errors.accepted' }, { status: 409 });
    throw redirect(`${here}?notice=reinvited`);
  }
  const { intent: _save, ...member } = form;
  const outcome = await inTenant((tx) => updateMember(tx, tenant.id, actor, membershipId, member));
  if (!outcome) notFound();
  if (!outcome.ok) return data<ActionData>({ kind: 'form', result: submission.reply({ fieldErrors: { [outcome.field]: [outcome.message] } }) }, { status: 409 });
  throw redirect(`${here}?notice=saved`);
}

export default function StaffMember() {
  const { t } = useTranslation();
  const locale = useLocale();
  const sr = useSerbian();
  const errors = useErrors();
  const { slug, member, units, self } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const [params] = useSearchParams();
  const [form, f] = useForm({
    id: 'member',
    lastResult: actionData?.kind === 'form' ? actionData.result : undefined,
    defaultValue: { fullName: member.fullName, position: member.position, unitId: member.unitId ?? '', roles: member.roles },
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: memberSchema }),
  });
  const labels = { fullName: t('onboarding.staff.fullName'), position: t('onboarding.staff.position'), unitId: t('onboarding.staff.unit'), roles: t('onboarding.staff.roles') };
  const unitName = (u: { name: string; nameEn: string }) => (locale === 'en' ? u.nameEn : sr(u.name));
  const roles = f.roles.initialValue;
  const checkedRoles = Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : typeof roles === 'string' ? [roles] : [];
  const notice = notices.find((n) => n === params.get('notice'));
  const state = !member.active ? 'inactive' : member.invitation === 'none' ? 'active' : member.invitation;
  return (
    <>
      <AdminNav slug={slug} />
      <p>
        <Link to={`/t/${slug}/admin/staff`}>{t('onboarding.manage.backToStaff')}</Link>
      </p>
      <h1>{t('onboarding.manage.editTitle', { name: sr(member.fullName) })}</h1>
      <p className="lead">
        {member.email} · <span className="tag">{t(`onboarding.manage.state.${state}`)}</span>
      </p>
      {notice ? (
        <div className="alert alert--ok" role="status">
          <p>{t(`onboarding.manage.notice.${notice}`)}</p>
        </div>
      ) : null}
      {actionData?.kind === 'error' ? (
        <p className="alert alert--error" role="alert">
          {errorText(t, actionData.message)}
        </p>
      ) : null}
      <ErrorSummary
        title={t('form.errorSummary')}
        messages={summaryOf(t, f, labels)}
      />
      <Form method="post" {...getFormProps(form)} className="card">
        <Field id={f.fullName.id} label={labels.fullName} errors={errors(f.fullName.errors)}>
          {(aria) => <input {...getInputProps(f.fullName, { type: 'text' })} {...aria} />}
        </Field>
        <Field id={f.position.id} label={labels.position} errors={errors(f.position.errors)}>
          {(aria) => <input {...getInputProps(f.position, { type: 'text' })} {...aria} />}
        </Field>
        <Field id={f.unitId.id} label={labels.unitId} errors={errors(f.unitId.errors)}>
          {(aria) => (
            <select {...getSelectProps(f.unitId)} {...aria}>
              <option value="">{t('onboarding.staff.noUnit')}</option>
              {units.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.code} — {unitName(u)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <RoleChoices name="roles" legend={labels.roles} checked={checkedRoles} errors={errors(f.roles.errors)} />
        <button type="submit" name="intent" value="save" className="primary">
          {t('onboarding.manage.save')}
        </button>
      </Form>
      <div className="actions">
        {self ? null : (
          <Form method="post">
            <button type="submit" name="intent" value={member.active ? 'deactivate' : 'reactivate'} className={member.active ? 'button danger' : 'button secondary'}>
              {t(member.active ? 'onboarding.manage.deactivate' : 'onboarding.manage.reactivate')}
            </button>
          </Form>
        )}
        {member.invitation === 'none' ? null : (
          <Form method="post">
            <button type="submit" name="intent" value="reinvite" className="button secondary">
              {t('onboarding.manage.reinvite')}
            </button>
          </Form>
        )}
      </div>
    </>
  );
}
