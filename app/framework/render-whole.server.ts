// A page rendered whole on the server: React's pipeable stream gathered into one buffer.
import { Writable } from 'node:stream';
import type { ReactNode } from 'react';
import { renderToPipeableStream } from 'react-dom/server';

export interface RenderWholeOptions {
  /** The render is abandoned (its pending parts rendered as errors) after this long. */
  abortAfterMs: number;
  /** An error while rendering; `afterShell`: the shell was already rendered (a part of the page failed). */
  onError(error: unknown, afterShell: boolean): void;
}

/**
 * The page's bytes once every part is rendered; rejects if its shell could not be rendered.
 * Pages are sent as one body: nothing on them is deferred (no Suspense, no Await), so
 * streaming the shell would send the same bytes no sooner, in dozens of small chunks that each
 * cross a web stream and the compressor on their own.
 */
export function renderWhole(element: ReactNode, { abortAfterMs, onError }: RenderWholeOptions): Promise<Buffer<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const body = collect((html) => {
      clearTimeout(timeout);
      resolve(html);
    });
    const { pipe, abort } = renderToPipeableStream(element, {
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
        onError(error, shellRendered);
      },
    });
    // Cleared once the page is whole (or could not be rendered): a timer left running would keep
    // the render's state alive that long, past young-generation GCs. React renders from the next
    // turn on, so no callback above runs before it is set.
    const timeout = setTimeout(abort, abortAfterMs).unref();
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
    // No 'close' after the last chunk: React hears it as the reader leaving, aborts the finished
    // render and ends the stream a second time (an error built, stack and all, for every page).
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
