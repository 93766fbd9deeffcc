import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import * as z from 'zod';
import { checkStaffCsv, CSV_MAX_BYTES, importStaff, inviteOne, memberEmails, staffWithInvitations, unitTree } from '#tenants/lifecycle.server';
import { readAsMember, requireTenantMember } from '../auth/guards.server';
import { withTenant } from '../db.server';
import { parseForm } from '../framework/form.server';
import { inviteSchema } from '../onboarding/schemas';
import { AdminNav, CsvReportTable, errorText, RoleChoices, useErrors, summaryOf, type CsvReportView } from '../onboarding/ui';
import { reportView } from '#tenants/wizard.server';
import { ErrorSummary, Field } from '../ui/field';
import { useLocale, useSerbian } from '../ui/localized';
import { scrollRegion } from '../ui/table-region';
import { BusyButton } from '../ui/busy-button';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const {
    access: { tenant },
    data: [staff, tree],
  } = await readAsMember(context, request, params.tenant, 'manage:staff:tenant', (tx, me) => Promise.all([staffWithInvitations(tx, me.tenantId), unitTree(tx, me.tenantId)]));
  // Nothing of the accounts behind the addresses (which may belong to people of other tenants).
  const shown = staff.map(({ userId: _user, hasPassword: _account, ...member }) => member);
  return { slug: tenant.slug, staff: shown, units: tree.all.map((u) => ({ id: u.id, code: u.code, name: u.name, nameEn: u.nameEn })) };
}

type ActionData = { kind: 'form'; result: SubmissionResult<string[]> } | { kind: 'report'; report: CsvReportView } | { kind: 'error'; message: string };

/**
 * One person invited, a CSV file of staff checked (and imported if every row is valid), or the
 * valid rows of a checked file imported: the file comes back as the report's hidden base64 copy.
 */
const staffForm = z.discriminatedUnion('intent', [
  inviteSchema.safeExtend({ intent: z.literal('invite') }),
  z.object({ intent: z.literal('upload'), file: z.instanceof(File).optional().catch(undefined) }),
  z.object({ intent: z.literal('importValid'), csv: z.string().optional().catch(undefined) }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { tenant, signedIn } = await requireTenantMember(context, request, params.tenant, 'manage:staff:tenant');
  const actor = { userId: signedIn.user.id, ip: context.ip, userAgent: context.userAgent };
  if (Number(request.headers.get('content-length') ?? 0) > CSV_MAX_BYTES + 64 * 1024) return data<ActionData>({ kind: 'error', message: 'onboarding.csv.tooBig' }, { status: 413 });
  const submission = await parseForm(request, staffForm);
  if (submission.status !== 'success') return data<ActionData>({ kind: 'form', result: submission.reply() }, { status: 400 });
  const form = submission.value;
  if (form.intent === 'upload' || form.intent === 'importValid') {
    const { intent } = form;
    const bytes = intent === 'upload' ? (form.file ? new Uint8Array(await form.file.arrayBuffer()) : new Uint8Array()) : new Uint8Array(Buffer.from(form.csv ?? '', 'base64'));
    // The import commits first; only then does the page say how many were invited.
    const outcome = await withTenant(
      tenant.id,
      async (tx) => {
        const units = (await unitTree(tx, tenant.id)).all.map((u) => u.code);
        const report = checkStaffCsv(bytes, { existingEmails: await memberEmails(tx, tenant.id), unitCodes: units });
        const clean = !report.problems.length && report.rows.every((r) => !r.errors.length);
        if ((clean || intent === 'importValid') && report.valid.length) return { imported: (await importStaff(tx, tenant.id, actor, report.valid)).length };
        return { report };
      },
      { userId: actor.userId },
    );
    if ('imported' in outcome) throw redirect(`/t/${tenant.slug}/admin/staff?imported=${outcome.imported}`);
    return data<ActionData>({ kind: 'report', report: reportView(outcome.report, bytes) }, { status: 400 });
  }
  const { intent: _invite, ...invitation } = form;
  // The invitation goes by email, and the answer is the same whether or not the address already
  // has an account (with another tenant): the administrator learns nothing of other tenants.
  const result = await withTenant(tenant.id, (tx) => inviteOne(tx, tenant.id, actor, invitation), { userId: actor.userId });
  if (!result.ok) return data<ActionData>({ kind: 'form', result: submission.reply({ fieldErrors: { [result.field]: [result.message] } }) }, { status: 409 });
  throw redirect(`/t/${tenant.slug}/admin/staff?${new URLSearchParams({ invited: invitation.email })}`);
}

export default function Staff() {
  const { t } = useTranslation();
  const locale = useLocale();
  const sr = useSerbian();
  const errors = useErrors();
  const { slug, staff, units } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const [params] = useSearchParams();
  const [form, f] = useForm({
    id: 'invite',
    lastResult: actionData?.kind === 'form' ? actionData.result : undefined,
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: inviteSchema }),
  });
  const labels = { email: t('onboarding.staff.email'), fullName: t('onboarding.staff.fullName'), position: t('onboarding.staff.position'), unitId: t('onboarding.staff.unit') };
  const unitName = (u: { name: string; nameEn: string }) => (locale === 'en' ? u.nameEn : sr(u.name));
  return (
    <>
      <AdminNav slug={slug} />
      <h1>{t('onboarding.manage.staffTitle')}</h1>
      <p className="lead">{t('onboarding.manage.staffLead')}</p>
      {params.get('invited') ? (
        <div className="alert alert--ok" role="status">
          <p>{t('onboarding.manage.invited', { email: params.get('invited') })}</p>
        </div>
      ) : null}
      {params.get('imported') ? (
        <p className="alert alert--ok" role="status">
          {t('onboarding.manage.imported', { count: Number(params.get('imported')) })}
        </p>
      ) : null}
      {actionData?.kind === 'error' ? (
        <p className="alert alert--error" role="alert">
          {errorText(t, actionData.message)}
        </p>
      ) : null}
      <div className="table-wrap" {...scrollRegion(t('onboarding.manage.staffTitle'))}>
        <table>
          <caption className="visually-hidden">{t('onboarding.manage.staffTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('onboarding.manage.columns.name')}</th>
              <th scope="col">{t('onboarding.manage.columns.email')}</th>
              <th scope="col">{t('onboarding.manage.columns.position')}</th>
              <th scope="col">{t('onboarding.manage.columns.unit')}</th>
              <th scope="col">{t('onboarding.manage.columns.roles')}</th>
              <th scope="col">{t('onboarding.manage.columns.state')}</th>
            </tr>
          </thead>
          <tbody>
            {staff.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link to={`/t/${slug}/admin/staff/${s.id}`}>{sr(s.fullName)}</Link>
                </td>
                <td>{s.email}</td>
                <td>{sr(s.position)}</td>
                <td>{s.unitName ? unitName({ name: s.unitName, nameEn: s.unitNameEn ?? s.unitName }) : ''}</td>
                <td>{s.roles.map((r) => t(`roles.${r}`)).join(', ')}</td>
                <td>{t(`onboarding.manage.state.${!s.active ? 'inactive' : s.invitation === 'none' ? 'active' : s.invitation}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('onboarding.manage.invite')}</h2>
      <ErrorSummary
        title={t('form.errorSummary')}
        messages={summaryOf(t, f, labels)}
      />
      <Form method="post" {...getFormProps(form)} className="card">
        <Field id={f.email.id} label={labels.email} errors={errors(f.email.errors)}>
          {(aria) => <input {...getInputProps(f.email, { type: 'email' })} {...aria} />}
        </Field>
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
        <RoleChoices name="roles" legend={t('onboarding.staff.roles')} />
        <button type="submit" name="intent" value="invite" className="primary">
          {t('onboarding.manage.inviteSubmit')}
        </button>
      </Form>
      <section className="card" aria-labelledby="import-title">
        <h2 id="import-title">{t('onboarding.manage.import')}</h2>
        <p>{t('onboarding.csv.staffHelp')}</p>
        <Form method="post" encType="multipart/form-data">
          <div className="field">
            <label htmlFor="staff-file">{t('onboarding.csv.file')}</label>
            <input id="staff-file" type="file" name="file" accept=".csv,text/csv,text/plain" />
          </div>
          <BusyButton name="intent" value="upload" className="button secondary" busyText={t('guide.busy.file')}>
            {t('onboarding.csv.upload')}
          </BusyButton>
        </Form>
        {actionData?.kind === 'report' ? <CsvReportTable report={actionData.report} /> : null}
      </section>
    </>
  );
}
