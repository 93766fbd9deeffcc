// What the server reports of an error Remix hands it: a refusal of the client's request is not an
// error of Delovod, and must not fill the error log; anything else is logged as an error, once.
import pino from 'pino';
import { Writable } from 'node:stream';
import type { AppLoadContext } from '@remix-run/node';
import { describe, expect, it } from 'vitest';
import { handleError } from './entry.server';
import { loggerOptions } from './logger.server';

function reported(error: unknown): Promise<{ level: number; msg: string }[]> {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const context = { log: pino({ ...loggerOptions, level: 'info' }, stream) } as unknown as AppLoadContext;
  handleError(error, { request: new Request('http://localhost/t/surdulica/inbox', { method: 'POST' }), context });
  return new Promise((r) => setImmediate(() => r(lines.map((l) => JSON.parse(l) as { level: number; msg: string }))));
}

/** What Remix itself throws when a route does not take the request's method (its ErrorResponse). */
const routerRefusal = (status: number) => ({ status, statusText: 'Method Not Allowed', internal: true, data: 'Error: You made a POST request to "/t/surdulica/inbox" but did not provide an `action`' });

describe('handleError', () => {
  it('logs Remix’s refusal of a request at info level, not as an error', async () => {
    expect(await reported(routerRefusal(405))).toEqual([expect.objectContaining({ level: 30, msg: 'request refused by the router' })]);
  });

  it('logs a thrown error, and a 5xx from the router, at error level', async () => {
    expect(await reported(new Error('boom'))).toEqual([expect.objectContaining({ level: 50, msg: 'unhandled error' })]);
    expect(await reported(routerRefusal(500))).toEqual([expect.objectContaining({ level: 50, msg: 'unhandled error' })]);
  });
});
