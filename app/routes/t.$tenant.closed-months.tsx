import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { and, desc, eq } from 'drizzle-orm';
import { useTranslation } from 'react-i18next';
import * as z from 'zod';
import { appendAudit } from '#db/audit';
import { closedMonths } from '#db/schema';
import { readAsMember, requireTenantMember } from '../auth/guards.server';
import { withTenant } from '../db.server';
import { parseForm } from '../framework/form.server';
import { isMonth } from '../workflow/template/datetime';
import { ErrorSummary, Field } from '../ui/field';
import { useLocale } from '../ui/localized';
import { formatMonth } from '../i18n/format';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { data: months } = await readAsMember(context, request, params.tenant, 'prepare:payslip:tenant', (tx, me) =>
    tx.select().from(closedMonths).where(eq(closedMonths.tenantId, me.tenantId)).orderBy(desc(closedMonths.month)),
  );
  return { months: months.map((m) => m.month.slice(0, 7)) };
}

// Close a month (the form), or reopen one of the list (its button): YYYY-MM between 1900 and 2100.
const monthSchema = z.object({
  month: z.string({ error: 'documents.closedMonths.invalid' }).refine(isMonth, 'documents.closedMonths.invalid'),
});
const monthForm = monthSchema.extend({ intent: z.enum(['close', 'reopen']) });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const access = await requireTenantMember(context, request, params.tenant, 'prepare:payslip:tenant');
  const submission = await parseForm(request, monthForm);
  if (submission.status !== 'success') return data<SubmissionResult<string[]>>(submission.reply(), { status: 400 });
  const { month } = submission.value;
  const tenantId = access.tenant.id;
  const reopen = submission.value.intent === 'reopen';
  await withTenant(
    tenantId,
    async (tx) => {
      if (reopen) await tx.delete(closedMonths).where(and(eq(closedMonths.tenantId, tenantId), eq(closedMonths.month, `${month}-01`)));
      else await tx.insert(closedMonths).values({ tenantId, month: `${month}-01`, closedBy: access.membership.id }).onConflictDoNothing();
      await appendAudit(tx, tenantId, {
        type: reopen ? 'month.reopened' : 'month.closed',
        subjectType: 'month',
        subjectId: month,
        actorUserId: access.signedIn.user.id,
        data: {},
      });
    },
    { userId: access.signedIn.user.id },
  );
  throw redirect(`/t/${access.tenant.slug}/closed-months`);
}

export default function ClosedMonths() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { months } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  // A reopen button's refusal comes back as the form's too: its month is the one shown in the field.
  const [form, fields] = useForm({ lastResult, shouldValidate: 'onBlur', onValidate: ({ formData }) => parseWithZod(formData, { schema: monthSchema }) });
  const monthErrors = fields.month.errors?.map((e) => t(e));
  const otherErrors = (form.errors ?? []).map((e) => ({ text: t(e) }));
  const label = (m: string) => formatMonth(m, locale);
  return (
    <>
      <h1>{t('documents.closedMonths.title')}</h1>
      <p className="lead">{t('documents.closedMonths.lead')}</p>
      <ErrorSummary
        title={t('form.errorSummary')}
        messages={[...(monthErrors?.length ? [{ href: `#${fields.month.id}`, text: `${t('documents.closedMonths.month')}: ${monthErrors[0]}` }] : []), ...otherErrors]}
      />
      <Form method="post" className="card inline-form" {...getFormProps(form)}>
        <Field id={fields.month.id} label={t('documents.closedMonths.month')} errors={monthErrors}>
          {(aria) => <input {...getInputProps(fields.month, { type: 'month' })} {...aria} />}
        </Field>
        <button type="submit" name="intent" value="close" className="primary">
          {t('documents.closedMonths.close')}
        </button>
      </Form>
      {months.length ? (
        <ul className="plain choices">
          {months.map((m) => (
            <li key={m} className="choice actions">
              <span>{label(m)}</span>
              <Form method="post">
                <input type="hidden" name="intent" value="reopen" />
                <input type="hidden" name="month" value={m} />
                <button type="submit" className="button secondary">
                  {t('documents.closedMonths.reopen')}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      ) : (
        <p className="card">{t('documents.closedMonths.none')}</p>
      )}
    </>
  );
}
