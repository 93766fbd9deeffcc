import { redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { userTenants } from '../auth/directory.server';
import { requireUser } from '../auth/guards.server';
import { tenantName, useLocale } from '../ui/localized';
import { Main } from '../ui/page';

export const meta: MetaFunction = () => [{ title: 'Delovod' }];

const homeOf = (t: { slug: string; kind: string }) => (t.kind === 'national' ? '/national' : `/t/${t.slug}/inbox`);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireUser(context, request);
  const all = await userTenants(user.id);
  const active = all.filter((t) => t.status === 'active');
  // One organisation: straight in. Several: the person chooses (and can come back here).
  if (active.length === 1 && !new URL(request.url).searchParams.has('choose')) throw redirect(homeOf(active[0]));
  return { tenants: all.map((t) => ({ ...t, href: homeOf(t) })) };
}

export default function Tenants() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { tenants } = useLoaderData<typeof loader>();
  return (
    <Main>
      <h1>{t('tenants.title')}</h1>
      {tenants.length ? <p className="lead">{t('tenants.lead')}</p> : <p>{t('tenants.none')}</p>}
      <ul className="plain choices">
        {tenants.map((tn) => (
          <li key={tn.tenantId}>
            {tn.status === 'active' ? (
              <Link className="choice" to={tn.href}>
                {tenantName(tn, locale)}
                <small>{t(`tenants.kinds.${tn.kind}`)}</small>
              </Link>
            ) : (
              <span className="choice" aria-disabled="true">
                {tenantName(tn, locale)}
                <small>{t('login.suspended')}</small>
              </span>
            )}
          </li>
        ))}
      </ul>
    </Main>
  );
}
