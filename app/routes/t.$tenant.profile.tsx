import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { userTenants } from '../auth/directory.server';
import { requireTenantMember } from '../auth/guards.server';
import { tenantName, useLocale, useSerbian } from '../ui/localized';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { signedIn, membership, tenant } = await requireTenantMember(context, request, params.tenant);
  const organisations = await userTenants(signedIn.user.id);
  return {
    email: signedIn.user.email,
    fullName: membership.fullName,
    position: membership.position,
    unit: membership.unit,
    roles: membership.roles,
    current: tenant.id,
    organisations: organisations
      .filter((o) => o.status === 'active')
      .map((o) => ({ id: o.tenantId, slug: o.slug, kind: o.kind, nameCyrl: o.nameCyrl, nameLatn: o.nameLatn, nameEn: o.nameEn })),
  };
}

export default function Profile() {
  const { t } = useTranslation();
  const locale = useLocale();
  const sr = useSerbian();
  const p = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t('profile.title')}</h1>
      <div className="card">
        <dl className="facts">
          <dt>{t('profile.name')}</dt>
          <dd>{sr(p.fullName)}</dd>
          <dt>{t('profile.email')}</dt>
          <dd>{p.email}</dd>
          <dt>{t('profile.position')}</dt>
          <dd>{sr(p.position)}</dd>
          <dt>{t('profile.unit')}</dt>
          <dd>{p.unit ? (locale === 'en' ? p.unit.nameEn : sr(p.unit.name)) : t('profile.noUnit')}</dd>
          <dt>{t('profile.roles')}</dt>
          <dd>{p.roles.map((r) => t(`roles.${r}`)).join(', ')}</dd>
        </dl>
      </div>
      <h2>{t('profile.organisations')}</h2>
      <ul className="plain choices">
        {p.organisations.map((o) => (
          <li key={o.id}>
            <Link className="choice" to={o.kind === 'national' ? '/national' : `/t/${o.slug}/inbox`} aria-current={o.id === p.current ? 'true' : undefined}>
              {tenantName(o, locale)} {o.id === p.current ? <span className="tag">{t('tenants.current')}</span> : null}
              <small>{t(`tenants.kinds.${o.kind}`)}</small>
            </Link>
          </li>
        ))}
      </ul>
      <h2>{t('profile.security')}</h2>
      <ul className="plain choices">
        <li>
          <Link className="choice" to="/account/password">
            {t('accounts.account.password')}
          </Link>
        </li>
        <li>
          <Link className="choice" to="/account/mfa">
            {t('accounts.account.mfa')}
          </Link>
        </li>
      </ul>
      <p>{t('profile.securityLead')}</p>
      <Form method="post" action="/logout">
        <input type="hidden" name="scope" value="everywhere" />
        <button type="submit" className="button secondary">
          {t('logout.everywhere')}
        </button>
      </Form>
    </>
  );
}
