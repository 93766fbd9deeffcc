// `npm run demo` from nothing: an embedded database is created, migrated and seeded, the
// server answers, and a second start reuses the data.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '#tests/support/ports';

const root = fileURLToPath(new URL('../', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'delovod-demo-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function runDemo(options: { publicUrl: boolean }): Promise<{ url: string; output: string; home: string; login: number; pages: { path: string; status: number; html: string }[] }> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), PUBLIC_URL: url, PGLITE_DIR: join(dataDir, 'pglite'), NODE_ENV: 'production', LOG_LEVEL: 'warn' };
  if (!options.publicUrl) delete env.PUBLIC_URL;
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  try {
    const deadline = Date.now() + 120_000; // a cold PGlite migrates and seeds slowly on a busy machine
    while (!output.includes('Delovod is running')) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`demo did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const home = await (await fetch(url)).text();
    const login = await fetch(`${url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'nikola.petrovic@surdulica.test', password: 'Delovod-demo-2026' }),
      redirect: 'manual',
    });
    // Tenant pages on the embedded database (one connection): several at once, none waits forever.
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const pages = await Promise.all(
      ['/t/surdulica/inbox', '/t/surdulica/inbox', '/t/surdulica/documents', '/t/surdulica/notifications', '/t/surdulica/inbox'].map(async (path) => {
        const res = await fetch(`${url}${path}`, { headers: { cookie }, signal: AbortSignal.timeout(30_000) });
        return { path, status: res.status, html: await res.text() };
      }),
    );
    return { url, output, home, login: login.status, pages };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
}

describe('the demo command', () => {
  it('starts from nothing, serves the product, and reuses its data on the next start', async () => {
    const first = await runDemo({ publicUrl: true });
    expect(first.output).toContain('Created demo tenants: national, surdulica, business-registers-agency');
    expect(first.output).toContain('marija.stojanovic@surdulica.test');
    expect(first.home).toContain('Деловод');
    expect(first.login).toBe(302);
    expect(first.pages.map((p) => p.status)).toEqual([200, 200, 200, 200, 200]);
    expect(first.pages[0].html).toContain('Пријемно сандуче');

    // Without PUBLIC_URL, the banner (and every emailed link) names the port it listens on.
    const second = await runDemo({ publicUrl: false });
    expect(second.output).toContain('Reusing the demo data from the previous run.');
    expect(second.output).toContain(`Delovod is running at ${second.url}  (`);
    expect(second.login).toBe(302);
  }, 300_000);
});
