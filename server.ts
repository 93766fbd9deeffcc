// The web process: Express serving the Remix build, with request ids, structured logs, the
// session and CSRF checks in front of every route, and a graceful shutdown (remix-serve has
// none that closes the database pool).
import { createRequestHandler } from '@remix-run/express';
import { broadcastDevReady, type ServerBuild } from '@remix-run/node';
import compression from 'compression';
import cluster from 'node:cluster';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express from 'express';
import { randomUUID } from 'node:crypto';
import zlib from 'node:zlib';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { isCrossSite } from '#app/auth/csrf.server';
import { readSession, sessionCookieName } from '#app/auth/session.server';
import { closeDatabase, openDatabase } from '#app/db.server';
import { env, isSecureOrigin, settlePublicUrl } from '#app/env.server';
import { i18nFor } from '#app/i18n/i18n';
import { resolveLocale } from '#app/i18n/locale.server';
import { logger, maskedPath } from '#app/logger.server';
import { noStoreForSessions, securityHeaders } from '#app/security/headers.server';
import { guardBuild } from '#app/security/input.server';
import { answerUnreadableRequests, settleUnreadBodies } from '#app/security/unread-body.server';

// The project's folder, which holds the Remix build: found through the package's imports map,
// the same whether this runs as server.ts under tsx (npm run demo, the tests' own processes) or
// compiled into build/server.js (npm start).
const root = `${dirname(dirname(createRequire(import.meta.url).resolve('#app/root.tsx')))}/`;

export async function createApp(): Promise<express.Express> {
  await openDatabase();
  // Every route's loader and action behind the input boundary (app/security/input.server.ts, ADR 016).
  const build = guardBuild((await import(`${root}build/index.js`)) as ServerBuild);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', env().TRUST_PROXY);
  // Browsers ask for Brotli first; it runs at compression's quality 4, with a 256 KiB window
  // instead of Brotli's default 4 MiB: a page is far smaller, and every response's encoder
  // allocated the whole window. The inbox's 17 KB of HTML: 0.38 → 0.30 ms of CPU, the same 4.8 KB
  // out. gzip (level 4): 0.24 ms and 5.2 KB, where 6 took twice as long for 3 % less.
  app.use(compression({ level: 4, brotli: { params: { [zlib.constants.BROTLI_PARAM_LGWIN]: 18 } } }));
  // Every response, the client build's files included, carries the security headers.
  app.use(securityHeaders({ https: isSecureOrigin() }));
  // public/ holds the client build only: no other path costs a request a file lookup.
  app.use('/build', express.static(`${root}public/build`, { immutable: true, maxAge: '1y' }));

  // A body the app answered without reading all of it (a refused form, a POST to a page without
  // an action): the answer goes out first, then the rest is dropped or the connection closes
  // gracefully (app/security/unread-body.server.ts).
  app.use(settleUnreadBodies());

  app.use((req, res, next) => {
    // A client's own request id is kept only if it is a plain token (it goes into a header and every log line).
    const given = req.get('x-request-id');
    const requestId = given && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
    res.locals.requestId = requestId;
    res.locals.log = logger.child({ requestId });
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      res.locals.log.info(
        { method: req.method, path: maskedPath(req.path), status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6, tenant: res.locals.tenant },
        'request',
      );
    });
    next();
  });

  app.use((req, res, next) => {
    // Forwarded headers count only from a trusted proxy (TRUST_PROXY); Remix's own CSRF check
    // reads X-Forwarded-Host whoever sent it, so an untrusted one is dropped here.
    const trusted = (app.get('trust proxy fn') as (address: string, hop: number) => boolean)(req.socket.remoteAddress ?? '', 0);
    if (!trusted) for (const h of ['x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port']) delete req.headers[h];
    const host = (trusted && req.get('x-forwarded-host')?.split(',')[0].trim()) || req.get('host');
    const origin = req.get('origin');
    const refused = isCrossSite(req.method, { origin, secFetchSite: req.get('sec-fetch-site'), host }, env().PUBLIC_URL);
    if (!refused) {
      // An accepted Origin names the host the browser sent this to (PUBLIC_URL behind a proxy
      // that rewrites Host): Remix's check and the request's URL see that host too, so the two
      // checks agree and a refusal is this 403, never Remix's 500.
      const checked = !['GET', 'HEAD', 'OPTIONS'].includes(req.method) && origin && origin !== 'null' && URL.canParse(origin);
      const originHost = checked ? new URL(origin).host : null;
      if (originHost && originHost !== host) {
        req.headers.host = originHost;
        delete req.headers['x-forwarded-host'];
      }
      return next();
    }
    res.locals.log.warn({ origin: origin?.slice(0, 200) }, 'cross-site request refused');
    const locale = resolveLocale(req.get('cookie'), undefined);
    res.status(403).type('text/plain').send(i18nFor(locale).t('errors.csrf'));
  });

  app.use(async (req, res, next) => {
    try {
      const auth = await readSession(req.get('cookie'));
      if (auth.setCookie) res.append('Set-Cookie', auth.setCookie);
      res.locals.auth = auth;
      noStoreForSessions(res, auth.signedIn !== null, sessionCookieName());
      next();
    } catch (error) {
      next(error);
    }
  });

  app.all(
    '*',
    createRequestHandler({
      build,
      mode: env().NODE_ENV === 'production' ? 'production' : 'development',
      getLoadContext: (req, res) => ({
        requestId: res.locals.requestId,
        ip: req.ip ?? null,
        userAgent: req.get('user-agent') ?? null,
        log: res.locals.log,
        auth: res.locals.auth,
        locale: resolveLocale(req.get('cookie'), res.locals.auth.signedIn?.user.locale),
        memo: new Map(),
        cspNonce: res.locals.cspNonce,
        setTenant: (slug: string) => (res.locals.tenant = slug),
      }),
    }),
  );

  // What fails before Remix answers: a client's malformed request (a path Express cannot decode
  // is its 400) gets a translated plain answer and an info line; anything else is a bug, logged
  // once through pino with the request id and answered without a word of its internals.
  app.use((error: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(error);
    const given = (error as { status?: unknown } | null)?.status;
    const status = typeof given === 'number' && given >= 400 && given < 500 ? given : 500;
    const log = (res.locals.log as typeof logger | undefined) ?? logger;
    if (status < 500) log.info({ status, reason: error instanceof Error ? error.message.slice(0, 200) : undefined }, 'request refused');
    else log.error({ err: error }, 'request failed');
    const i18n = i18nFor(resolveLocale(req.get('cookie'), undefined));
    const key = ({ 403: 'errors.forbidden', 404: 'errors.notFound', 413: 'input.tooLarge', 415: 'input.unsupported', 500: 'errors.server' } as Record<number, string>)[status] ?? 'input.badRequest';
    res.status(status).type('text/plain').send(i18n.t(key, { id: res.locals.requestId ?? '' }));
  });
  return app;
}

export async function startServer(port = env().PORT): Promise<Server> {
  const app = await createApp();
  const server = app.listen(port, env().HOST);
  answerUnreadableRequests(server);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const address = server.address();
  if (address && typeof address === 'object') settlePublicUrl(address.port);
  // Under `npm run dev` (remix dev), the compiler waits for the restarted server to say it serves the new build.
  if (process.env.NODE_ENV === 'development') await broadcastDevReady((await import(`${root}build/index.js`)) as ServerBuild);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    // A keep-alive connection whose answer was still going out is idle once it is sent, and
    // would otherwise stay open until the client let go of it (seconds): closed as it goes idle.
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    server.close(async () => {
      clearInterval(sweep);
      await closeDatabase();
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return server;
}

/**
 * WEB_CONCURRENCY > 1: this process only starts that many web processes on the one port
 * (node:cluster hands each connection to one of them), replaces one that dies, and passes
 * SIGTERM/SIGINT on so each finishes its requests. The embedded database belongs to one process.
 */
function startProcesses(count: number): void {
  if (!env().DATABASE_URL) {
    logger.fatal('WEB_CONCURRENCY above 1 needs DATABASE_URL: the embedded database is one process’s');
    process.exit(1);
  }
  let stopping = false;
  for (let i = 0; i < count; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (!Object.keys(cluster.workers ?? {}).length) process.exit(0);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'web process died; starting another in a second');
    // A second apart: a process that cannot start (a port taken, say) is not restarted in a tight loop.
    setTimeout(() => stopping || cluster.fork(), 1000);
  });
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (cluster.isPrimary && env().WEB_CONCURRENCY > 1) {
    startProcesses(env().WEB_CONCURRENCY);
    // Said once the first web process listens, with the port it got (PORT=0 lets the system choose).
    cluster.once('listening', (_worker, address) => {
      settlePublicUrl(address.port);
      logger.info({ processes: env().WEB_CONCURRENCY }, `Delovod listening on ${env().PUBLIC_URL}`);
    });
  } else {
    const server = await startServer();
    const address = server.address();
    logger.info({ port: typeof address === 'object' ? address?.port : address }, `Delovod listening on ${env().PUBLIC_URL}`);
  }
}
