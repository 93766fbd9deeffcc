import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { asc, eq, ne } from 'drizzle-orm';
import { useTranslation } from 'react-i18next';
import { tenants } from '#db/schema';
import { requireNational } from '../auth/guards.server';
import { db } from '../db.server';
import { deleteTenant, setTenantStatus } from '#tenants/lifecycle.server';
import { tenantName, useLocale } from '../ui/localized';

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireNational(context, request, 'review:signup:national');
  const rows = await db()
    .select({ id: tenants.id, slug: tenants.slug, kind: tenants.kind, nameCyrl: tenants.nameCyrl, nameLatn: tenants.nameLatn, nameEn: tenants.nameEn, status: tenants.status })
    .from(tenants)
    .where(ne(tenants.kind, 'national'))
    .orderBy(asc(tenants.nameLatn));
  return { tenants: rows };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { signedIn } = await requireNational(context, request, 'review:signup:national');
  const actor = { userId: signedIn.user.id, ip: context.ip, userAgent: context.userAgent };
  const form = await request.formData();
  const id = String(form.get('id') ?? '');
  const [tenant] = /^[0-9a-f-]{36}$/i.test(id) ? await db().select().from(tenants).where(eq(tenants.id, id)) : [];
  if (!tenant || tenant.kind === 'national') throw new Response('Not Found', { status: 404 });
  const intent = form.get('intent');
  if (intent === 'suspend' || intent === 'reactivate') {
    await setTenantStatus(db(), actor, tenant.id, intent === 'suspend' ? 'suspended' : 'active');
    throw redirect('/national/tenants');
  }
  if (intent === 'delete') {
    // The confirmation names the tenant: its address, typed exactly.
    if (String(form.get('confirm') ?? '').trim() !== tenant.slug) return data({ id: tenant.id, error: 'onboarding.errors.confirmName' }, { status: 400 });
    await deleteTenant(db(), { ...actor, sessionToken: signedIn.token }, tenant.id);
    context.log.warn({ tenant: tenant.slug }, 'tenant deleted');
    throw redirect(`/national/tenants?deleted=${encodeURIComponent(tenant.nameLatn)}`);
  }
  throw new Response('Bad Request', { status: 400 });
}

export default function NationalTenants() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { tenants: list } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as { id: string; error: string } | undefined;
  const [params] = useSearchParams();
  return (
    <>
      <h1>{t('onboarding.national.tenantsTitle')}</h1>
      <p className="lead">{t('onboarding.national.tenantsLead')}</p>
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
                {actionData?.id === tn.id ? (
                  <span id={`confirm-${tn.id}-error`} className="field__error">
                    {t(actionData.error)}
                  </span>
                ) : null}
                <input
                  id={`confirm-${tn.id}`}
                  name="confirm"
                  autoComplete="off"
                  aria-invalid={actionData?.id === tn.id ? true : undefined}
                  aria-describedby={actionData?.id === tn.id ? `confirm-${tn.id}-error` : undefined}
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
