// Runs the built web app as its own process against a fresh test database with the demo
// tenants, the way it runs in production.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { hashPassword } from '#app/auth/password.server';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { seedDemo } from '#tenants/demo';
import { createTestDatabase, type TestDatabase } from './pg';
import { freePort } from './ports';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface RunningApp {
  url: string;
  /** The server process (under WEB_CONCURRENCY, the one that starts the others). */
  pid: number;
  database: TestDatabase;
  /** Stops the server process and starts it again, on the same port and database. */
  restart(): Promise<void>;
  /** Owner connection for arranging and inspecting state (not subject to the app's role). */
  owner: DatabaseHandle;
  /** Runtime-role connection, as the app itself connects. */
  app: DatabaseHandle;
  stop(): Promise<void>;
}

/** `databaseUrl` rewrites the test database's URL the server is given (e.g. through a proxy). */
export async function startApp(env: Record<string, string> = {}, options: { databaseUrl?: (appUrl: string) => string } = {}): Promise<RunningApp> {
  if (!existsSync(`${root}build/server.js`)) throw new Error('Run `npm run build` before the HTTP and browser tests.');
  const database = await createTestDatabase(inject('templateDatabase'));
  const app = connectPostgres(database.appUrl, { max: 2 });
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const serve = (): ChildProcess =>
    spawn(process.execPath, ['build/server.js'], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: url,
        DATABASE_URL: options.databaseUrl?.(database.appUrl) ?? database.appUrl,
        DATABASE_POOL_SIZE: '4',
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
        // The demo's administrators and national staff sign in with a password alone, as most
        // tests need; the tests of the second factor start the app with 'required'.
        MFA_FOR_STAFF: 'optional',
        ...env,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  const stopped = (c: ChildProcess) => {
    c.kill('SIGTERM');
    return new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once('exit', r)));
  };
  // The server loads its modules (about two seconds) while the demo is seeded: it reads no
  // tenant data when it starts, and no test runs before both are done.
  let child = serve();
  const failed = (await Promise.allSettled([seedDemo(app.db, hashPassword), waitForHealth(url, child)])).find((r) => r.status === 'rejected');
  if (failed) {
    await stopped(child);
    await app.close();
    await database.drop();
    throw failed.reason;
  }
  const owner = connectPostgres(database.ownerUrl, { max: 2 });
  return {
    url,
    get pid() {
      return child.pid!;
    },
    database,
    owner,
    app,
    async restart() {
      await stopped(child);
      child = serve();
      await waitForHealth(url, child);
    },
    async stop() {
      await stopped(child);
      await owner.close();
      await app.close();
      await database.drop();
    },
  };
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become ready in 90 s');
}
