import './ui/zod-in-browser';
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, Links, LiveReload, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from '@remix-run/react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorPage } from './ui/error-page';
import { LanguageSwitch } from './ui/language-switch';
import { useNonce } from './ui/nonce';
import styles from './ui/styles.css';

// No favicon request: the empty data URL stops browsers asking for /favicon.ico.
export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: styles },
  { rel: 'icon', href: 'data:,' },
];

export const meta: MetaFunction = () => [{ title: 'Delovod' }];

export async function loader({ context }: LoaderFunctionArgs) {
  const user = context.auth.signedIn?.user;
  return { locale: context.locale, user: user ? { email: user.email } : null };
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>('root');
  const { t, i18n } = useTranslation();
  const nonce = useNonce();
  // Texts are bundled, so switching is synchronous and the first render is already right.
  if (data && i18n.language !== data.locale) i18n.changeLanguage(data.locale);
  return (
    <html lang={data?.locale ?? i18n.language}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t('a11y.skipToContent')}
        </a>
        <header className="site-header">
          <div className="site-header__bar">
            <Link to="/" className="brand">
              {t('app.name')}
            </Link>
            <nav aria-label={t('a11y.mainNav')}>
              <ul>
                {data?.user ? (
                  <>
                    <li>
                      <Link to="/tenants">{t('nav.switchTenant')}</Link>
                    </li>
                    <li>
                      <Link to="/account">{t('accounts.account.nav')}</Link>
                    </li>
                    <li>
                      <Form method="post" action="/logout">
                        <button type="submit" className="link-button">
                          {t('nav.signOut')}
                        </button>
                      </Form>
                    </li>
                  </>
                ) : (
                  <li>
                    <Link to="/login">{t('nav.signIn')}</Link>
                  </li>
                )}
              </ul>
            </nav>
            <LanguageSwitch />
          </div>
        </header>
        {children}
        <footer className="site-footer">
          <div>
            {t('app.name')} — {t('app.tagline')}
          </div>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
        <LiveReload nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return (
    <main id="main" tabIndex={-1}>
      <ErrorPage />
    </main>
  );
}
