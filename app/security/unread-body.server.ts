// What happens to a request body the app answered without reading all of it: a refused form
// (413 over the limit, 415 not a form), a POST to a page without an action. The answer goes out
// at once, and the connection is then handled as HTTP/1.1 servers do (RFC 9112 §9.6):
// - a rest of at most DRAIN_LIMIT bytes (declared) is read and dropped after the answer, as Node
//   does with a body nobody read, and the connection stays open for the client's next request;
// - a larger or undeclared (chunked) rest ends the connection gracefully: `Connection: close`,
//   the answer, our FIN, and whatever the client still sends read and dropped for up to
//   LINGER_MS before the socket is closed. Closing it at once with bytes unread (Node's own
//   `destroySoon`) makes the kernel answer with a reset, which can reach a client still sending
//   before it has read the answer: it then sees a broken connection instead of the 413.
// Destroying the request stream (a ReadableStream's `cancel()`) would reset the connection
// before any answer; the boundary stops reading instead, and leaves the rest to this module.
// A request Node cannot read at all (an address or headers over its 16 KiB, a malformed request
// line) is answered the same way, before it reaches Express (answerUnreadableRequests).
import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import onHeaders from 'on-headers';
import { i18nFor } from '../i18n/i18n';
import { defaultLocale } from '../i18n/resources';

/** The largest rest of a body read and dropped on a connection that stays open. */
export const DRAIN_LIMIT = 1024 * 1024;
/** How long a closing connection still reads what the client sends after the answer. */
export const LINGER_MS = 2000;
/** …and how much of it, at most. */
const LINGER_BYTES = 8 * 1024 * 1024;

const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS']);
const lingering = new WeakSet<Socket>();

/** Whether what is left of the body is small enough to read and drop on an open connection. */
function restIsDrainable(req: Request): boolean {
  const declared = req.headers['content-length'];
  return declared !== undefined && Number(declared) <= DRAIN_LIMIT;
}

/** Our side ended (FIN, after `last` if given): the socket closes when the client closes its side, or after LINGER_MS. */
function endAndLinger(socket: Socket, last?: string): void {
  if (socket.writable) {
    if (last === undefined) socket.end();
    else socket.end(last);
  }
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/** FIN once the answer is out; the socket closes when the client closes its side, or after LINGER_MS. */
function closeGracefully(socket: Socket): void {
  lingering.add(socket);
  // Node's server calls this when the answer that said `Connection: close` has been written.
  socket.destroySoon = function lingeringClose(this: Socket) {
    endAndLinger(this);
  };
}

/** Reads the rest of the body and drops it (as Node's own `IncomingMessage._dump`), at most `limit` bytes. */
function dropRest(req: Request, limit: number): void {
  // The app's reader of the body (Remix's stream pump) let go of it, paused.
  req.removeAllListeners('data');
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.byteLength;
    if (dropped > limit) req.socket.destroy();
  });
  req.resume();
}

export function settleUnreadBodies() {
  return (req: Request, res: Response, next: NextFunction) => {
    // A client that sends another request on a connection we are closing ignored
    // `Connection: close`: nothing more is answered on it. It closes once the answer before
    // and the FIN are out (destroying it now could drop an answer still buffered).
    const socket = req.socket;
    if (lingering.has(socket)) {
      req.resume();
      if (socket.writableFinished) socket.destroy();
      else socket.once('finish', () => socket.destroy());
      return;
    }
    if (BODYLESS.has(req.method)) return next();
    let drainable = true;
    onHeaders(res, () => {
      if (req.complete) return;
      drainable = restIsDrainable(req);
      // A connection that ends anyway (the client asked, HTTP/1.0) closes gracefully too.
      if (drainable && res.shouldKeepAlive) return;
      res.setHeader('Connection', 'close');
      closeGracefully(req.socket);
    });
    res.once('finish', () => {
      if (!req.complete) dropRest(req, drainable ? DRAIN_LIMIT : LINGER_BYTES);
    });
    next();
  };
}

/**
 * A request the HTTP parser refused before any route saw it: an address or headers longer than
 * Node reads (431), chunk extensions too long (413), a request that took too long to arrive
 * (408), anything else malformed (400). Node's own answer goes out and the socket is destroyed at
 * once, which resets a connection the client is still sending its body on: it sees a broken
 * connection, not the answer. A parse error between requests leaves the parser refusing all that
 * follows, so there the answer (in the default language: the request's own headers could not be
 * read) is followed by a FIN, and what the client still sends is read and dropped for up to
 * LINGER_MS. A timeout, or an error inside a request a route is already handling, is answered
 * as Node does (unless that request's answer has begun) and the socket destroyed: the parser
 * could still complete a request there, and a route must not act on what was refused.
 */
export function answerUnreadableRequests(server: Server): void {
  /** Sockets answered and lingering, with what they had read when answered. */
  const answered = new WeakMap<Socket, number>();
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const readWhenAnswered = answered.get(socket);
    if (readWhenAnswered !== undefined) {
      // The parser reports each further piece of the request it refused: dropped, up to a point.
      if (socket.bytesRead - readWhenAnswered > LINGER_BYTES) socket.destroy();
      return;
    }
    // A connection the client reset, or one that cannot be written to: nothing to say on it.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status =
      error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW' ? 413 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const t = i18nFor(defaultLocale).t;
    const text = `${t(status === 431 ? 'input.headTooLarge' : status === 408 ? 'input.timeout' : 'input.unreadable')}\n`;
    const answer = [`HTTP/1.1 ${status} ${STATUS_CODES[status]}`, 'Connection: close', 'Content-Type: text/plain; charset=utf-8', `Content-Length: ${Buffer.byteLength(text)}`, '', text].join('\r\n');
    // The request a route is handling on this connection, if any (Node's own test, `_headerSent`:
    // its answer's head has gone out).
    const inFlight = (socket as Socket & { _httpMessage?: { _headerSent: boolean } | null })._httpMessage;
    if (!error.code?.startsWith('HPE_') || inFlight) {
      if (!inFlight?._headerSent) socket.write(answer);
      socket.destroy();
      return;
    }
    answered.set(socket, socket.bytesRead);
    lingering.add(socket);
    endAndLinger(socket, answer);
  });
}
