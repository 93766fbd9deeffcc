import { Writable } from 'node:stream';
import type { AppLoadContext, EntryContext } from '@remix-run/node';
import { RemixServer } from '@remix-run/react';
import { renderToPipeableStream } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { i18nFor } from './i18n/i18n';

export const streamTimeout = 5_000;

/**
 * Pages are rendered whole and sent as one body. Nothing on them is deferred (no Suspense, no
 * Await), so streaming the shell would send the same bytes no sooner, in dozens of small
 * chunks that each cross a web stream and the gzip stream on their own.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const i18n = i18nFor(loadContext.locale);
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    // Once the page is whole (or could not be rendered), nothing is left to abort: a timer left
    // running would keep the render's state alive for seconds, past young-generation GCs.
    let timeout: NodeJS.Timeout | undefined;
    const body = collect((html) => {
      clearTimeout(timeout);
      responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
      resolve(new Response(html, { headers: responseHeaders, status: responseStatusCode }));
    });
    const { pipe, abort } = renderToPipeableStream(
      <I18nextProvider i18n={i18n}>
        <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} />
      </I18nextProvider>,
      {
        onShellReady() {
          shellRendered = true;
        },
        onAllReady() {
          pipe(body);
        },
        onShellError(error: unknown) {
          clearTimeout(timeout);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Before the shell, Remix hears of it through onShellError and renders the error page.
          if (shellRendered) loadContext.log.error({ err: error }, 'render failed');
        },
      },
    );
    timeout = setTimeout(abort, streamTimeout + 1_000).unref();
  });
}

/**
 * The rendered bytes, gathered into one buffer. React 18.3's pipeable stream can end a chunk
 * with unused zero bytes when a multi-byte character (all of Cyrillic) does not fit its 4 KiB
 * view (facebook/react#24985, #26228); they would reach the page as NUL characters inside
 * words. HTML never ends a chunk with one, so they are cut off chunk by chunk.
 */
function collect(done: (html: Buffer<ArrayBuffer>) => void): Writable {
  const chunks: Buffer[] = [];
  return new Writable({
    // No 'close' after the last chunk: React hears it as the reader leaving and aborts the
    // finished render, ending the stream a second time (an error built, stack and all, per page).
    autoDestroy: false,
    write(chunk: Buffer, _encoding, callback) {
      let end = chunk.length;
      while (end > 0 && chunk[end - 1] === 0) end--;
      chunks.push(end === chunk.length ? chunk : chunk.subarray(0, end));
      callback();
    },
    final(callback) {
      done(Buffer.concat(chunks));
      callback();
    },
  });
}

export function handleError(error: unknown, { request, context }: { request: Request; context: AppLoadContext }) {
  if (request.signal.aborted) return;
  context.log?.error({ err: error }, 'unhandled error');
}
