import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react';
import { useTranslation } from 'react-i18next';

/** The error boundary shared by the routes: translated, with nothing of the error leaked. */
export function ErrorPage() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const byStatus: Record<number, [string, string]> = {
    400: [t('input.badRequestTitle'), t('input.badRequest')],
    403: [t('errors.forbiddenTitle'), t('errors.forbidden')],
    404: [t('errors.notFoundTitle'), t('errors.notFound')],
    409: [t('input.conflictTitle'), t('input.conflict')],
    413: [t('input.tooLargeTitle'), t('input.tooLarge')],
    415: [t('input.unsupportedTitle'), t('input.unsupported')],
    422: [t('input.invalidTitle'), t('input.invalid')],
  };
  const [title, text] = byStatus[status] ?? [t('errors.serverTitle'), t('errors.server', { id: status })];
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
