// A body refused before it was all read still gets its answer, on a connection handled as
// HTTP/1.1 servers do (app/security/unread-body.server.ts): a rest of up to 1 MiB is dropped and
// the connection serves the next request; a larger or chunked rest ends the connection after the
// answer with a FIN, never a reset before the client could read it. Raw sockets, because an HTTP
// client library hides exactly what is tested here (a reset, a reused connection).
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '#tests/support/server';

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app?.stop());

interface Exchange {
  /** Every response's status line and headers, in order. */
  heads: string[];
  /** The client saw the server's FIN. */
  ended: boolean;
  /** A socket error (ECONNRESET, EPIPE) and whether it came before the first answer. */
  error: string | null;
  errorBeforeAnswer: boolean;
}

/**
 * Writes `parts` to one connection as fast as it takes them (a client that does not wait for
 * the answer before sending its body), collects what comes back for `ms`.
 */
function exchange(parts: Array<string | Buffer>, ms: number, then?: (write: (s: string) => void) => void): Promise<Exchange> {
  const { port, hostname } = new URL(app.url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname);
    let received = '';
    const result: Exchange = { heads: [], ended: false, error: null, errorBeforeAnswer: false };
    let followed = false;
    socket.on('data', (d: Buffer) => {
      received += d.toString('latin1');
      const heads = received.split(/(?=HTTP\/1\.1 \d{3})/).map((r) => r.split('\r\n\r\n')[0]).filter((h) => h.startsWith('HTTP/1.1'));
      result.heads = heads;
      // The first answer complete (the error page comes chunked): the follow-up request, once.
      if (!followed && heads.length && received.endsWith('\r\n0\r\n\r\n')) {
        followed = true;
        then?.((s) => socket.write(s));
      }
    });
    socket.on('end', () => (result.ended = true));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      result.error = e.code ?? e.message;
      result.errorBeforeAnswer = result.heads.length === 0;
    });
    (async () => {
      for (const p of parts) if (!socket.destroyed && !socket.write(p)) await new Promise((r) => socket.once('drain', r));
    })().catch(() => {});
    setTimeout(() => {
      socket.destroy();
      resolve(result);
    }, ms);
  });
}

const host = () => new URL(app.url).host;
const form = (bytes: number) => Buffer.from(`email=a%40b.test&password=x&filler=${'a'.repeat(bytes)}`);
const head = (extra: string[]) => [`POST /login HTTP/1.1`, `Host: ${host()}`, `Origin: ${app.url}`, 'Accept: */*', 'Content-Type: application/x-www-form-urlencoded', ...extra, '', ''].join('\r\n');
const chunked = (body: Buffer) => {
  const parts: Array<string | Buffer> = [];
  for (let i = 0; i < body.length; i += 64 * 1024) {
    const c = body.subarray(i, i + 64 * 1024);
    parts.push(`${c.length.toString(16)}\r\n`, c, '\r\n');
  }
  return [...parts, '0\r\n\r\n'];
};
const statusOf = (h: string) => Number(h.slice(9, 12));
const connectionOf = (h: string) => /\r\nconnection: *(\S+)/i.exec(h)?.[1]?.toLowerCase();

// Each case watches its own connection for 3 s: they run at the same time.
describe.concurrent('a body refused before it was all read', () => {
  it('keeps the connection of a body a little over the limit: 413, then the next request on it is answered', async () => {
    const body = form(300 * 1024);
    const result = await exchange([head([`Content-Length: ${body.length}`]), body], 3000, (write) => write(`GET /healthz HTTP/1.1\r\nHost: ${host()}\r\n\r\n`));
    expect(result.heads.map(statusOf)).toEqual([413, 200]);
    expect(connectionOf(result.heads[0])).toBe('keep-alive');
    expect(result.error).toBeNull();
  });

  it('answers a chunked body over the limit with its 413, not a reset', async () => {
    const result = await exchange([head(['Transfer-Encoding: chunked']), ...chunked(form(2 * 1024 * 1024))], 3000);
    expect(result.heads.map(statusOf)).toEqual([413]);
    expect(result.errorBeforeAnswer).toBe(false);
  });

  it('closes gracefully when the client asked for it: the answer, then a FIN, no reset', async () => {
    const body = form(300 * 1024);
    const result = await exchange([head([`Content-Length: ${body.length}`, 'Connection: close']), body], 3000);
    expect(result.heads.map(statusOf)).toEqual([413]);
    expect(result.ended).toBe(true);
    expect(result.error).toBeNull();
  });

  it('ends the connection of a far larger body gracefully: the answer, Connection: close, then a FIN', async () => {
    // 60 MiB declared, 2 MiB sent: the client then waits for the answer, as curl and browsers do.
    const result = await exchange([head([`Content-Length: ${60 * 1024 * 1024}`]), form(2 * 1024 * 1024)], 3000);
    expect(result.heads.map(statusOf)).toEqual([413]);
    expect(connectionOf(result.heads[0])).toBe('close');
    expect(result.ended).toBe(true);
    expect(result.error).toBeNull();
  });
});

describe('a request the server cannot read', () => {
  it('answers an address longer than it reads with 431 and a FIN, and reads what the client still sends instead of resetting it', async () => {
    const { port } = new URL(app.url);
    const socket = connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    const received = () => Buffer.concat(chunks).toString('utf8');
    let error: string | null = null;
    let ended = false;
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('end', () => (ended = true));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    // On a kept-alive connection that has already served a request, as a browser's or a fetch's is.
    socket.write(`GET /healthz HTTP/1.1\r\nHost: ${host()}\r\n\r\n`);
    await expect.poll(received, { timeout: 5000 }).toMatch(/^HTTP\/1\.1 200 [\s\S]*(\r\n\r\nok|\r\n0\r\n\r\n)$/);
    chunks.length = 0;
    const body = form(1024 * 1024);
    socket.write(head([`Content-Length: ${body.length}`]).replace('POST /login ', `POST /login?q=${'%D0%B6'.repeat(12_000)} `));
    await expect.poll(received, { timeout: 5000 }).toMatch(/^HTTP\/1\.1 431 /);
    // A client that does not wait for the answer is still sending its body: 8 pieces over 0.4 s
    // (well inside the 2 s the server reads on).
    for (let i = 0; i < 8 && !error; i++) {
      socket.write(body.subarray(i * 64 * 1024, (i + 1) * 64 * 1024));
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 100));
    socket.destroy();
    expect(connectionOf(received())).toBe('close');
    expect(received()).toContain('Адреса или заглавља овог захтева дужи су');
    expect(ended).toBe(true);
    expect(error).toBeNull();
  });

  it('answers a request that is not HTTP with 400, its text and a FIN', async () => {
    const { port } = new URL(app.url);
    const socket = connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    let ended = false;
    let error: string | null = null;
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('end', () => (ended = true));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.write('HELLO there\r\n\r\n');
    await expect.poll(() => ended, { timeout: 5000 }).toBe(true);
    socket.destroy();
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toContain('Овај захтев није исправан HTTP захтев');
    expect(error).toBeNull();
  });
});

