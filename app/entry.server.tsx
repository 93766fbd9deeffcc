import type { AppLoadContext, EntryContext } from '@remix-run/node';
import { RemixServer, isRouteErrorResponse } from '@remix-run/react';
import { I18nextProvider } from 'react-i18next';
import { renderWhole } from './framework/render-whole.server';
import { i18nFor } from './i18n/i18n';
import { NonceProvider } from './ui/nonce';

export const streamTimeout = 5_000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  let status = responseStatusCode;
  const html = await renderWhole(
    <NonceProvider value={loadContext.cspNonce}>
      <I18nextProvider i18n={i18nFor(loadContext.locale)}>
        <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={loadContext.cspNonce} />
      </I18nextProvider>
    </NonceProvider>,
    {
      abortAfterMs: streamTimeout + 1_000,
      onError(error, afterShell) {
        status = 500;
        // Before the shell, Remix hears of it through the rejection and renders the error page.
        if (afterShell) loadContext.log.error({ err: error }, 'render failed');
      },
    },
  );
  responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
  return new Response(html, { headers: responseHeaders, status });
}

export function handleError(error: unknown, { request, context }: { request: Request; context: AppLoadContext }) {
  if (request.signal.aborted) return;
  // Remix's own refusal of a request (a method the route does not take): the client's, not a fault.
  if (isRouteErrorResponse(error) && error.status < 500) {
    context.log?.info({ status: error.status, method: request.method }, 'request refused by the router');
    return;
  }
  context.log?.error({ err: error }, 'unhandled error');
}
