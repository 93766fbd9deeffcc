import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { and, desc, eq } from 'drizzle-orm';
import { useTranslation } from 'react-i18next';
import { appendAudit } from '#db/audit';
import { closedMonths } from '#db/schema';
import { readAsMember, requireTenantMember } from '../auth/guards.server';
import { withTenant } from '../db.server';
import { isMonth } from '../workflow/template/datetime';
import { Field } from '../ui/field';
import { useLocale } from '../ui/localized';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { data: months } = await readAsMember(context, request, params.tenant, 'prepare:payslip:tenant', (tx, me) =>
    tx.select().from(closedMonths).where(eq(closedMonths.tenantId, me.tenantId)).orderBy(desc(closedMonths.month)),
  );
  return { months: months.map((m) => m.month.slice(0, 7)) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const access = await requireTenantMember(context, request, params.tenant, 'prepare:payslip:tenant');
  const form = await request.formData();
  const month = String(form.get('month') ?? '');
  if (!isMonth(month)) return data({ error: 'documents.closedMonths.invalid', month }, { status: 400 });
  const tenantId = access.tenant.id;
  const reopen = form.get('intent') === 'reopen';
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
  const failed = useActionData<typeof action>() as { error: string; month: string } | undefined;
  const label = (m: string) => new Date(`${m}-01T12:00:00Z`).toLocaleDateString(locale, { month: 'long', year: 'numeric' });
  return (
    <>
      <h1>{t('documents.closedMonths.title')}</h1>
      <p className="lead">{t('documents.closedMonths.lead')}</p>
      <Form method="post" className="card inline-form" noValidate>
        <Field id="close-month" label={t('documents.closedMonths.month')} errors={failed ? [t(failed.error)] : undefined}>
          {(aria) => <input {...aria} type="month" name="month" required defaultValue={failed?.month ?? ''} />}
        </Field>
        <button type="submit" className="primary">
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
