// npm run bench:pages — what a page costs the browser that shows it: the CPU of every Chromium
// process (from the kernel) a navigation of the pages staff use most, with JavaScript and
// without, on the seeded country; and the JavaScript each page loads. A page's scripts are paid
// for at every full load, on every office computer: this is the figure to watch when a module
// the browser loads grows or starts doing work when it loads. A benchmark, not a test: compare
// two builds by running it against each (--checkout), on the same machine, one after the other.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { DEMO_PASSWORD } from '#tenants/demo';
import { launchChromium } from '#tests/support/browser';
import { signIn } from './bench/http';
import { withUser } from './bench/options';
import { startAppServer, treeCpuMs, type Child } from './bench/processes';
import { findScene } from './bench/scene';

const usage = `npm run bench:pages -- [options]

  --navigations N      measured navigations of each page (default 20), after 2 unmeasured
  --checkout DIR       the built project to serve (default this one)
  --database-url URL   seeded database, as a role RLS does not bind
                       (default $BENCH_DATABASE_URL or postgres://root@127.0.0.1:5432/delovod_scale)
  --app-url URL        the runtime role on it (default: the same URL as user delovod_app)
`;

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    navigations: { type: 'string', default: '20' },
    checkout: { type: 'string' },
    'database-url': { type: 'string' },
    'app-url': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const navigations = Number(values.navigations);
if (!Number.isInteger(navigations) || navigations < 1) {
  console.error('--navigations takes a whole number above 0');
  process.exit(1);
}
const databaseUrl = values['database-url'] ?? process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/delovod_scale';
const appUrl = values['app-url'] ?? withUser(databaseUrl, 'delovod_app');

/** CPU ms so far of this bench's Chromium (its browser process, zygote, renderers, GPU and utility processes, those that ended included). */
const chromiumCpuMs = () => treeCpuMs(process.pid, (command) => /^chrom/.test(command));

const admin = postgres(databaseUrl, { max: 2, onnotice: () => {} });
let server: Child | undefined;
const browser = await launchChromium();
try {
  const scene = await findScene(admin, undefined, true);
  const slug = scene.main.slug;
  const card = scene.main.cardDocuments[0];
  if (!card) throw new Error(`the approver of ${slug} has no document waiting: seed the country with npm run seed:scale`);
  server = await startAppServer({ appUrl, pool: 10, webProcesses: 1, logLevel: 'warn', checkout: values.checkout ? resolve(values.checkout) : undefined });
  const cookie = await signIn(server.url, scene.main.approver.email, process.env.BENCH_PASSWORD ?? DEMO_PASSWORD);
  const pages = [
    { name: 'inbox', path: `/t/${slug}/inbox` },
    { name: 'document card', path: `/t/${slug}/documents/${card}` },
    { name: 'my documents', path: `/t/${slug}/documents` },
    { name: 'new document', path: `/t/${slug}/documents/new` },
  ];
  console.log(`${slug}, as ${scene.main.approver.email}; ${navigations} navigations of each page in one browser context, after 2 unmeasured`);
  console.log('page                 JS    Chromium ms/nav  server ms/nav  wall ms/nav  scripts  JS KB');
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ javaScriptEnabled });
    await context.addCookies(
      cookie.split('; ').map((c) => {
        const at = c.indexOf('=');
        return { name: c.slice(0, at), value: c.slice(at + 1), url: server!.url };
      }),
    );
    const page = await context.newPage();
    const open = async (path: string) => {
      const response = await page.goto(`${server!.url}${path}`);
      if (response?.status() !== 200) throw new Error(`${path} answered ${response?.status()}`);
      // With JavaScript, a navigation is done once the page is hydrated and its router ready.
      if (javaScriptEnabled) await page.waitForFunction(() => (window as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized === true);
    };
    for (const { name, path } of pages) {
      await open(path);
      await open(path);
      // The scripts the page loaded, as the browser decoded them (cached or not); without
      // JavaScript there are none to speak of, and '-' is printed.
      const scripts = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .filter((e) => (e as PerformanceResourceTiming).initiatorType === 'script' || /\.js(\?|$)/.test(e.name))
          .map((e) => (e as PerformanceResourceTiming).decodedBodySize),
      );
      const chromiumBefore = chromiumCpuMs();
      const serverBefore = server.cpuMs() ?? NaN;
      const started = performance.now();
      for (let i = 0; i < navigations; i++) await open(path);
      const wall = (performance.now() - started) / navigations;
      const chromium = (chromiumCpuMs() - chromiumBefore) / navigations;
      const serverMs = ((server.cpuMs() ?? NaN) - serverBefore) / navigations;
      const kb = scripts.reduce((a, b) => a + b, 0) / 1024;
      console.log(
        `${name.padEnd(20)} ${(javaScriptEnabled ? 'on' : 'off').padEnd(5)} ${chromium.toFixed(0).padStart(15)}  ${serverMs.toFixed(1).padStart(13)}  ${wall.toFixed(0).padStart(11)}  ${(javaScriptEnabled ? String(scripts.length) : '-').padStart(7)}  ${(javaScriptEnabled ? kb.toFixed(0) : '-').padStart(5)}`,
      );
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server?.stop();
  await admin.end();
}
