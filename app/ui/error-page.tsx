import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react';
import { useTranslation } from 'react-i18next';

/** The error boundary shared by the routes: translated, with nothing of the error leaked. */
export function ErrorPage() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const [title, text] =
    status === 404
      ? [t('errors.notFoundTitle'), t('errors.notFound')]
      : status === 403
        ? [t('errors.forbiddenTitle'), t('errors.forbidden')]
        : [t('errors.serverTitle'), t('errors.server', { id: status })];
  return (
    <div className="card">
      <h1>{title}</h1>
      <p>{text}</p>
      <p>
        <Link to="/">{t('errors.home')}</Link>
      </p>
    </div>
  );
}
