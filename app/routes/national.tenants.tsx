import type { SubmissionResult } from '@conform-to/react';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { asc, eq, ne } from 'drizzle-orm';
import { useTranslation } from 'react-i18next';
import * as z from 'zod';
import { tenants } from '#db/schema';
import { requireNational } from '../auth/guards.server';
import { db } from '../db.server';
import { deleteTenant, setTenantStatus } from '#tenants/lifecycle.server';
import { isUuid } from '../ids';
import { ErrorSummary } from '../ui/field';
import { tenantName, useLocale } from '../ui/localized';
import { parseForm } from '../framework/form.server';

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireNational(context, request, 'review:signup:national');
  const rows = await db()
    .select({ id: tenants.id, slug: tenants.slug, kind: tenants.kind, nameCyrl: tenants.nameCyrl, nameLatn: tenants.nameLatn, nameEn: tenants.nameEn, status: tenants.status })
    .from(tenants)
    .where(ne(tenants.kind, 'national'))
    .orderBy(asc(tenants.nameLatn));
  return { tenants: rows };
}

// Each tenant's two forms: suspend or reactivate it; delete it, its address typed as confirmation.
const tenantSchema = z.object({
  id: z.string({ error: 'input.forms.gone' }).refine(isUuid, 'input.forms.gone'),
  intent: z.enum(['suspend', 'reactivate', 'delete']),
  confirm: z.string().max(64, 'onboarding.errors.confirmName').optional(),
});

type ActionData = { id: string | null; result: SubmissionResult<string[]> };

export async function action({ request, context }: ActionFunctionArgs) {
  const { signedIn } = await requireNational(context, request, 'review:signup:national');
  const actor = { userId: signedIn.user.id, ip: context.ip, userAgent: context.userAgent };
  const submission = await parseForm(request, tenantSchema);
  if (submission.status !== 'success') return data<ActionData>({ id: null, result: submission.reply() }, { status: 400 });
  const { id, intent, confirm } = submission.value;
  const [tenant] = await db().select().from(tenants).where(eq(tenants.id, id));
  if (!tenant || tenant.kind === 'national') return data<ActionData>({ id: null, result: submission.reply({ formErrors: ['input.forms.gone'] }) }, { status: 404 });
  if (intent !== 'delete') {
    await setTenantStatus(db(), actor, tenant.id, intent === 'suspend' ? 'suspended' : 'active');
    throw redirect('/national/tenants');
  }
  // The confirmation names the tenant: its address, typed exactly.
  if ((confirm ?? '').trim() !== tenant.slug) return data<ActionData>({ id: tenant.id, result: submission.reply({ fieldErrors: { confirm: ['onboarding.errors.confirmName'] } }) }, { status: 400 });
  await deleteTenant(db(), { ...actor, sessionToken: signedIn.token }, tenant.id);
  context.log.warn({ tenant: tenant.slug }, 'tenant deleted');
  throw redirect(`/national/tenants?deleted=${encodeURIComponent(tenant.nameLatn)}`);
}

export default function NationalTenants() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { tenants: list } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const result = actionData && 'result' in actionData ? actionData.result : undefined;
  // A form refused as a whole (hidden fields, buttons): said once, at the top.
  const refused = result && !actionData?.id ? [...new Set(Object.values(result.error ?? {}).flatMap((e) => e ?? []))] : [];
  const confirmError = (id: string) => (actionData?.id === id ? result?.error?.confirm?.[0] : undefined);
  const [params] = useSearchParams();
  return (
    <>
      <h1>{t('onboarding.national.tenantsTitle')}</h1>
      <p className="lead">{t('onboarding.national.tenantsLead')}</p>
      <ErrorSummary title={t('form.errorSummary')} messages={refused.map((e) => ({ text: t(e) }))} />
      {params.get('deleted') ? (
        <p className="alert alert--ok" role="status">
          {t('onboarding.national.deleted', { name: params.get('deleted') })}
        </p>
      ) : null}
      {list.map((tn) => (
        <section key={tn.id} className="card" aria-labelledby={`tenant-${tn.id}`}>
          <h2 id={`tenant-${tn.id}`}>
            {tenantName(tn, locale)} <span className="tag">{t(tn.status === 'active' ? 'onboarding.national.active' : 'onboarding.national.suspended')}</span>
          </h2>
          <p>
            /t/{tn.slug} · {t(`tenants.kinds.${tn.kind}`)}
          </p>
          <Form method="post">
            <input type="hidden" name="id" value={tn.id} />
            <button type="submit" name="intent" value={tn.status === 'active' ? 'suspend' : 'reactivate'} className="button secondary">
              {t(tn.status === 'active' ? 'onboarding.national.suspend' : 'onboarding.national.reactivate')}
            </button>
          </Form>
          <details>
            <summary>{t('onboarding.national.deleteTitle')}</summary>
            <p>{t('onboarding.national.deleteLead', { name: tenantName(tn, locale) })}</p>
            <Form method="post">
              <input type="hidden" name="id" value={tn.id} />
              <div className="field">
                <label htmlFor={`confirm-${tn.id}`}>{t('onboarding.national.confirm', { slug: tn.slug })}</label>
                {confirmError(tn.id) ? (
                  <span id={`confirm-${tn.id}-error`} className="field__error">
                    {t(confirmError(tn.id)!)}
                  </span>
                ) : null}
                <input
                  id={`confirm-${tn.id}`}
                  name="confirm"
                  autoComplete="off"
                  maxLength={64}
                  defaultValue={actionData?.id === tn.id ? String(result?.initialValue?.confirm ?? '') : undefined}
                  aria-invalid={confirmError(tn.id) ? true : undefined}
                  aria-describedby={confirmError(tn.id) ? `confirm-${tn.id}-error` : undefined}
                />
              </div>
              <button type="submit" name="intent" value="delete" className="button danger">
                {t('onboarding.national.delete')}
              </button>
            </Form>
          </details>
        </section>
      ))}
    </>
  );
}
