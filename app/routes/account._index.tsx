import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { requireUser } from '../auth/guards.server';
import { factorsOf } from '../auth/mfa.server';
import { Main } from '../ui/page';

export const meta: MetaFunction = () => [{ title: 'Delovod' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireUser(context, request);
  const factors = await factorsOf(user.id);
  return {
    email: user.email,
    totp: factors.totp,
    notice: new URL(request.url).searchParams.get('changed') === 'password' ? 'accounts.change.done' : null,
  };
}

export default function Account() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  return (
    <Main>
      <h1>{t('accounts.account.title')}</h1>
      {d.notice ? (
        <p className="alert alert--ok" role="status">
          {t(d.notice)}
        </p>
      ) : null}
      <div className="card">
        <dl className="facts">
          <dt>{t('profile.email')}</dt>
          <dd>{d.email}</dd>
          <dt>{t('accounts.mfa.title')}</dt>
          <dd>{d.totp ? t('accounts.mfa.on') : t('accounts.mfa.off')}</dd>
        </dl>
      </div>
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
    </Main>
  );
}
